import { readFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigFileError } from '../config/yaml-file.js';
import { targetModel } from '../router/target-model.js';
import { loadProfile, resolveChain } from './index.js';
import { parseModelMap } from './model-map-argument.js';
import { saveModelProfile } from './save-profile.js';
import { removeTemporaryProfiles, type TemporaryProfiles, temporaryProfiles } from './testing/temporary-profiles.js';

let profiles: TemporaryProfiles;

afterEach(removeTemporaryProfiles);

beforeEach(async () => {
  profiles = await temporaryProfiles('bundled');
});

describe("a model profile's model map", () => {
  it("is read, carried to each bucket, and picks the member's model for the client's", async () => {
    await profiles.writeUser(
      'openai-backup',
      'type: model\nprovider: openai\nmodel: gpt-4.1\nmodels:\n  ' +
        "claude-haiku-4-5: gpt-4.1-mini\n  '*': gpt-4.1-nano\nbuckets: [key1]\n",
    );
    expect(await loadProfile(profiles.locations, 'openai-backup')).toMatchObject({
      models: { 'claude-haiku-4-5': 'gpt-4.1-mini', '*': 'gpt-4.1-nano' },
    });
    const [target] = (await resolveChain(profiles.locations, 'openai-backup')).targets;
    expect(target?.models).toEqual({ 'claude-haiku-4-5': 'gpt-4.1-mini', '*': 'gpt-4.1-nano' });
    expect(targetModel(target!, 'claude-haiku-4-5')).toBe('gpt-4.1-mini');
    expect(targetModel(target!, 'claude-sonnet-4-6')).toBe('gpt-4.1-nano');
    expect(targetModel(target!, undefined)).toBe('gpt-4.1-nano');
  });

  it("falls back to the profile's model, then the client's, for names the map does not list", async () => {
    await profiles.writeUser(
      'mapped',
      'type: model\nprovider: gemini\nmodel: gemini-2.5-pro\nmodels: ' +
        '{claude-haiku-4-5: gemini-2.5-flash}\nbuckets: [g]\n',
    );
    await profiles.writeUser('plain', 'type: model\nprovider: gemini\nbuckets: [g]\n');
    const [mapped] = (await resolveChain(profiles.locations, 'mapped')).targets;
    const [plain] = (await resolveChain(profiles.locations, 'plain')).targets;
    expect(targetModel(mapped!, 'claude-haiku-4-5')).toBe('gemini-2.5-flash');
    expect(targetModel(mapped!, 'claude-opus-4-1')).toBe('gemini-2.5-pro');
    expect(targetModel(plain!, 'gemini-2.5-flash')).toBe('gemini-2.5-flash');
    expect(plain).not.toHaveProperty('models');
  });

  it('does not let a client model named like an Object property find the prototype', async () => {
    await profiles.writeUser('mapped', 'type: model\nprovider: openai\nmodels: {gpt-4o: gpt-4.1}\nbuckets: [k]\n');
    const [target] = (await resolveChain(profiles.locations, 'mapped')).targets;
    expect(targetModel(target!, 'constructor')).toBe('constructor');
  });

  it('refuses a map entry without a model, with a hint showing the shape', async () => {
    await profiles.writeUser('bad', "type: model\nprovider: openai\nmodels:\n  claude-haiku-4-5: ''\nbuckets: [k]\n");
    const error = await loadProfile(profiles.locations, 'bad').then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(ConfigFileError);
    expect((error as Error).message).toMatch(
      /bad\.yaml:4: models\.claude-haiku-4-5: needs a model name — map the client's model names to this provider's, e\.g\. `models: \{ claude-haiku-4-5: gpt-4\.1-mini, '\*': gpt-4\.1 \}`/,
    );
  });

  it('refuses a map that is not a mapping', async () => {
    await profiles.writeUser('bad', 'type: model\nprovider: openai\nmodels: [gpt-4.1]\nbuckets: [k]\n');
    await expect(loadProfile(profiles.locations, 'bad')).rejects.toThrow(
      /bad\.yaml:3: models: .* — map the client's model names/,
    );
  });

  it('is saved from `--models` pairs, after `model`, and loads back the same', async () => {
    const models = parseModelMap('claude-haiku-4-5=gpt-4.1-mini, *=gpt-4.1');
    expect(models).toEqual({ 'claude-haiku-4-5': 'gpt-4.1-mini', '*': 'gpt-4.1' });
    const saved = await saveModelProfile(profiles.locations, 'backup', {
      provider: 'openai',
      model: 'gpt-4.1',
      models,
      buckets: ['k1'],
    });
    expect(await readFile(saved.path, 'utf8')).toBe(
      'type: model\nprovider: openai\nmodel: gpt-4.1\nmodels:\n  ' +
        'claude-haiku-4-5: gpt-4.1-mini\n  "*": gpt-4.1\nbuckets: [k1]\n',
    );
    expect(await loadProfile(profiles.locations, 'backup')).toMatchObject({ models });
  });

  it('refuses `--models` text that is not CLIENT=MODEL pairs, saying the form', () => {
    expect(() => parseModelMap('gpt-4.1')).toThrow(
      'Expected `--models` as CLIENT=MODEL pairs separated by commas, e.g. ' +
        '--models \'claude-haiku-4-5=gpt-4.1-mini,*=gpt-4.1\'; got "gpt-4.1".',
    );
    expect(() => parseModelMap('a=b,a=c')).toThrow('`--models` maps "a" twice; give each client model once.');
    expect(() => parseModelMap(' , ')).toThrow(
      'Expected `--models` as CLIENT=MODEL pairs separated by commas, e.g. ' +
        "--models 'claude-haiku-4-5=gpt-4.1-mini,*=gpt-4.1'.",
    );
  });
});
