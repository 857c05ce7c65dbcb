import { describe, expect, it } from 'vitest';
import { type BucketKey, type BucketState, bucketKey } from '../core/types.js';
import { createMemoryBucketStateStore } from '../state/bucket-state-store.js';
import { startLoginRecheck, startRechecksAtOnce } from './login-recheck.js';

const needsLogin: BucketState = { status: 'needs-login', reason: 'invalid_grant' };

/** Resolves once every pending promise callback has run (the re-reads are in the background). */
async function settle(): Promise<void> {
  for (let round = 0; round < 50; round += 1) await new Promise((resolve) => setImmediate(resolve));
}

describe('the start-up re-check of remembered needs-login marks', () => {
  it('re-reads a few logins at a time, not all of a long chain at once, and lifts the marks whose login is back', async () => {
    const remembered: Array<[BucketKey, BucketState]> = [];
    for (let index = 0; index < 1_000; index += 1) remembered.push([bucketKey('anthropic', `l${index}`), needsLogin]);
    remembered.push([bucketKey('anthropic', 'cooling'), { status: 'cooling', until: Date.now() + 60_000 }]);
    const states = createMemoryBucketStateStore(remembered);
    let reading = 0;
    let mostAtOnce = 0;
    const read: string[] = [];
    const tokens = {
      async reloadLogin(_provider: string, bucket: string) {
        reading += 1;
        mostAtOnce = Math.max(mostAtOnce, reading);
        await new Promise((resolve) => setImmediate(resolve));
        reading -= 1;
        read.push(bucket);
        // Every hundredth bucket has been logged in again since the marks were saved.
        return Number(bucket.slice(1)) % 100 === 0;
      },
    };
    const warnings: string[] = [];
    await startLoginRecheck({
      state: { watchLogins: async () => undefined },
      states,
      tokens,
      warn: (message) => warnings.push(message),
    });
    await settle();
    for (let round = 0; round < 200 && read.length < 1_000; round += 1) await settle();

    expect(read).toHaveLength(1_000);
    expect(read).not.toContain('cooling');
    expect(mostAtOnce).toBe(startRechecksAtOnce);
    expect(states.get(bucketKey('anthropic', 'l100'))).toBeUndefined();
    expect(states.get(bucketKey('anthropic', 'l101'))).toEqual(needsLogin);
    expect([...states.entries()].filter(([, state]) => state.status === 'needs-login')).toHaveLength(990);
    expect(warnings).toEqual([]);
  });

  it('goes on past a login that cannot be read, with a warning naming it', async () => {
    const states = createMemoryBucketStateStore([
      [bucketKey('anthropic', 'broken'), needsLogin],
      [bucketKey('anthropic', 'back'), needsLogin],
    ]);
    const warnings: string[] = [];
    await startLoginRecheck({
      state: { watchLogins: async () => undefined },
      states,
      tokens: {
        reloadLogin: async (_provider, bucket) => {
          if (bucket === 'broken') throw new Error('permission denied');
          return true;
        },
      },
      warn: (message) => warnings.push(message),
    });
    await settle();
    expect(warnings).toEqual(['re-reading anthropic/broken: permission denied']);
    expect(states.get(bucketKey('anthropic', 'back'))).toBeUndefined();
  });
});
