import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InvalidNameError } from '../core/names.js';
import {
  deleteProfile,
  ExampleProfileError,
  InvalidProfileError,
  listProfiles,
  loadProfile,
  ProfileCycleError,
  ProfileInUseError,
  ProfileNotFoundError,
  saveLoadBalancerProfile,
  saveModelProfile,
} from './index.js';
import { removeTemporaryProfiles, type TemporaryProfiles, temporaryProfiles } from './testing/temporary-profiles.js';

let profiles: TemporaryProfiles;

afterEach(removeTemporaryProfiles);

beforeEach(async () => {
  profiles = await temporaryProfiles('bundled');
});

describe('saving a model profile', () => {
  it('writes readable YAML as a 0600 file in a 0700 folder, and loads it back', async () => {
    const saved = await saveModelProfile(profiles.locations, 'mine', {
      provider: 'anthropic',
      model: 'claude-sonnet-4-6',
      buckets: ['work1@company.com', 'work2@company.com'],
      policy: 'roundrobin',
      sticky: true,
      limits: { maxConcurrent: 4, requestsPerMinute: 50 },
    });
    const path = join(profiles.locations.userDirectory, 'mine.yaml');
    expect(saved.path).toBe(path);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect((await stat(profiles.locations.userDirectory)).mode & 0o777).toBe(0o700);
    expect(await readFile(path, 'utf8')).toBe(
      'type: model\nprovider: anthropic\nmodel: claude-sonnet-4-6\nbuckets: ' +
        '[work1@company.com, work2@company.com]\npolicy: roundrobin\nsticky: ' +
        'true\nlimits:\n  maxConcurrent: 4\n  requestsPerMinute: 50\n',
    );
    expect(await loadProfile(profiles.locations, 'mine')).toEqual(saved.profile);
  });

  it('leaves out what was not given, and replaces an earlier profile of the same name', async () => {
    await saveModelProfile(profiles.locations, 'mine', { provider: 'openai', model: 'gpt-4.1', buckets: ['a'] });
    await saveModelProfile(profiles.locations, 'mine', { provider: 'codex', buckets: ['b'] });
    expect(await readFile(join(profiles.locations.userDirectory, 'mine.yaml'), 'utf8')).toBe(
      'type: model\nprovider: codex\nbuckets: [b]\n',
    );
  });

  it('round-trips any valid bucket names, even ones YAML would read as other types', async () => {
    const nameCharacter = fc.constantFrom(...'abcXYZ019._@+-');
    const bucketName = fc
      .string({ unit: nameCharacter, minLength: 1, maxLength: 64 })
      .filter((name) => name !== '.' && name !== '..');
    const tricky = fc.constantFrom('true', 'null', '1e3', '0x1F', '-1', '.5', '@home', '+1', '...', '-', '_');
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.oneof(bucketName, tricky), { minLength: 1, maxLength: 5 }),
        async (buckets) => {
          await saveModelProfile(profiles.locations, 'property', { provider: 'gemini', buckets });
          expect(await loadProfile(profiles.locations, 'property')).toEqual({
            type: 'model',
            provider: 'gemini',
            buckets,
          });
        },
      ),
      { numRuns: 60 },
    );
  });

  it('refuses a bad profile or bucket name', async () => {
    await expect(
      saveModelProfile(profiles.locations, '../escape', { provider: 'openai', buckets: ['a'] }),
    ).rejects.toThrow(InvalidNameError);
    const error = await saveModelProfile(profiles.locations, 'mine', {
      provider: 'openai',
      buckets: ['good', '../x'],
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InvalidNameError);
    expect((error as Error).message).toBe(
      'Invalid bucket name "../x": use 1-64 characters from A-Z a-z 0-9 . _ @ + - (no slashes, no "..").',
    );
    expect(await listProfiles({ ...profiles.locations, exampleDirectory: undefined })).toEqual([]);
  });

  it('refuses what would not load back: no buckets, duplicates, bad limits, an empty model', async () => {
    const cases: [Parameters<typeof saveModelProfile>[2], string][] = [
      [
        { provider: 'openai', buckets: [] },
        'Cannot save profile "mine": buckets: needs at least one bucket — list ' +
          'bucket names in priority order, e.g. `buckets: [work1@company.com, ' +
          'personal@gmail.com]`',
      ],
      [
        { provider: 'openai', buckets: ['a', 'a'] },
        'Cannot save profile "mine": buckets[1]: bucket "a" is listed twice — use ' +
          '1-64 of A-Z a-z 0-9 . _ @ + - (no slashes, no "..")',
      ],
      [
        { provider: 'openai', buckets: ['a'], limits: { maxConcurrent: 0 } },
        'Cannot save profile "mine": limits.maxConcurrent: must be greater than ' +
          '0, got 0 — limits take maxConcurrent and requestsPerMinute, both whole ' +
          'numbers above 0',
      ],
      [
        { provider: 'openai', buckets: ['a'], model: '' },
        'Cannot save profile "mine": model: must not be empty — a model name such ' +
          "as claude-sonnet-4-6, or leave the line out to keep the client's model",
      ],
    ];
    for (const [input, message] of cases) {
      const error = await saveModelProfile(profiles.locations, 'mine', input).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(InvalidProfileError);
      expect((error as Error).message).toBe(message);
    }
    await expect(stat(join(profiles.locations.userDirectory, 'mine.yaml'))).rejects.toThrow(/ENOENT/);
  });
});

