import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InvalidNameError } from '../core/names.js';
import { loadSettings, setDefaultProfile, setProviderOAuthEnabled, updateSettings } from './load-settings.js';
import { resolvePaths, type SwitchyardPaths } from './paths.js';
import { defaultSettings } from './settings.js';
import { ConfigFileError } from './yaml-file.js';

let paths: SwitchyardPaths;

beforeEach(async () => {
  paths = resolvePaths({ SWITCHYARD_HOME: join(await mkdtemp(join(tmpdir(), 'switchyard-settings-')), 'home') });
});

afterEach(async () => {
  await rm(dirname(paths.home), { recursive: true, force: true });
});

async function writeConfig(text: string): Promise<void> {
  await mkdir(paths.home, { recursive: true });
  await writeFile(paths.config, text);
}

async function failureOf(promise: Promise<unknown>): Promise<ConfigFileError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ConfigFileError);
  return error as ConfigFileError;
}

describe('loading config.yaml', () => {
  it('gives the defaults when the file is missing, holds only comments, or only empty sections', async () => {
    expect(await loadSettings(paths)).toEqual(defaultSettings);
    expect(defaultSettings).toMatchObject({
      server: { host: '127.0.0.1', port: 8790 },
      providers: {},
      routing: { defaultCooldownSeconds: 60 },
    });
    await writeConfig('# nothing here yet\n');
    expect(await loadSettings(paths)).toEqual(defaultSettings);
    await writeConfig('defaultProfile:\nproviders:\n  # anthropic:\n  #   baseUrl: http://127.0.0.1:4000\nrouting:\n');
    expect(await loadSettings(paths)).toEqual(defaultSettings);
  });

  it('reads overrides and fills in the rest', async () => {
    await writeConfig(
      'defaultProfile: ha-claude\nserver:\n  port: 9000\nproviders:\n  ' +
        'anthropic:\n    baseUrl: http://127.0.0.1:4000\n    oauthEnabled: ' +
        'false\nrouting:\n  defaultCooldownSeconds: 30\n',
    );
    const settings = await loadSettings(paths);
    expect(settings.defaultProfile).toBe('ha-claude');
    expect(settings.server).toEqual({ host: '127.0.0.1', port: 9000 });
    expect(settings.providers.anthropic).toEqual({ baseUrl: 'http://127.0.0.1:4000', oauthEnabled: false });
    expect(settings.routing).toEqual({ ...defaultSettings.routing, defaultCooldownSeconds: 30 });
  });

  it('bounds every request by default and takes shorter deadlines from routing', async () => {
    expect(defaultSettings.routing).toMatchObject({ requestTimeoutMs: 1_800_000, firstByteTimeoutMs: 300_000 });
    await writeConfig('routing:\n  requestTimeoutMs: 60000\n  firstByteTimeoutMs: 15000\n');
    expect((await loadSettings(paths)).routing).toMatchObject({ requestTimeoutMs: 60_000, firstByteTimeoutMs: 15_000 });
    await writeConfig('routing:\n  firstByteTimeoutMs: 0\n');
    expect((await failureOf(loadSettings(paths))).message).toBe(
      `${paths.config}:2: routing.firstByteTimeoutMs: must be greater than 0, ` +
        `got 0 — routing takes defaultCooldownSeconds, serverErrorRetries (0-10), ` +
        `retryBackoffMs, refreshAheadSeconds, statsFlushMs, requestTimeoutMs and ` +
        `firstByteTimeoutMs (whole milliseconds up to 86400000), answerLimitBytes and ` +
        `eventLimitBytes (whole bytes, at least 1024)`,
    );
  });

  it('bounds what is held of an upstream answer by default, and takes other bounds from routing', async () => {
    expect(defaultSettings.routing).toMatchObject({
      answerLimitBytes: 64 * 1024 * 1024,
      eventLimitBytes: 8 * 1024 * 1024,
    });
    await writeConfig('routing:\n  answerLimitBytes: 1048576\n  eventLimitBytes: 65536\n');
    expect((await loadSettings(paths)).routing).toMatchObject({ answerLimitBytes: 1_048_576, eventLimitBytes: 65_536 });
    await writeConfig('routing:\n  eventLimitBytes: 10\n');
    expect((await failureOf(loadSettings(paths))).message).toBe(
      `${paths.config}:2: routing.eventLimitBytes: must be at least 1024, ` +
        `got 10 — routing takes defaultCooldownSeconds, serverErrorRetries (0-10), ` +
        `retryBackoffMs, refreshAheadSeconds, statsFlushMs, requestTimeoutMs and ` +
        `firstByteTimeoutMs (whole milliseconds up to 86400000), answerLimitBytes and ` +
        `eventLimitBytes (whole bytes, at least 1024)`,
    );
  });

  it('accepts the claude and chatgpt aliases as provider sections', async () => {
    await writeConfig(
      'providers:\n  claude:\n    baseUrl: http://127.0.0.1:4000\n  chatgpt:\n    oauthEnabled: false\n',
    );
    expect((await loadSettings(paths)).providers).toEqual({
      anthropic: { baseUrl: 'http://127.0.0.1:4000' },
      codex: { oauthEnabled: false },
    });
    await writeConfig('providers:\n  claude:\n    baseUrl: nope\n    colour: blue\n');
    expect((await failureOf(loadSettings(paths))).message).toBe(
      [
        `${paths.config}:3: providers.claude.baseUrl: "nope" is not a valid URL — ` +
          `a full URL such as http://127.0.0.1:8080`,
        `${paths.config}:4: providers.claude.colour: unknown key "colour" — ` +
          `allowed keys here: baseUrl, oauthBaseUrl, oauthEnabled, authorizeUrl, ` +
          `tokenUrl, deviceUrl, clientId, scopes`,
      ].join('\n'),
    );
  });

  it('refuses one provider written under two names', async () => {
    await writeConfig('providers:\n  anthropic:\n    oauthEnabled: true\n  claude:\n    oauthEnabled: false\n');
    expect((await failureOf(loadSettings(paths))).message).toBe(
      `${paths.config}:5: providers.claude: names the same provider as ` +
        `providers.anthropic — merge the two sections into one`,
    );
  });

  it('reports a bad value with its line, field and a hint', async () => {
    await writeConfig('# my setup\nproviders:\n  openai:\n    baseUrl: not a url\n');
    expect((await failureOf(loadSettings(paths))).message).toBe(
      `${paths.config}:4: providers.openai.baseUrl: "not a url" is not a valid ` +
        `URL — a full URL such as http://127.0.0.1:8080`,
    );
    await writeConfig('server:\n  port: 70000\n');
    expect((await failureOf(loadSettings(paths))).message).toBe(
      `${paths.config}:2: server.port: must be at most 65535, got 70000 — ` +
        `server takes host (e.g. 127.0.0.1) and port (0-65535)`,
    );
  });

  it('reports unknown keys with the keys allowed there', async () => {
    await writeConfig('defaultProfile: x\nrouting:\n  cooldown: 5\nprovider:\n  openai: {}\n');
    expect((await failureOf(loadSettings(paths))).message).toBe(
      [
        `${paths.config}:3: routing.cooldown: unknown key "cooldown" — allowed ` +
          `keys here: defaultCooldownSeconds, serverErrorRetries, retryBackoffMs, ` +
          `refreshAheadSeconds, statsFlushMs, requestTimeoutMs, firstByteTimeoutMs, ` +
          `answerLimitBytes, eventLimitBytes`,
        `${paths.config}:4: provider: unknown key "provider" — allowed keys here: ` +
          `defaultProfile, server, providers, routing, state, clients, dashboard`,
      ].join('\n'),
    );
  });

  it('reports invalid YAML with line and column', async () => {
    await writeConfig('server:\n  port: [8790\n');
    expect((await failureOf(loadSettings(paths))).message).toMatch(new RegExp(`^${paths.config}:3:1: invalid YAML: `));
  });
});

