import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ActiveProfiles } from './active-profiles.js';

let directory: string;
beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'switchyard-active-profiles-'));
  await writeFile(join(directory, 'team.yaml'), 'type: model\nprovider: anthropic\nbuckets: [first, second]\n');
});
afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

const profilesIn = (userDirectory: string) =>
  new ActiveProfiles({ userDirectory, exampleDirectory: join(userDirectory, 'no-examples') }, undefined);

describe('ActiveProfiles', () => {
  it('reads a profile once for a burst of requests that ask for it at the same moment', async () => {
    const profiles = profilesIn(directory);
    const chains = await Promise.all(Array.from({ length: 200 }, () => profiles.chain('team')));
    // Each read builds a new chain object: one object means one read.
    expect(new Set(chains).size).toBe(1);
    expect(chains[0]?.targets.map((target) => target.key)).toEqual(['anthropic/first', 'anthropic/second']);
    expect(profiles.cached('team')).toBe(chains[0]);
  });

  it('does not cache a read that a reload overtook, and shares no failed read', async () => {
    const profiles = profilesIn(directory);
    const before = profiles.chain('team');
    profiles.reload();
    await writeFile(join(directory, 'team.yaml'), 'type: model\nprovider: anthropic\nbuckets: [third]\n');
    await before;
    expect(profiles.cached('team')).toBeUndefined();
    expect((await profiles.chain('team')).targets.map((target) => target.key)).toEqual(['anthropic/third']);

    await expect(profiles.chain('missing')).rejects.toThrow();
    await writeFile(join(directory, 'missing.yaml'), 'type: model\nprovider: anthropic\nbuckets: [late]\n');
    expect((await profiles.chain('missing')).targets.map((target) => target.key)).toEqual(['anthropic/late']);
  });
});
