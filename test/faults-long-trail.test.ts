import { request as httpRequest } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../src/logging/create-logger.js';
import { RequestLog } from '../src/logging/request-log.js';
import { createHarness, type Harness } from './support/harness.js';
import { errorOf, rawRequestOf } from './support/raw-requests.js';

/**
 * Fault suite, issue 18 item 5: a chain of many buckets that fail must not grow
 * `x-switchyard-attempts` past what Node's HTTP parser accepts (16 KB for all headers): the
 * header keeps its first and last attempts around a count, the request log keeps them all.
 */

const request = rawRequestOf('anthropic-messages', 'claude-sonnet-4-6');
/** Node's own client, with its default header limit: what failed with HPE_HEADER_OVERFLOW. */
function post(url: string): Promise<{ status: number; headers: Record<string, unknown>; text: string }> {
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(`${url}${request.path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
    });
    outgoing.once('error', reject);
    outgoing.once('response', (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.once('end', () =>
        resolve({
          status: response.statusCode ?? 0,
          headers: response.headers,
          text: Buffer.concat(chunks).toString('utf8'),
        }),
      );
    });
    outgoing.end(JSON.stringify(request.body));
  });
}

async function memoryLog() {
  const lines: Record<string, unknown>[] = [];
  const logger = await createLogger({
    level: 'info',
    pretty: false,
    destination: { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) },
  });
  return { lines, log: new RequestLog(logger) };
}

describe('a trail of many attempts', () => {
  let harness: Harness;

  beforeEach(async () => {
    harness = await createHarness();
  });

  afterEach(async () => {
    await harness.close();
  });

  it('reaches a Node client with the attempts header capped, and the log keeps every attempt', async () => {
    // 2,000 buckets with no login between a failing bucket and a good one: 2,004 attempts.
    await harness.addBucket('anthropic', 'a');
    await harness.addBucket('anthropic', 'b');
    const absent = Array.from({ length: 2_000 }, (_, index) => `absent-${String(index).padStart(4, '0')}`);
    await harness.writeProfile('pool', `type: model\nprovider: anthropic\nbuckets: [a, ${absent.join(', ')}, b]\n`);
    harness.simulator.setBehavior('anthropic-a', { kind: 'server-error', status: 503 });
    const { lines, log } = await memoryLog();
    const { url } = await harness.startRouter({ profile: 'pool', observers: [log] });
    const answer = await post(url);
    expect(answer.status).toBe(200);
    expect(answer.headers['x-switchyard-bucket']).toBe('anthropic/b');
    const header = String(answer.headers['x-switchyard-attempts']);
    expect(header.length).toBeLessThanOrEqual(4096);
    expect(
      header.startsWith('anthropic/a:503,anthropic/a:503,anthropic/a:503,anthropic/absent-0000:needs-login,'),
    ).toBe(true);
    expect(header.endsWith(',anthropic/absent-1999:needs-login,anthropic/b:200')).toBe(true);
    const elided = /,\+(\d+) more,/.exec(header);
    expect(Number(elided?.[1])).toBe(2_004 - header.split(',').length + 1);
    const attempts = lines.find((line) => line.path === request.path)?.attempts as string[];
    expect(attempts).toHaveLength(2_004);
    expect(attempts[1_000]).toBe('anthropic/absent-0997:needs-login');
  });

  it("caps the header of the 502 that ends a chain where every bucket failed, in the caller's format", async () => {
    // 20 buckets with the longest names, each tried three times: about 5 KB of trail.
    const names = Array.from({ length: 20 }, (_, index) => `${'x'.repeat(62)}${String(index).padStart(2, '0')}`);
    for (const name of names) {
      await harness.addBucket('anthropic', name);
      harness.simulator.setBehavior(`anthropic-${name}`, { kind: 'server-error', status: 500 });
    }
    await harness.writeProfile('pool', `type: model\nprovider: anthropic\nbuckets: [${names.join(', ')}]\n`);
    const { url } = await harness.startRouter({ profile: 'pool' });
    const answer = await post(url);
    expect(answer.status).toBe(502);
    const error = errorOf('anthropic-messages', JSON.parse(answer.text));
    expect(error.message).toMatch(/^Every bucket that could serve this request failed \(attempts: /);
    // The message, in the body, keeps every attempt; the header is capped.
    expect(error.message.split(', ')).toHaveLength(60);
    const header = String(answer.headers['x-switchyard-attempts']);
    expect(header.length).toBeLessThanOrEqual(4096);
    expect(header.startsWith(`anthropic/${names[0]}:500,`)).toBe(true);
    expect(header.endsWith(`,anthropic/${names[19]}:500`)).toBe(true);
    expect(header).toMatch(/,\+\d+ more,/);
  });
});
