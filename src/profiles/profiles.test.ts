import { mkdtemp, readFile, stat, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { ConfigFileError } from '../config/yaml-file.js';
import {
  defaultExampleDirectory,
  deleteProfile,
  listProfiles,
  loadProfile,
  resolveChain,
  saveLoadBalancerProfile,
  saveModelProfile,
  type ProfileLocations,
} from './index.js';

let locations: ProfileLocations;

async function write(name: string, text: string): Promise<void> {
  await mkdir(locations.userDirectory, { recursive: true });
  await writeFile(join(locations.userDirectory, `${name}.yaml`), text);
}

beforeEach(async () => {
  const home = await mkdtemp(join(tmpdir(), 'switchyard-profiles-'));
  locations = { userDirectory: join(home, 'profiles'), exampleDirectory: defaultExampleDirectory() };
});

describe('loading profiles', () => {
  it('finds the bundled examples, and every one of them is valid', async () => {
    const entries = await listProfiles(locations);
    const names = entries.map((entry) => entry.name);
    expect(names).toEqual(expect.arrayContaining(['ha-claude', 'team-claude', 'multi-provider']));
    expect(entries.filter((entry) => entry.error)).toEqual([]);
    const chain = await resolveChain(locations, 'multi-provider');
    expect(chain.targets.map((target) => target.key)).toEqual(['anthropic/default', 'openai/default', 'gemini/default']);
  });

  it('prefers the user\'s profile over an example of the same name', async () => {
    await write('ha-claude', 'type: model\nprovider: claude\nbuckets: [mine]\n');
    expect(await loadProfile(locations, 'ha-claude')).toEqual({ type: 'model', provider: 'anthropic', buckets: ['mine'] });
    expect((await listProfiles(locations)).filter((entry) => entry.name === 'ha-claude')).toHaveLength(1);
  });

  it('refuses invalid YAML with the line and column', async () => {
    await write('broken', 'type: model\nprovider: [anthropic\n');
    await expect(loadProfile(locations, 'broken')).rejects.toThrow(/broken\.yaml:\d+: invalid YAML \(column \d+\)/);
  });

  it('refuses an unknown type with a hint', async () => {
    await write('odd', 'type: modle\nprovider: anthropic\nbuckets: [a]\n');
    await expect(loadProfile(locations, 'odd')).rejects.toThrow('odd.yaml:1: type: unknown profile type "modle" — use `type: model` or `type: loadbalancer`');
  });

  it('refuses a bad bucket name with its line, field and the naming rule', async () => {
    await write('bad', 'type: model\nprovider: anthropic\nbuckets:\n  - good\n  - ../../etc/passwd\n');
    const error = await loadProfile(locations, 'bad').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConfigFileError);
    expect((error as ConfigFileError).line).toBe(5);
    expect((error as Error).message).toBe(
      `${join(locations.userDirectory, 'bad.yaml')}:5: buckets[1]: invalid bucket name "../../etc/passwd" — bucket names use 1-64 characters from A-Z a-z 0-9 . _ @ + - (no slashes, no "..")`,
    );
  });

  it('refuses unknown keys and lists the allowed ones', async () => {
    await write('extra', 'type: model\nprovider: anthropic\nbuckets: [a]\nbukets: [b]\n');
    await expect(loadProfile(locations, 'extra')).rejects.toThrow(/extra\.yaml:4: bukets: unknown key "bukets" — allowed keys: type, provider, model, buckets/);
  });

  it('refuses a model profile without buckets, and an unknown provider', async () => {
    await write('empty', 'type: model\nprovider: anthropic\nbuckets: []\n');
    await expect(loadProfile(locations, 'empty')).rejects.toThrow(/empty\.yaml:3: buckets: needs at least one bucket/);
    await write('who', 'type: model\nprovider: mistral\nbuckets: [a]\n');
    await expect(loadProfile(locations, 'who')).rejects.toThrow(/who\.yaml:2: provider: unknown provider "mistral" — use one of anthropic, openai, codex, gemini, qwen/);
  });

  it('refuses alias bombs and huge files', async () => {
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]', ...Array.from({ length: 8 }, (_, index) => `${String.fromCharCode(98 + index)}: &${String.fromCharCode(98 + index)} [${Array(9).fill(`*${String.fromCharCode(97 + index)}`).join(',')}]`)].join('\n');
    await write('bomb', `${bomb}\ntype: model\n`);
    await expect(loadProfile(locations, 'bomb')).rejects.toThrow(/bomb\.yaml: refused: .*alias/i);
    await write('huge', `type: model\nprovider: anthropic\nbuckets: [a]\n# ${'x'.repeat(300 * 1024)}\n`);
    await expect(loadProfile(locations, 'huge')).rejects.toThrow(/huge\.yaml: the file is \d+ bytes, over the limit of 262144/);
  });

  it('names the profiles that exist when one is not found, and refuses path tricks before touching the disk', async () => {
    await expect(loadProfile(locations, 'nope')).rejects.toThrow(/^Unknown profile "nope"\. Profiles: .*ha-claude/);
    await expect(loadProfile(locations, '../etc/passwd')).rejects.toThrow(/^Invalid profile name "\.\.\/etc\/passwd"/);
    await expect(loadProfile(locations, 'a/b')).rejects.toThrow(/^Invalid profile name "a\/b"/);
  });
});

