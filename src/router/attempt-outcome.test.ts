import { describe, expect, it } from 'vitest';
import type { Target } from '../profiles/types.js';
import {
  type AttemptOutcome,
  failoverReasonOf,
  maximumTrailHeaderBytes,
  renderAttempt,
  renderTrail,
  renderTrailHeader,
} from './attempt-outcome.js';

const target = (bucket: string): Target => ({
  provider: 'anthropic',
  bucket,
  key: `anthropic/${bucket}`,
  model: undefined,
  limits: undefined,
  profile: 'pool',
});

describe('attempt outcomes', () => {
  it('render as x-switchyard-attempts shows them: the status for answers, the reason otherwise', () => {
    const trail: AttemptOutcome[] = [
      { target: target('a'), status: 429, reason: 'rate-limited' },
      { target: target('b'), status: 0, reason: 'network' },
      { target: target('b'), status: 200, reason: 'malformed' },
      { target: target('c'), status: 200, reason: 'served' },
    ];
    expect(renderTrail(trail)).toBe('anthropic/a:429,anthropic/b:network,anthropic/b:malformed,anthropic/c:200');
    expect(renderTrail(trail, ', ')).toBe(
      'anthropic/a:429, anthropic/b:network, anthropic/b:malformed, anthropic/c:200',
    );
    expect(renderTrail([])).toBe('');
    expect(renderAttempt({ target: target('a'), status: 503, reason: 'server-error' })).toBe('anthropic/a:503');
  });

  it('name the failover reason exactly, with no timeout or malformed answer left as other', () => {
    const label = (reason: AttemptOutcome['reason'], status = 0) =>
      failoverReasonOf({ target: target('a'), status, reason });
    expect(label('rate-limited', 429)).toBe('rate_limited');
    expect(label('quota-exhausted', 402)).toBe('quota_exhausted');
    expect(label('unauthorized', 401)).toBe('unauthorized');
    expect(label('server-error', 503)).toBe('server_error');
    expect(label('timeout')).toBe('timeout');
    expect(label('deadline')).toBe('deadline');
    expect(label('malformed', 200)).toBe('malformed_answer');
    expect(label('unreadable-answer', 200)).toBe('malformed_answer');
    expect(label('stream-failed', 200)).toBe('stream_error');
    expect(label('refresh-failed')).toBe('refresh_failed');
    expect(label('needs-login')).toBe('needs_login');
    expect(label('oauth-disabled')).toBe('oauth_disabled');
    expect(label('network')).toBe('network');
  });

  it('keep a short trail whole in the header, exactly as the full trail renders', () => {
    const trail: AttemptOutcome[] = [
      { target: target('a'), status: 429, reason: 'rate-limited' },
      { target: target('b'), status: 0, reason: 'network' },
      { target: target('c'), status: 200, reason: 'served' },
    ];
    expect(renderTrailHeader(trail)).toBe('anthropic/a:429,anthropic/b:network,anthropic/c:200');
    expect(renderTrailHeader([])).toBe('');
  });

  it.each([100, 2_000])(
    'cap a trail of %i attempts in the header: first and last kept, the middle counted',
    (count) => {
      const trail: AttemptOutcome[] = Array.from({ length: count }, (_, index) => ({
        target: target(`bucket-with-a-long-name-${String(index).padStart(5, '0')}`),
        status: index === count - 1 ? 200 : 503,
        reason: index === count - 1 ? 'served' : 'server-error',
      }));
      const header = renderTrailHeader(trail);
      expect(renderTrail(trail).length).toBeGreaterThan(maximumTrailHeaderBytes);
      expect(Buffer.byteLength(header)).toBeLessThanOrEqual(maximumTrailHeaderBytes);
      const entries = header.split(',');
      expect(entries[0]).toBe('anthropic/bucket-with-a-long-name-00000:503');
      expect(entries.at(-1)).toBe(`anthropic/bucket-with-a-long-name-${String(count - 1).padStart(5, '0')}:200`);
      const elisions = entries.filter((entry) => /^\+\d+ more$/.test(entry));
      expect(elisions).toHaveLength(1);
      // Every attempt is either shown or counted in the elision, none twice.
      const shown = entries.length - 1;
      expect(shown + Number(/\d+/.exec(elisions[0]!)![0])).toBe(count);
      expect(new Set(entries).size).toBe(entries.length);
    },
  );
});
