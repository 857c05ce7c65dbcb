import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultExampleDirectory, listProfiles } from './index.js';
import { removeTemporaryProfiles, temporaryProfiles } from './testing/temporary-profiles.js';

afterEach(removeTemporaryProfiles);

describe('listing profiles', () => {
  it('lists every bundled example, each of them valid', async () => {
    const { locations } = await temporaryProfiles('bundled');
    const entries = await listProfiles(locations);
    const files = (await readdir(defaultExampleDirectory() ?? ''))
      .filter((file) => file.endsWith('.yaml'))
      .map((file) => file.replace(/\.yaml$/, ''));
    expect(entries.map((entry) => entry.name)).toEqual(files.sort());
    expect(entries.map((entry) => entry.name)).toEqual(
      expect.arrayContaining([
        'ha-claude',
        'team-claude',
        'anthropic-primary',
        'openai-backup',
        'gemini-emergency',
        'multi-provider',
        'codex-pool',
        'qwen',
      ]),
    );
    expect(entries.filter((entry) => entry.error !== undefined || entry.source !== 'example')).toEqual([]);
  });

  it("lists the user's profiles first, then the examples they do not shadow", async () => {
    const profiles = await temporaryProfiles('own');
    await profiles.writeExample('shared', 'type: model\nprovider: openai\nbuckets: [example]\n');
    await profiles.writeExample('only-example', 'type: model\nprovider: openai\nbuckets: [example]\n');
    const userPath = await profiles.writeUser('shared', 'type: model\nprovider: gemini\nbuckets: [mine]\n');
    await profiles.writeUser('zeta', 'type: loadbalancer\npolicy: roundrobin\nprofiles: [shared]\n');
    const entries = await listProfiles(profiles.locations);
    expect(entries.map(({ name, source }) => `${source}:${name}`)).toEqual([
      'user:shared',
      'user:zeta',
      'example:only-example',
    ]);
    expect(entries[0]).toEqual({
      name: 'shared',
      source: 'user',
      path: userPath,
      profile: { type: 'model', provider: 'gemini', buckets: ['mine'] },
    });
  });

  it('lists a broken file with its error without hiding the others', async () => {
    const profiles = await temporaryProfiles('none');
    const path = await profiles.writeUser('broken', 'type: model\nprovider: [anthropic\n');
    await profiles.writeUser('fine', 'type: model\nprovider: openai\nbuckets: [a]\n');
    await profiles.writeUser('bad name.yaml', 'type: model\nprovider: openai\nbuckets: [a]\n');
    const entries = await listProfiles(profiles.locations);
    expect(entries).toHaveLength(3);
    expect(entries[0]).toEqual({
      name: 'bad name',
      source: 'user',
      path: expect.stringContaining('bad name.yaml'),
      error:
        'the file name is not a valid profile name; rename the file (use 1-64 of ' +
        'A-Z a-z 0-9 . _ @ + - (no slashes, no ".."))',
    });
    expect(entries[1]).toMatchObject({
      name: 'broken',
      path,
      error: expect.stringMatching(/^.*broken\.yaml:3:1: invalid YAML: /),
    });
    expect(entries[1]?.profile).toBeUndefined();
    expect(entries[2]).toMatchObject({ name: 'fine', profile: { provider: 'openai' } });
  });

  it('prefers NAME.yaml over NAME.yml and ignores other files', async () => {
    const profiles = await temporaryProfiles('none');
    await profiles.writeUser('twice.yml', 'type: model\nprovider: openai\nbuckets: [yml]\n');
    await profiles.writeUser('twice.yaml', 'type: model\nprovider: openai\nbuckets: [yaml]\n');
    await writeFile(join(profiles.locations.userDirectory, 'twice.yaml.bak'), 'not a profile');
    await writeFile(join(profiles.locations.userDirectory, 'README'), 'not a profile');
    const entries = await listProfiles(profiles.locations);
    expect(entries).toMatchObject([{ name: 'twice', profile: { buckets: ['yaml'] } }]);
  });

  it('lists nothing when neither folder exists yet', async () => {
    const profiles = await temporaryProfiles('own');
    expect(await listProfiles(profiles.locations)).toEqual([]);
  });
});
