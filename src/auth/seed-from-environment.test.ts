import { describe, expect, it } from 'vitest';
import { InvalidNameError } from '../core/names.js';
import { createMemoryTokenStore } from './memory-token-store.js';
import { seedFromEnvironment } from './seed-from-environment.js';
import type { OAuthTokenSet } from './token-file.js';

const environment = {
  CLAUDE_ACCESS_TOKEN: 'env-access',
  CLAUDE_REFRESH_TOKEN: 'env-refresh',
  CLAUDE_EXPIRES_AT: '1900000000000',
};

describe('seedFromEnvironment', () => {
  it('does nothing without CLAUDE_ACCESS_TOKEN', async () => {
    const store = createMemoryTokenStore();
    expect(await seedFromEnvironment(store, {})).toEqual({ action: 'none' });
    expect(await store.list('anthropic')).toEqual([]);
  });

  it('writes the default anthropic bucket, with expiry in ms turned into seconds', async () => {
    const store = createMemoryTokenStore();
    expect(await seedFromEnvironment(store, environment)).toEqual({ action: 'seeded', bucket: 'default' });
    expect(await store.read('anthropic', 'default')).toEqual({
      access_token: 'env-access',
      refresh_token: 'env-refresh',
      expires_at: 1_900_000_000,
      token_type: 'Bearer',
      seeded_from_env_sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
  });

  it('takes the bucket from CLAUDE_BUCKET and expiry in seconds', async () => {
    const store = createMemoryTokenStore();
    await seedFromEnvironment(store, {
      ...environment,
      CLAUDE_BUCKET: 'ci@company.com',
      CLAUDE_EXPIRES_AT: '1900000000',
    });
    expect(await store.read('anthropic', 'ci@company.com')).toMatchObject({ expires_at: 1_900_000_000 });
  });

  it('keeps a set rotated since the same seed instead of clobbering it with the stale env token', async () => {
    const store = createMemoryTokenStore();
    await seedFromEnvironment(store, environment);
    const seeded = (await store.read('anthropic', 'default')) as OAuthTokenSet;
    await store.write('anthropic', 'default', {
      ...seeded,
      access_token: 'rotated-access',
      refresh_token: 'rotated-refresh',
    });
    expect(await seedFromEnvironment(store, environment)).toEqual({ action: 'kept', bucket: 'default' });
    expect(await store.read('anthropic', 'default')).toMatchObject({
      access_token: 'rotated-access',
      refresh_token: 'rotated-refresh',
    });
  });

  it('replaces the bucket when the environment carries a different refresh token', async () => {
    const store = createMemoryTokenStore();
    await seedFromEnvironment(store, environment);
    expect(await seedFromEnvironment(store, { ...environment, CLAUDE_REFRESH_TOKEN: 'env-refresh-2' })).toEqual({
      action: 'seeded',
      bucket: 'default',
    });
    expect(await store.read('anthropic', 'default')).toMatchObject({ refresh_token: 'env-refresh-2' });
  });

  it('replaces a login that did not come from the environment', async () => {
    const store = createMemoryTokenStore([
      ['anthropic', 'default', { access_token: 'login-access', refresh_token: 'login-refresh' }],
    ]);
    expect(await seedFromEnvironment(store, environment)).toEqual({ action: 'seeded', bucket: 'default' });
  });

  it('refuses a bad CLAUDE_EXPIRES_AT or CLAUDE_BUCKET with a message naming it', async () => {
    const store = createMemoryTokenStore();
    await expect(seedFromEnvironment(store, { ...environment, CLAUDE_EXPIRES_AT: 'tomorrow' })).rejects.toThrow(
      /CLAUDE_EXPIRES_AT must be a Unix time/,
    );
    await expect(seedFromEnvironment(store, { ...environment, CLAUDE_BUCKET: '../x' })).rejects.toBeInstanceOf(
      InvalidNameError,
    );
  });
});
