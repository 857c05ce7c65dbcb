import { describe, expect, it } from 'vitest';
import { ManualClock } from '../core/manual-clock.js';
import type { ProviderName } from '../core/types.js';
import { backgroundReadsAtOnce, CredentialCache } from './credential-cache.js';
import type { StoredCredential } from './token-file.js';
import type { TokenStore } from './token-store.js';

/** A store (no logins unless `stored` gives one) whose reads finish only when the test lets them; it counts them. */
function heldStore(stored: (bucket: string) => StoredCredential | null = () => null) {
  const held: (() => void)[] = [];
  let inFlight = 0;
  let mostInFlight = 0;
  const read = new Map<string, number>();
  const store: TokenStore = {
    read(provider: ProviderName, bucket: string) {
      read.set(`${provider}/${bucket}`, (read.get(`${provider}/${bucket}`) ?? 0) + 1);
      inFlight += 1;
      mostInFlight = Math.max(mostInFlight, inFlight);
      return new Promise<StoredCredential | null>((resolve) =>
        held.push(() => {
          inFlight -= 1;
          resolve(stored(bucket));
        }),
      );
    },
    write: async () => undefined,
    delete: async () => false,
    list: async () => [],
  };
  /** Lets every read so far finish, and the reads they make room for start. */
  const finishAll = async () => {
    while (held.length > 0) {
      for (const finish of held.splice(0)) finish();
      await new Promise((resolve) => setImmediate(resolve));
    }
  };
  const forget = () => {
    read.clear();
    mostInFlight = inFlight;
  };
  return { store, read, mostInFlight: () => mostInFlight, finishAll, forget };
}

describe('CredentialCache', () => {
  it('re-reads a few stale entries at a time in the background, and every one of them in turn', async () => {
    const { store, read, mostInFlight, finishAll, forget } = heldStore();
    const clock = new ManualClock(0);
    const cache = new CredentialCache(store, clock, 2_000);
    const buckets = Array.from({ length: 1_000 }, (_, index) => `b${index}`);
    const first = Promise.all(buckets.map((bucket) => cache.get('anthropic', bucket)));
    await finishAll();
    expect(await first).toEqual(buckets.map(() => null));
    forget();

    // 1,000 buckets needing login re-checked in the same moment, their entries all stale.
    clock.advance(2_000);
    for (const bucket of buckets) expect(cache.peek('anthropic', bucket)).toBeNull();
    await finishAll();
    // All 1,000 were read at once: 1,000 file reads in flight, each missing file an error with its stack.
    expect(mostInFlight()).toBe(backgroundReadsAtOnce);
    expect(read.size).toBe(1_000);
    expect([...read.values()].every((times) => times === 1)).toBe(true);
  });

  it('re-reads a bucket with no stored login only as often as its owner asks, one with a login as often as before', async () => {
    const login: StoredCredential = { access_token: 'token', expires_at: 10_000 };
    const { store, read, finishAll, forget } = heldStore((bucket) => (bucket === 'present' ? login : null));
    const clock = new ManualClock(0);
    const cache = new CredentialCache(store, clock, 2_000, 60_000);
    const first = cache.get('anthropic', 'absent');
    await finishAll();
    expect(await first).toBeNull();
    cache.set('anthropic', 'present', login);
    forget();

    // Re-checks of the bucket without a login every few seconds read its missing file each time.
    for (let second = 0; second < 58; second += 1) {
      clock.advance(1_000);
      cache.peek('anthropic', 'absent');
      cache.peek('anthropic', 'present');
      await finishAll();
    }
    expect(read.get('anthropic/absent')).toBeUndefined();
    expect(read.get('anthropic/present')).toBe(29);
    clock.advance(2_000);
    cache.peek('anthropic', 'absent');
    await finishAll();
    expect(read.get('anthropic/absent')).toBe(1);
  });
});
