import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigFileError } from '../config/yaml-file.js';
import { InvalidNameError } from '../core/names.js';
import { findProfile, loadProfile, ProfileNotFoundError } from './index.js';
import { removeTemporaryProfiles, type TemporaryProfiles, temporaryProfiles } from './testing/temporary-profiles.js';

let profiles: TemporaryProfiles;

afterEach(removeTemporaryProfiles);

beforeEach(async () => {
  profiles = await temporaryProfiles('bundled');
});

async function failureOf(name: string): Promise<Error> {
  const error = await loadProfile(profiles.locations, name).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(Error);
  return error as Error;
}

describe('loading a profile', () => {
  it('reads a model profile and normalises a provider alias', async () => {
    await profiles.writeUser(
      'mine',
      'type: model\nprovider: claude\nmodel: claude-sonnet-4-6\nbuckets: ' +
        '[work1@company.com, work2@company.com]\npolicy: roundrobin\nsticky: ' +
        'true\nlimits:\n  maxConcurrent: 4\n  requestsPerMinute: 50\n',
    );
    expect(await loadProfile(profiles.locations, 'mine')).toEqual({
      type: 'model',
      provider: 'anthropic',
      model: 'claude-sonnet-4-6',
      buckets: ['work1@company.com', 'work2@company.com'],
      policy: 'roundrobin',
      sticky: true,
      limits: { maxConcurrent: 4, requestsPerMinute: 50 },
    });
  });

  it('reads a load-balancer profile', async () => {
    expect(await loadProfile(profiles.locations, 'multi-provider')).toEqual({
      type: 'loadbalancer',
      policy: 'failover',
      profiles: ['anthropic-primary', 'openai-backup', 'gemini-emergency'],
    });
  });

  it("prefers the user's profile over a bundled example of the same name", async () => {
    const path = await profiles.writeUser('ha-claude', 'type: model\nprovider: chatgpt\nbuckets: [mine]\n');
    const found = await findProfile(profiles.locations, 'ha-claude');
    expect(found).toMatchObject({
      name: 'ha-claude',
      source: 'user',
      path,
      profile: { type: 'model', provider: 'codex', buckets: ['mine'] },
    });
  });

  it('falls back to the bundled example', async () => {
    const found = await findProfile(profiles.locations, 'ha-claude');
    expect(found).toMatchObject({
      source: 'example',
      profile: { provider: 'anthropic', buckets: ['work1@company.com', 'work2@company.com', 'personal@gmail.com'] },
    });
  });

  it('accepts a .yml file made by hand', async () => {
    await profiles.writeUser('short.yml', 'type: model\nprovider: qwen\nbuckets: [default]\n');
    expect(await loadProfile(profiles.locations, 'short')).toEqual({
      type: 'model',
      provider: 'qwen',
      buckets: ['default'],
    });
  });

  it('names the profiles that exist when one is not found', async () => {
    await profiles.writeUser('mine', 'type: model\nprovider: openai\nbuckets: [a]\n');
    const error = await failureOf('nope');
    expect(error).toBeInstanceOf(ProfileNotFoundError);
    expect(error.message).toMatch(
      /^Unknown profile "nope"\. Profiles: mine, anthropic-primary, codex-pool, gemini-emergency, ha-claude, multi-provider, /,
    );
    expect(error.message).toMatch(/Create one with `switchyard profile save model nope BUCKET\.\.\. --provider P`\.$/);
    const empty = await temporaryProfiles('none');
    await expect(loadProfile(empty.locations, 'nope')).rejects.toThrow(
      'Unknown profile "nope". There are no profiles yet.',
    );
  });

  it('refuses path tricks in names before touching the disk', async () => {
    // A valid profile sits where `../outside` would lead; it must not be read.
    await writeFile(join(profiles.home, 'outside.yaml'), 'type: model\nprovider: openai\nbuckets: [a]\n');
    await mkdir(join(profiles.home, 'etc'), { recursive: true });
    await writeFile(join(profiles.home, 'etc', 'passwd.yaml'), 'type: model\nprovider: openai\nbuckets: [a]\n');
    for (const name of ['../outside', '../etc/passwd', 'a/b', '..', '', 'a\\b']) {
      const error = await failureOf(name);
      expect(error).toBeInstanceOf(InvalidNameError);
      expect(error.message).toBe(
        `Invalid profile name "${name}": use 1-64 characters from A-Z a-z 0-9 . _ @ + - (no slashes, no "..").`,
      );
    }
  });
});