describe('saving a load-balancer profile', () => {
  it('saves one over existing profiles, examples included', async () => {
    await saveModelProfile(profiles.locations, 'one', { provider: 'anthropic', buckets: ['a'] });
    const saved = await saveLoadBalancerProfile(profiles.locations, 'both', 'roundrobin', ['one', 'openai-backup']);
    expect(await readFile(saved.path, 'utf8')).toBe(
      'type: loadbalancer\npolicy: roundrobin\nprofiles: [one, openai-backup]\n',
    );
    expect((await stat(saved.path)).mode & 0o777).toBe(0o600);
    expect(await loadProfile(profiles.locations, 'both')).toEqual({
      type: 'loadbalancer',
      policy: 'roundrobin',
      profiles: ['one', 'openai-backup'],
    });
  });

  it('refuses members that do not exist, naming them and the profiles that do', async () => {
    const error = await saveLoadBalancerProfile(profiles.locations, 'lost', 'failover', [
      'ha-claude',
      'ghost',
      'phantom',
    ]).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InvalidProfileError);
    expect((error as Error).message).toMatch(
      /^Cannot save profile "lost": profiles: unknown member profiles "ghost", "phantom" — save it first, or use one of: anthropic-primary, codex-pool, /,
    );
  });

  it('refuses a bad member name and a member listed twice', async () => {
    await expect(saveLoadBalancerProfile(profiles.locations, 'lb', 'failover', ['../x'])).rejects.toThrow(
      'Invalid profile name "../x"',
    );
    await expect(
      saveLoadBalancerProfile(profiles.locations, 'lb', 'failover', ['ha-claude', 'ha-claude']),
    ).rejects.toThrow('Cannot save profile "lb": profiles[1]: profile "ha-claude" is listed twice — use 1-64 of');
    await expect(saveLoadBalancerProfile(profiles.locations, 'lb', 'failover', [])).rejects.toThrow(
      'Cannot save profile "lb": profiles: needs at least one member profile',
    );
  });

  it('refuses a circle and keeps the profile it would have replaced', async () => {
    await saveLoadBalancerProfile(profiles.locations, 'inner', 'failover', ['ha-claude']);
    await saveLoadBalancerProfile(profiles.locations, 'outer', 'failover', ['inner']);
    const error = await saveLoadBalancerProfile(profiles.locations, 'inner', 'failover', ['outer']).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(ProfileCycleError);
    expect((error as Error).message).toBe(
      `Profiles refer to each other in a circle: inner -> outer -> inner (${join(profiles.locations.userDirectory, 'outer.yaml')} ` +
        `lists "inner"). Remove one of the references.`,
    );
    expect(await loadProfile(profiles.locations, 'inner')).toEqual({
      type: 'loadbalancer',
      policy: 'failover',
      profiles: ['ha-claude'],
    });
    await expect(saveLoadBalancerProfile(profiles.locations, 'self', 'failover', ['self'])).rejects.toThrow(
      'Profiles refer to each other in a circle: self -> self',
    );
  });
});

describe('deleting a profile', () => {
  it('refuses to delete a profile load balancers list unless forced, then tells which still list it', async () => {
    await saveModelProfile(profiles.locations, 'mine', { provider: 'openai', buckets: ['a'] });
    await saveLoadBalancerProfile(profiles.locations, 'pool', 'failover', ['mine', 'openai-backup']);
    const refusal = await deleteProfile(profiles.locations, 'mine').catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(ProfileInUseError);
    expect(refusal).toMatchObject({ profile: 'mine', referencedBy: ['pool'] });
    expect(await loadProfile(profiles.locations, 'mine')).toMatchObject({ provider: 'openai' });
    expect(await deleteProfile(profiles.locations, 'mine', { force: true })).toEqual({
      path: join(profiles.locations.userDirectory, 'mine.yaml'),
      referencedBy: ['pool'],
    });
    await expect(loadProfile(profiles.locations, 'mine')).rejects.toThrow(ProfileNotFoundError);
    expect(await deleteProfile(profiles.locations, 'pool')).toEqual({
      path: join(profiles.locations.userDirectory, 'pool.yaml'),
      referencedBy: [],
    });
  });

  it('deleting a copy that shadowed an example brings the example back', async () => {
    await saveModelProfile(profiles.locations, 'ha-claude', { provider: 'openai', buckets: ['mine'] });
    await deleteProfile(profiles.locations, 'ha-claude');
    expect(await loadProfile(profiles.locations, 'ha-claude')).toMatchObject({ provider: 'anthropic' });
  });

  it('refuses to delete a bundled example, with a hint', async () => {
    const error = await deleteProfile(profiles.locations, 'ha-claude').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ExampleProfileError);
    expect((error as Error).message).toBe(
      '"ha-claude" is a bundled example, not one of your profiles; it cannot be ' +
        'deleted. To change it, save your own profile under the same name (it ' +
        'takes precedence), e.g. `switchyard profile save model ha-claude ' +
        'BUCKET... --provider P`.',
    );
  });

  it('refuses an unknown profile, listing those that exist, and a path-trick name', async () => {
    await expect(deleteProfile(profiles.locations, 'nope')).rejects.toThrow(
      /^Unknown profile "nope"\. Profiles: anthropic-primary, /,
    );
    await expect(deleteProfile(profiles.locations, '../profiles/x')).rejects.toThrow(InvalidNameError);
  });
});