describe('saving profiles', () => {
  it('saves, loads and deletes a model profile as a 0600 file', async () => {
    await saveModelProfile(locations, 'mine', { provider: 'anthropic', model: 'claude-sonnet-4-5', buckets: ['w1@x.com', 'w2@x.com'] });
    const path = join(locations.userDirectory, 'mine.yaml');
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(await readFile(path, 'utf8')).toContain('provider: anthropic');
    expect(await loadProfile(locations, 'mine')).toEqual({ type: 'model', provider: 'anthropic', model: 'claude-sonnet-4-5', buckets: ['w1@x.com', 'w2@x.com'] });
    await deleteProfile(locations, 'mine');
    await expect(loadProfile(locations, 'mine')).rejects.toThrow(/Unknown profile "mine"/);
  });

  it('saves a load balancer, flattens nested members in order and refuses cycles and unknown members', async () => {
    await saveModelProfile(locations, 'one', { provider: 'anthropic', buckets: ['a', 'b'] });
    await saveModelProfile(locations, 'two', { provider: 'openai', buckets: ['c'] });
    await saveLoadBalancerProfile(locations, 'both', 'roundrobin', ['one', 'two']);
    await saveLoadBalancerProfile(locations, 'outer', 'failover', ['both', 'one']);
    const chain = await resolveChain(locations, 'outer');
    expect(chain.policy).toBe('failover');
    expect(chain.targets.map((target) => target.key)).toEqual(['anthropic/a', 'anthropic/b', 'openai/c']);
    await expect(saveLoadBalancerProfile(locations, 'lost', 'failover', ['ghost'])).rejects.toThrow('Member profile "ghost" does not exist; save it first.');
    await write('loop-a', 'type: loadbalancer\npolicy: failover\nprofiles: [loop-b]\n');
    await write('loop-b', 'type: loadbalancer\npolicy: failover\nprofiles: [loop-a]\n');
    await expect(resolveChain(locations, 'loop-a')).rejects.toThrow('Profiles refer to each other in a circle: loop-a -> loop-b -> loop-a.');
    await write('dangling', 'type: loadbalancer\npolicy: failover\nprofiles: [missing]\n');
    await expect(resolveChain(locations, 'dangling')).rejects.toThrow(/^Profile "dangling" lists "missing", which does not exist/);
  });

  it('refuses to delete a bundled example', async () => {
    await expect(deleteProfile(locations, 'ha-claude')).rejects.toThrow('"ha-claude" is a bundled example, not one of your profiles; it cannot be deleted.');
  });
});
