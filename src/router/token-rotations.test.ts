import { describe, expect, it } from 'vitest';
import type { Credential } from '../core/types.js';
import { TokenRotations } from './token-rotations.js';

const oauth = (accessToken: string): Credential => ({ kind: 'oauth', accessToken });

describe('token rotations', () => {
  it('sees a rotation under way and one behind, but not a refresh that gave the refused token back', async () => {
    const rotations = new TokenRotations();
    const seen = rotations.epoch('anthropic/a');
    expect(rotations.rotatedSince('anthropic/a', seen)).toBe(false);
    let finish: (credential: Credential) => void = () => undefined;
    const refreshing = rotations.track(
      'anthropic/a',
      'old',
      () => new Promise<Credential>((resolve) => (finish = resolve)),
    );
    // A 401 that arrives while another request refreshes is for a token on its way out.
    expect(rotations.rotatedSince('anthropic/a', seen)).toBe(true);
    finish(oauth('new'));
    expect(await refreshing).toEqual(oauth('new'));
    expect(rotations.rotatedSince('anthropic/a', seen)).toBe(true);
    const after = rotations.epoch('anthropic/a');
    expect(rotations.rotatedSince('anthropic/a', after)).toBe(false);
    await rotations.track('anthropic/a', 'new', async () => oauth('new'));
    expect(rotations.rotatedSince('anthropic/a', after)).toBe(false);
    expect(rotations.rotatedSince('anthropic/b', 0)).toBe(false);
  });

  it('ends the in-flight mark when the refresh fails', async () => {
    const rotations = new TokenRotations();
    await expect(
      rotations.track('anthropic/a', 'old', () => Promise.reject(new Error('token endpoint down'))),
    ).rejects.toThrow('token endpoint down');
    expect(rotations.rotatedSince('anthropic/a', 0)).toBe(false);
  });
});
