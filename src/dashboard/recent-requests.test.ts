import { describe, expect, it } from 'vitest';
import { ManualClock } from '../core/manual-clock.js';
import { RecentRequests } from './recent-requests.js';

const request = (status: number) => ({
  client: null,
  profile: 'work',
  model: 'claude-sonnet-4-6',
  format: 'anthropic-messages',
  path: '/v1/messages',
  stream: false,
  attempts: [],
  bucket: 'anthropic/a',
  status,
  code: null,
  inputTokens: 1,
  outputTokens: 2,
  firstByteMs: 1,
  durationMs: 2,
});

describe('the recent requests log', () => {
  it('lists exactly the newest keepRequests requests at every count, though it trims in batches', () => {
    const recent = new RecentRequests(new ManualClock(), { keepMinutes: 60, keepRequests: 16 });
    for (let count = 1; count <= 100; count += 1) {
      recent.add(request(count % 5 === 0 ? 500 : 200));
      const ids = recent.query({ limit: 1_000 }).map((entry) => entry.id);
      const expected = Array.from({ length: Math.min(count, 16) }, (_, index) => count - index);
      expect(ids).toEqual(expected);
      const errors = recent.query({ status: 'error' }).map((entry) => entry.id);
      expect(errors).toEqual(expected.filter((id) => id % 5 === 0));
    }
  });
});