describe('editing config.yaml', () => {
  it('creates the file (0600 in a 0700 folder) when there is none', async () => {
    await setDefaultProfile(paths, 'ha-claude');
    expect(await readFile(paths.config, 'utf8')).toBe('defaultProfile: ha-claude\n');
    expect((await stat(paths.config)).mode & 0o777).toBe(0o600);
    expect((await stat(paths.home)).mode & 0o777).toBe(0o700);
    expect((await loadSettings(paths)).defaultProfile).toBe('ha-claude');
  });

  it("keeps the user's comments and layout", async () => {
    const original = [
      '# switchyard settings',
      '',
      'defaultProfile: old # set by hand',
      '',
      '# point providers at the simulator',
      'providers:',
      '  anthropic:',
      '    baseUrl: http://127.0.0.1:4000 # local',
      'routing: { defaultCooldownSeconds: 30 }',
      '',
    ].join('\n');
    await writeConfig(original);
    await setDefaultProfile(paths, 'team-claude');
    await setProviderOAuthEnabled(paths, 'codex', false);
    await setProviderOAuthEnabled(paths, 'anthropic', true);
    expect(await readFile(paths.config, 'utf8')).toBe(
      [
        '# switchyard settings',
        '',
        'defaultProfile: team-claude # set by hand',
        '',
        '# point providers at the simulator',
        'providers:',
        '  anthropic:',
        '    baseUrl: http://127.0.0.1:4000 # local',
        '    oauthEnabled: true',
        '  codex:',
        '    oauthEnabled: false',
        'routing: { defaultCooldownSeconds: 30 }',
        '',
      ].join('\n'),
    );
    expect((await stat(paths.config)).mode & 0o777).toBe(0o600);
  });

  it('keeps a comment-only file and fills an empty section', async () => {
    await writeConfig('# my notes\nproviders:\n');
    await setProviderOAuthEnabled(paths, 'gemini', false);
    expect(await readFile(paths.config, 'utf8')).toBe('# my notes\nproviders:\n  gemini:\n    oauthEnabled: false\n');
    await writeConfig('# only notes\n');
    await setDefaultProfile(paths, 'x');
    expect(await readFile(paths.config, 'utf8')).toBe('# only notes\n\ndefaultProfile: x\n');
  });

  it('edits a provider under the alias the file already uses', async () => {
    await writeConfig('providers:\n  claude:\n    baseUrl: http://127.0.0.1:4000\n');
    await setProviderOAuthEnabled(paths, 'anthropic', false);
    expect(await readFile(paths.config, 'utf8')).toBe(
      'providers:\n  claude:\n    baseUrl: http://127.0.0.1:4000\n    oauthEnabled: false\n',
    );
  });

  it('refuses to edit a file that is already invalid, and leaves it untouched', async () => {
    await writeConfig('server:\n  port: many\n');
    expect((await failureOf(setDefaultProfile(paths, 'x'))).message).toMatch(
      new RegExp(`^${paths.config}:2: server\\.port: expected a number, got "many"`),
    );
    await writeConfig('- a\n- b\n');
    expect((await failureOf(setDefaultProfile(paths, 'x'))).message).toMatch(
      /config\.yaml:1: expected a mapping \(key: value lines\), got a list/,
    );
    expect(await readFile(paths.config, 'utf8')).toBe('- a\n- b\n');
  });

  it('refuses a change that would make the file invalid, and an invalid profile name', async () => {
    await writeConfig('# keep me\n');
    expect(
      (await failureOf(updateSettings(paths, (document) => document.set('server', 'everywhere')))).message,
    ).toMatch(/config\.yaml:3: server: expected a mapping/);
    await expect(setDefaultProfile(paths, '../x')).rejects.toThrow(InvalidNameError);
    expect(await readFile(paths.config, 'utf8')).toBe('# keep me\n');
  });
});
