import { afterEach, describe, expect, it } from 'vitest';
import type { WireFormat } from '../core/types.js';
import { type BucketAvailability, renderExhausted } from './index.js';
import { type AnswerServer, startAnswerServer } from './testing/answer-server.js';
import { wireFormats } from './testing/recorded-streams.js';
import { callWithSdk } from './testing/sdk-calls.js';

const now = Date.parse('2026-11-23T13:00:59.000Z');
const pool: BucketAvailability[] = [
  { key: 'anthropic/work1@company.com', state: 'exhausted', availableAt: Date.parse('2026-11-23T18:00:00.000Z') },
  { key: 'anthropic/work2@company.com', state: 'cooling', availableAt: Date.parse('2026-11-23T14:00:00.000Z') },
  { key: 'anthropic/personal', state: 'needs-login', availableAt: undefined },
];

/** The error object of a rendered body, whatever the format nests it in. */
function errorObjectOf(body: string): { message: string; buckets: unknown; [field: string]: unknown } {
  return JSON.parse(body).error;
}

let server: AnswerServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('renderExhausted', () => {
  it('answers 429 with Retry-After in whole seconds to the earliest reset, stated in ISO 8601', () => {
    const answer = renderExhausted('anthropic-messages', pool, now);
    expect(answer.status).toBe(429);
    expect(answer.retryAfterSeconds).toBe(3541);
    expect(errorObjectOf(answer.body).message).toBe(
      'All OAuth buckets exhausted; the first one resets at 2026-11-23T14:00:00.000Z (in 3541 s). ' +
        'anthropic/personal needs a new login; run: switchyard auth anthropic login personal.',
    );
  });

  it('rounds a partial second up, so that the retry does not come before the reset', () => {
    const answer = renderExhausted(
      'openai-chat',
      [{ key: 'openai/a', state: 'cooling', availableAt: now + 90_001 }],
      now,
    );
    expect(answer.retryAfterSeconds).toBe(91);
  });

  it('asks for at least one second when the earliest reset has just passed', () => {
    expect(
      renderExhausted('openai-chat', [{ key: 'openai/a', state: 'cooling', availableAt: now - 5_000 }], now)
        .retryAfterSeconds,
    ).toBe(1);
    expect(
      renderExhausted('openai-chat', [{ key: 'openai/a', state: 'cooling', availableAt: now }], now).retryAfterSeconds,
    ).toBe(1);
  });

  it.each(wireFormats)(
    'lists every bucket with its state and availability, code all_buckets_exhausted (%s)',
    (format) => {
      const error = errorObjectOf(renderExhausted(format, pool, now).body);
      expect(error.buckets).toEqual([
        { key: 'anthropic/work1@company.com', state: 'exhausted', availableAt: '2026-11-23T18:00:00.000Z' },
        { key: 'anthropic/work2@company.com', state: 'cooling', availableAt: '2026-11-23T14:00:00.000Z' },
        { key: 'anthropic/personal', state: 'needs-login', availableAt: null },
      ]);
      expect(
        error.message.startsWith('All OAuth buckets exhausted; the first one resets at 2026-11-23T14:00:00.000Z'),
      ).toBe(true);
      if (format === 'gemini') {
        expect(error).toMatchObject({ code: 429, status: 'RESOURCE_EXHAUSTED' });
        expect(error.details).toEqual([
          {
            '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
            reason: 'ALL_BUCKETS_EXHAUSTED',
            domain: 'switchyard',
          },
          { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '3541s' },
        ]);
      } else {
        expect(error.code).toBe('all_buckets_exhausted');
      }
    },
  );

  it('types the Responses answer as a Codex usage limit with its reset, so Codex CLI stops instead of retrying', () => {
    const error = errorObjectOf(renderExhausted('openai-responses', pool, now).body);
    expect(error).toMatchObject({
      type: 'usage_limit_reached',
      code: 'all_buckets_exhausted',
      resets_at: Date.parse('2026-11-23T14:00:00.000Z') / 1000,
      resets_in_seconds: 3541,
    });
    expect(errorObjectOf(renderExhausted('openai-chat', pool, now).body)).toMatchObject({
      type: 'rate_limit_exceeded',
    });
    const unknownReset = errorObjectOf(
      renderExhausted('openai-responses', [{ key: 'codex/a', state: 'needs-login', availableAt: undefined }], now).body,
    );
    expect(unknownReset.type).toBe('rate_limit_exceeded');
    expect(unknownReset).not.toHaveProperty('resets_at');
  });

  it('says how to log in again when no bucket resets by itself, with no Retry-After', () => {
    const answer = renderExhausted(
      'openai-responses',
      [
        { key: 'codex/a', state: 'needs-login', availableAt: undefined },
        { key: 'codex/b', state: 'needs-login', availableAt: undefined },
      ],
      now,
    );
    expect(answer.status).toBe(429);
    expect(answer.retryAfterSeconds).toBeUndefined();
    expect(errorObjectOf(answer.body).message).toBe(
      'All OAuth buckets exhausted, and none of them resets by itself: codex/a and codex/b need a new login; ' +
        'run: switchyard auth codex login a, then switchyard auth codex login b.',
    );
    expect(
      JSON.parse(
        renderExhausted('gemini', [{ key: 'gemini/a', state: 'needs-login', availableAt: undefined }], now).body,
      ).error.details,
    ).toEqual([
      { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'ALL_BUCKETS_EXHAUSTED', domain: 'switchyard' },
    ]);
  });

  it('says so when no bucket reported a reset time', () => {
    const answer = renderExhausted('gemini', [{ key: 'gemini/a', state: 'cooling', availableAt: undefined }], now);
    expect(answer.retryAfterSeconds).toBeUndefined();
    expect(errorObjectOf(answer.body).message).toBe(
      'All OAuth buckets exhausted; none of them reported when it resets.',
    );
  });

  it.each(wireFormats)('is raised by the %s SDK as a 429 carrying the message', async (format: WireFormat) => {
    const answer = renderExhausted(format, pool, now);
    server = await startAnswerServer(answer.status, 'application/json', answer.body);
    const raised = await callWithSdk(format, server.url, false);
    expect(raised.status).toBe(429);
    expect(raised.message).toContain(
      'All OAuth buckets exhausted; the first one resets at 2026-11-23T14:00:00.000Z (in 3541 s).',
    );
  });
});
