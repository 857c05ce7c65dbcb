import { describe, expect, it } from 'vitest';
import { RecentRequests } from './recent-requests.js';

const request = (path: string) => ({
  client: null,
  profile: null,
  model: null,
  format: 'anthropic-messages',
  path,
  stream: true,
  attempts: [],
  bucket: null,
  status: 200,
  code: null,
  inputTokens: 0,
  outputTokens: 0,
  firstByteMs: null,
  durationMs: 1,
});

describe('RecentRequests', () => {
  it('lists exactly the newest keepRequests requests, newest first, however many came before', () => {
    const clock = { now: () => Date.parse('2026-12-06T10:00:00Z') };
    const recent = new RecentRequests(clock, { keepMinutes: 60, keepRequests: 16 });
    for (let count = 1; count <= 100; count++) {
      recent.add(request(`/v1/messages/${count}`));
      const listed = recent.query({ limit: 1_000 }).map((entry) => entry.path);
      const expected = Array.from({ length: Math.min(count, 16) }, (_, index) => `/v1/messages/${count - index}`);
      expect(listed).toEqual(expected);
    }
  });
});
