import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hashClientKey } from '../src/clients/key-hash.js';
import { createLogger } from '../src/logging/create-logger.js';
import { RequestLog } from '../src/logging/request-log.js';
import { createHarness, type Harness } from './support/harness.js';
import { postRaw } from './support/raw-requests.js';
import { runBinary } from './support/run-binary.js';

const message = (stream = false) =>
  JSON.stringify({ model: 'claude-sonnet-4-6', max_tokens: 32, stream, messages: [{ role: 'user', content: 'Hi' }] });
const clientKey = 'sy-log-test-client-key-0123456789abcdef';

/** A request log that keeps its lines in memory, parsed. */
async function memoryLog(level: 'info' | 'debug' | 'warn') {
  const lines: Record<string, unknown>[] = [];
  const logger = await createLogger({
    level,
    pretty: false,
    destination: { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) },
  });
  return { lines, logger, log: new RequestLog(logger) };
}

describe('the request log', () => {
  let harness: Harness;

  beforeEach(async () => {
    harness = await createHarness({
      configExtra: `clients:\n  - name: alice\n    keyHash: ${hashClientKey(clientKey)}\n    profiles: [pool]\n`,
    });
    for (const bucket of ['a', 'b']) await harness.addBucket('anthropic', bucket);
    await harness.writeProfile('pool', 'type: model\nprovider: anthropic\nbuckets: [a, b]\n');
  });

  afterEach(async () => {
    await harness.close();
  });

  it('writes one JSON line per request with client, profile, bucket trail, status, durations and tokens', async () => {
    const { lines, log } = await memoryLog('info');
    const { url } = await harness.startRouter({ profile: 'pool', observers: [log] });
    harness.simulator.script('anthropic-a', [{ kind: 'rate-limit', style: 'retry-after-seconds', resetSeconds: 30 }]);
    const streamed = await postRaw(url, '/v1/messages', message(true), {
      'anthropic-version': '2023-06-01',
      'x-api-key': clientKey,
    });
    expect(streamed.status).toBe(200);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 30,
      client: 'alice',
      profile: 'pool',
      format: 'anthropic-messages',
      path: '/v1/messages',
      stream: true,
      status: 200,
      bucket: 'anthropic/b',
      attempts: ['anthropic/a:429', 'anthropic/b:200'],
      msg: expect.stringMatching(/^\/v1\/messages 200 anthropic\/b \d+ ms$/),
    });
    expect(lines[0]!.time).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(typeof lines[0]!.durationMs).toBe('number');
    expect(typeof lines[0]!.firstByteMs).toBe('number');
    expect(lines[0]!.outputTokens).toBeGreaterThan(0);
    expect(lines[0]!.inputTokens).toBeGreaterThan(0);
  });

  it('logs refused requests with their code, failovers at debug level, and nothing below the chosen level', async () => {
    const { lines, log } = await memoryLog('debug');
    const { url } = await harness.startRouter({ profile: 'pool', observers: [log] });
    expect(
      (await postRaw(url, '/v1/messages', message(), { 'anthropic-version': '2023-06-01', 'x-api-key': 'sy-wrong' }))
        .status,
    ).toBe(401);
    expect(
      (
        await postRaw(url, '/v1/messages', message(), {
          'anthropic-version': '2023-06-01',
          'x-api-key': clientKey,
          'x-switchyard-profile': 'other',
        })
      ).status,
    ).toBe(403);
    harness.simulator.script('anthropic-a', [{ kind: 'payment' }]);
    expect(
      (await postRaw(url, '/v1/messages', message(), { 'anthropic-version': '2023-06-01', 'x-api-key': clientKey }))
        .status,
    ).toBe(200);
    expect(lines.map((line) => [line.status ?? null, line.code ?? line.reason ?? null])).toEqual([
      [401, 'invalid_client_key'],
      [403, 'profile_not_allowed'],
      [null, 'quota_exhausted'],
      [200, null],
    ]);
    expect(lines[0]).toMatchObject({
      client: null,
      path: '/v1/messages',
      msg: '/v1/messages 401 refused (invalid_client_key)',
    });
    expect(lines[1]).toMatchObject({ client: 'alice', profile: 'other' });
    expect(lines[2]).toMatchObject({
      level: 20,
      bucket: 'anthropic/a',
      msg: 'failover from anthropic/a (quota_exhausted)',
    });

    const quiet = await memoryLog('warn');
    await harness.router().close();
    const second = await harness.startRouter({ profile: 'pool', observers: [quiet.log] });
    await postRaw(second.url, '/v1/messages', message(), { 'anthropic-version': '2023-06-01', 'x-api-key': clientKey });
    expect(quiet.lines).toEqual([]);
  });

  it('keeps the lines of requests that end before its logger is attached, and writes them first, at their level', async () => {
    const log = new RequestLog();
    const { url } = await harness.startRouter({ profile: 'pool', observers: [log] });
    harness.simulator.script('anthropic-a', [{ kind: 'payment' }]);
    expect(
      (await postRaw(url, '/v1/messages', message(), { 'anthropic-version': '2023-06-01', 'x-api-key': 'sy-wrong' }))
        .status,
    ).toBe(401);
    expect(
      (await postRaw(url, '/v1/messages', message(), { 'anthropic-version': '2023-06-01', 'x-api-key': clientKey }))
        .status,
    ).toBe(200);

    const { lines, logger } = await memoryLog('info');
    log.attach(logger);
    expect(
      (await postRaw(url, '/v1/messages', message(), { 'anthropic-version': '2023-06-01', 'x-api-key': clientKey }))
        .status,
    ).toBe(200);
    // The failover line is debug: below this logger's level, so it is dropped when written.
    expect(lines.map((line) => [line.status, line.code ?? null, line.bucket ?? null])).toEqual([
      [401, 'invalid_client_key', null],
      [200, null, 'anthropic/b'],
      [200, null, 'anthropic/b'],
    ]);
    expect(typeof lines[1]!.durationMs).toBe('number');
  });
});

describe('serve --log-level', () => {
  let home: string;

  beforeEach(async () => {
    home = await mkdtemp(join(tmpdir(), 'switchyard-log-level-'));
  });

  afterEach(async () => {
    await rm(home, { recursive: true, force: true });
  });

  it('refuses an unknown level with the levels it takes', async () => {
    const result = await runBinary(['serve', '--port', '0', '--log-level', 'loud'], { SWITCHYARD_HOME: home });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'switchyard: --log-level must be one of trace, debug, info, warn, error, fatal, silent, not "loud".\n',
    );
  });
});
