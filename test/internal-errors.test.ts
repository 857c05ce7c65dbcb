import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../src/logging/create-logger.js';
import { RequestLog } from '../src/logging/request-log.js';
import { createHarness, type Harness } from './support/harness.js';
import { scrape } from './support/prometheus.js';
import { errorOf, postRaw, rawRequestOf } from './support/raw-requests.js';

let harness: Harness | undefined;

afterEach(async () => {
  vi.restoreAllMocks();
  await harness?.close();
  harness = undefined;
});

const internalMessage = 'switchyard hit an internal error; the request was not completed.';

/** A failure deep inside, with the cause that explains it, as a production bug would look. */
function bugWithCause(): Error {
  return new Error('the pool went sideways', { cause: new Error('the root of it: a missing entry') });
}

/** A server whose warnings are kept, so the log line of an internal error can be read. */
async function startWithWarnings(): Promise<{ url: string; warnings: string[]; harness: Harness }> {
  const started = await createHarness();
  await started.addBucket('anthropic', 'a');
  await started.writeProfile('pool', 'type: model\nprovider: anthropic\nbuckets: [a]\n');
  const warnings: string[] = [];
  const { url } = await started.startRouter({ profile: 'pool', warn: (message) => warnings.push(message) });
  return { url, warnings, harness: started };
}

function expectDiagnosable(warnings: string[]): void {
  expect(warnings).toHaveLength(1);
  const line = warnings[0]!;
  expect(line).toContain('the pool went sideways');
  expect(line).toContain('the root of it: a missing entry');
  // The stack: the frames that say where it happened.
  expect(line).toMatch(/\n\s+at .*internal-errors\.test\.ts/);
}

describe('the error boundary', () => {
  it('logs an internal error on the fast path with message, stack and cause; the client gets its 500 without them', async () => {
    const started = await startWithWarnings();
    harness = started.harness;
    vi.spyOn(harness.router().context.router, 'handle').mockRejectedValue(bugWithCause());
    const request = rawRequestOf('anthropic-messages', 'claude-sonnet-4-6');
    const answer = await postRaw(started.url, request.path, JSON.stringify(request.body), {
      'anthropic-version': '2023-06-01',
    });
    expect(answer.status).toBe(500);
    expect(errorOf('anthropic-messages', answer.body).message).toBe(internalMessage);
    expect(JSON.stringify(answer.body)).not.toMatch(/sideways|root of it|\.ts/);
    expectDiagnosable(started.warnings);
  });

  it('logs an internal error in the Hono app alike, and answers its plain JSON 500', async () => {
    const started = await startWithWarnings();
    harness = started.harness;
    vi.spyOn(harness.router().context.statistics, 'snapshot').mockImplementation(() => {
      throw bugWithCause();
    });
    const answer = await fetch(`${started.url}/stats/buckets`);
    expect(answer.status).toBe(500);
    expect(await answer.json()).toEqual({ error: { message: internalMessage, code: 'internal_error' } });
    expectDiagnosable(started.warnings);
  });

  it('answers an HttpError as meant and logs nothing', async () => {
    const started = await startWithWarnings();
    harness = started.harness;
    const answer = await fetch(`${started.url}/no/such/route`);
    expect(answer.status).toBe(404);
    expect(await answer.json()).toEqual({ error: { message: 'No route for GET /no/such/route.', code: 'not_found' } });
    expect(started.warnings).toEqual([]);
  });

  it('logs and counts the 500 a client got for an error inside the router, never a 499', async () => {
    harness = await createHarness();
    await harness.addBucket('anthropic', 'a');
    await harness.writeProfile('pool', 'type: model\nprovider: anthropic\nbuckets: [a]\n');
    const lines: Record<string, unknown>[] = [];
    const logger = await createLogger({
      level: 'info',
      pretty: false,
      destination: { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) },
    });
    const { url } = await harness.startRouter({
      profile: 'pool',
      observers: [new RequestLog(logger)],
      warn: () => undefined,
    });
    // A bug inside the attempt loop, after the request was admitted: it leaves Router.handle as a throw.
    const failing = vi.spyOn(harness.router().context.states, 'get').mockImplementation(() => {
      throw bugWithCause();
    });
    const request = rawRequestOf('anthropic-messages', 'claude-sonnet-4-6');
    const answer = await postRaw(url, request.path, JSON.stringify(request.body));
    failing.mockRestore();
    expect(answer.status).toBe(500);
    expect(errorOf('anthropic-messages', answer.body).message).toBe(internalMessage);
    await vi.waitFor(() => expect(lines.map((line) => line.status)).toEqual([500]));
    const metrics = await scrape(url);
    expect(metrics.sum('switchyard_requests_total', { profile: 'pool', status: '500' })).toBe(1);
    expect(metrics.sum('switchyard_requests_total', { status: '499' })).toBe(0);
  });
});