describe('refusing a bad profile file', () => {
  async function messageOf(text: string): Promise<{ message: string; path: string; error: ConfigFileError }> {
    const path = await profiles.writeUser('bad', text);
    const error = await failureOf('bad');
    expect(error).toBeInstanceOf(ConfigFileError);
    return { message: error.message, path, error: error as ConfigFileError };
  }

  it('refuses an unknown type with a hint', async () => {
    const { message, path } = await messageOf('# mine\ntype: modle\nprovider: anthropic\nbuckets: [a]\n');
    expect(message).toBe(
      `${path}:2: type: unknown profile type "modle" — use \`type: model\` or \`type: loadbalancer\``,
    );
  });

  it('refuses a missing type, an empty file and a file that is not a mapping', async () => {
    expect((await messageOf('provider: anthropic\nbuckets: [a]\n')).message).toMatch(
      /bad\.yaml:1: type: missing — use `type: model` or `type: loadbalancer`$/,
    );
    expect((await messageOf('# nothing yet\n')).message).toMatch(
      /bad\.yaml: the file is empty — a profile starts with a `type` line: use `type: model` or `type: loadbalancer`$/,
    );
    expect((await messageOf('- type: model\n')).message).toMatch(
      /bad\.yaml:1: a profile must be a mapping of keys to values — start with a `type` line/,
    );
  });

  it('refuses a bad bucket name with its line, field and the naming rule', async () => {
    const { message, path, error } = await messageOf(
      'type: model\nprovider: anthropic\nbuckets:\n  - good\n  - ../x\n',
    );
    expect(message).toBe(
      `${path}:5: buckets[1]: invalid bucket name "../x" — use 1-64 of A-Z a-z 0-9 . _ @ + - (no slashes, no "..")`,
    );
    expect(error).toMatchObject({
      line: 5,
      field: 'buckets[1]',
      hint: 'use 1-64 of A-Z a-z 0-9 . _ @ + - (no slashes, no "..")',
    });
  });

  it('refuses a bucket listed twice', async () => {
    const { message, path } = await messageOf('type: model\nprovider: anthropic\nbuckets: [a, b, a]\n');
    expect(message).toBe(
      `${path}:3: buckets[2]: bucket "a" is listed twice — use 1-64 of A-Z a-z 0-9 . _ @ + - (no slashes, no "..")`,
    );
  });

  it('refuses unknown keys and lists the allowed ones', async () => {
    const { message, path } = await messageOf('type: model\nprovider: anthropic\nbuckets: [a]\nbukets: [b]\n');
    expect(message).toBe(
      `${path}:4: bukets: unknown key "bukets" — allowed keys here: type, ` +
        `provider, model, models, buckets, policy, sticky, threshold, reserve, limits, timeouts`,
    );
    const balancer = await messageOf('type: loadbalancer\npolicy: failover\nprofiles: [ha-claude]\nbuckets: [a]\n');
    expect(balancer.message).toBe(
      `${path}:4: buckets: unknown key "buckets" — allowed keys here: type, policy, profiles, sticky, threshold, ` +
        'reserve, timeouts',
    );
    const limits = await messageOf('type: model\nprovider: anthropic\nbuckets: [a]\nlimits:\n  rpm: 5\n');
    expect(limits.message).toBe(
      `${path}:5: limits.rpm: unknown key "rpm" — allowed keys here: maxConcurrent, requestsPerMinute`,
    );
  });

  it('refuses timeouts that are not whole positive milliseconds up to a day, with a hint', async () => {
    const hint =
      'timeouts take requestMs (the whole request) and firstByteMs (until the ' +
      "answer's first byte), whole milliseconds from 1 to 86400000, e.g. " +
      '`timeouts: {requestMs: 600000, firstByteMs: 60000}`';
    const negative = await messageOf('type: model\nprovider: anthropic\nbuckets: [a]\ntimeouts:\n  firstByteMs: -5\n');
    expect(negative.message).toBe(`${negative.path}:5: timeouts.firstByteMs: must be greater than 0, got -5 — ${hint}`);
    const huge = await messageOf(
      'type: loadbalancer\npolicy: failover\nprofiles: [ha-claude]\ntimeouts: {requestMs: 90000000}\n',
    );
    expect(huge.message).toBe(`${huge.path}:4: timeouts.requestMs: must be at most 86400000, got 90000000 — ${hint}`);
    const unknown = await messageOf('type: model\nprovider: anthropic\nbuckets: [a]\ntimeouts: {totalMs: 5}\n');
    expect(unknown.message).toBe(
      `${unknown.path}:4: timeouts.totalMs: unknown key "totalMs" — allowed keys here: requestMs, firstByteMs`,
    );
  });

  it('refuses a model profile without buckets, with an empty list, or with a single name instead of a list', async () => {
    expect((await messageOf('type: model\nprovider: anthropic\n')).message).toMatch(
      /bad\.yaml:1: buckets: missing \(expected a list\) — list bucket names in priority order, e\.g\. `buckets: \[work1@company\.com, personal@gmail\.com\]`$/,
    );
    expect((await messageOf('type: model\nprovider: anthropic\nbuckets: []\n')).message).toMatch(
      /bad\.yaml:3: buckets: needs at least one bucket — list bucket names/,
    );
    expect((await messageOf('type: model\nprovider: anthropic\nbuckets: work1\n')).message).toMatch(
      /bad\.yaml:3: buckets: expected a list, got "work1" — list bucket names/,
    );
  });

  it('refuses an unknown provider, policy, sticky or limit value', async () => {
    expect((await messageOf('type: model\nprovider: mistral\nbuckets: [a]\n')).message).toMatch(
      /bad\.yaml:2: provider: unknown provider "mistral" — use one of anthropic, openai, codex, gemini, qwen \(or claude, chatgpt\)$/,
    );
    expect((await messageOf('type: model\nprovider: openai\nbuckets: [a]\npolicy: random\n')).message).toMatch(
      /bad\.yaml:4: policy: "random" is not one of failover, roundrobin, balance — use `policy: failover`, `policy: roundrobin` or `policy: balance`$/,
    );
    expect((await messageOf('type: model\nprovider: openai\nbuckets: [a]\nsticky: yes\n')).message).toMatch(
      /bad\.yaml:4: sticky: expected true or false, got "yes" — use `sticky: true` or `sticky: false`$/,
    );
    expect(
      (await messageOf('type: model\nprovider: openai\nbuckets: [a]\nlimits:\n  maxConcurrent: 0\n')).message,
    ).toMatch(
      /bad\.yaml:5: limits\.maxConcurrent: must be greater than 0, got 0 — limits take maxConcurrent and requestsPerMinute, both whole numbers above 0$/,
    );
  });

  it('refuses a load balancer without a policy or members, or with a bad member name', async () => {
    expect((await messageOf('type: loadbalancer\nprofiles: [ha-claude]\n')).message).toMatch(
      /bad\.yaml:1: policy: missing \(expected one of failover, roundrobin, balance\) — use `policy: failover`, `policy: roundrobin` or `policy: balance`$/,
    );
    expect((await messageOf('type: loadbalancer\npolicy: failover\nprofiles: []\n')).message).toMatch(
      /bad\.yaml:3: profiles: needs at least one member profile — list other profiles by name/,
    );
    expect(
      (await messageOf('type: loadbalancer\npolicy: failover\nprofiles:\n  - ha-claude\n  - ../../etc/passwd\n'))
        .message,
    ).toMatch(/bad\.yaml:5: profiles\[1\]: invalid profile name "\.\.\/\.\.\/etc\/passwd" — use 1-64 of/);
  });

  it("does not fall back to the example when the user's file of that name is broken", async () => {
    const path = await profiles.writeUser('ha-claude', 'type: model\nprovider: anthropic\n');
    await expect(loadProfile(profiles.locations, 'ha-claude')).rejects.toThrow(`${path}:1: buckets: missing`);
  });
});
