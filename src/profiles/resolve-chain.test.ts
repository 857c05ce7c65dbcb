import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigFileError } from '../config/yaml-file.js';
import { ProfileCycleError, ProfileNotFoundError, resolveChain } from './index.js';
import { removeTemporaryProfiles, type TemporaryProfiles, temporaryProfiles } from './testing/temporary-profiles.js';

let profiles: TemporaryProfiles;

afterEach(removeTemporaryProfiles);

beforeEach(async () => {
  profiles = await temporaryProfiles('own');
});

function keysOf(chain: { targets: { key: string }[] }): string[] {
  return chain.targets.map((target) => target.key);
}

describe('resolving a profile into a chain of buckets', () => {
  it('turns a model profile into its buckets in priority order', async () => {
    await profiles.writeUser(
      'ha',
      'type: model\nprovider: claude\nmodel: claude-sonnet-4-6\nbuckets: [w1, w2]\nlimits: {maxConcurrent: 2}\n',
    );
    expect(await resolveChain(profiles.locations, 'ha')).toEqual({
      name: 'ha',
      policy: 'failover',
      sticky: false,
      targets: [
        {
          provider: 'anthropic',
          bucket: 'w1',
          key: 'anthropic/w1',
          model: 'claude-sonnet-4-6',
          limits: { maxConcurrent: 2 },
          profile: 'ha',
        },
        {
          provider: 'anthropic',
          bucket: 'w2',
          key: 'anthropic/w2',
          model: 'claude-sonnet-4-6',
          limits: { maxConcurrent: 2 },
          profile: 'ha',
        },
      ],
    });
  });

  it("keeps the top profile's timeouts on the chain and each model profile's on its buckets", async () => {
    await profiles.writeUser(
      'slow',
      'type: model\nprovider: anthropic\nbuckets: [a]\ntimeouts: {firstByteMs: 90000}\n',
    );
    await profiles.writeUser('quick', 'type: model\nprovider: openai\nbuckets: [b]\n');
    await profiles.writeUser(
      'both',
      'type: loadbalancer\npolicy: failover\nprofiles: [slow, quick]\ntimeouts: ' +
        '{requestMs: 120000, firstByteMs: 20000}\n',
    );
    const chain = await resolveChain(profiles.locations, 'both');
    expect(chain.timeouts).toEqual({ requestMs: 120_000, firstByteMs: 20_000 });
    expect(chain.targets.map((target) => target.timeouts)).toEqual([{ firstByteMs: 90_000 }, undefined]);
  });

  it("takes a model profile's own policy and stickiness", async () => {
    await profiles.writeUser(
      'team',
      'type: model\nprovider: anthropic\nbuckets: [a, b]\npolicy: roundrobin\nsticky: true\n',
    );
    expect(await resolveChain(profiles.locations, 'team')).toMatchObject({ policy: 'roundrobin', sticky: true });
  });

  it('flattens nested load balancers in order, with the policy of the top one, keeping the first of duplicate buckets', async () => {
    await profiles.writeUser('claude', 'type: model\nprovider: anthropic\nbuckets: [a, b]\n');
    await profiles.writeExample('gpt', 'type: model\nprovider: openai\nmodel: gpt-4.1\nbuckets: [c]\n');
    await profiles.writeUser('claude-b', 'type: model\nprovider: claude\nmodel: other\nbuckets: [b, d]\n');
    await profiles.writeUser('inner', 'type: loadbalancer\npolicy: failover\nprofiles: [claude, gpt]\n');
    await profiles.writeUser(
      'outer',
      'type: loadbalancer\npolicy: roundrobin\nsticky: true\nprofiles: [inner, claude-b, claude]\n',
    );
    const chain = await resolveChain(profiles.locations, 'outer');
    expect(chain).toMatchObject({ name: 'outer', policy: 'roundrobin', sticky: true });
    expect(keysOf(chain)).toEqual(['anthropic/a', 'anthropic/b', 'openai/c', 'anthropic/d']);
    expect(chain.targets.map((target) => [target.profile, target.model])).toEqual([
      ['claude', undefined],
      ['claude', undefined],
      ['gpt', 'gpt-4.1'],
      ['claude-b', 'other'],
    ]);
  });

  it('follows the same member twice without calling it a circle', async () => {
    await profiles.writeUser('base', 'type: model\nprovider: qwen\nbuckets: [q]\n');
    await profiles.writeUser('left', 'type: loadbalancer\npolicy: failover\nprofiles: [base]\n');
    await profiles.writeUser('right', 'type: loadbalancer\npolicy: failover\nprofiles: [base]\n');
    await profiles.writeUser('top', 'type: loadbalancer\npolicy: failover\nprofiles: [left, right]\n');
    expect(keysOf(await resolveChain(profiles.locations, 'top'))).toEqual(['qwen/q']);
  });

  it('refuses a circle, naming it and the file that closes it', async () => {
    await profiles.writeUser('a', 'type: loadbalancer\npolicy: failover\nprofiles: [b]\n');
    const closing = await profiles.writeUser('b', 'type: loadbalancer\npolicy: failover\nprofiles: [c, a]\n');
    await profiles.writeUser('c', 'type: model\nprovider: openai\nbuckets: [x]\n');
    const error = await resolveChain(profiles.locations, 'a').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ProfileCycleError);
    expect(error).toMatchObject({ cycle: ['a', 'b', 'a'], path: closing });
    expect((error as Error).message).toBe(
      `Profiles refer to each other in a circle: a -> b -> a (${closing} lists "a"). Remove one of the references.`,
    );
  });

  it('names an unknown member with the file and line that list it', async () => {
    await profiles.writeUser('real', 'type: model\nprovider: openai\nbuckets: [x]\n');
    const path = await profiles.writeUser(
      'dangling',
      'type: loadbalancer\npolicy: failover\nprofiles:\n  - real\n  - missing\n',
    );
    const error = await resolveChain(profiles.locations, 'dangling').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConfigFileError);
    expect((error as Error).message).toBe(
      `${path}:5: profiles[1]: unknown profile "missing" — profiles that exist: real`,
    );
  });

  it("reports a broken member file as that file's error", async () => {
    const broken = await profiles.writeUser('broken', 'type: model\nprovider: openai\n');
    await profiles.writeUser('pool', 'type: loadbalancer\npolicy: failover\nprofiles: [broken]\n');
    await expect(resolveChain(profiles.locations, 'pool')).rejects.toThrow(
      `${broken}:1: buckets: missing (expected a list)`,
    );
  });

  it('refuses an unknown top-level profile as not found', async () => {
    await expect(resolveChain(profiles.locations, 'nope')).rejects.toThrow(ProfileNotFoundError);
  });
});
