import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type ClientStage, clientKey, openClientStage } from './support/client-stage.js';
import { installClient } from './support/install-clients.js';
import { runClient } from './support/run-client.js';

/**
 * Gemini CLI 0.61.0 (`gemini -p`) with `GOOGLE_GEMINI_BASE_URL` at switchyard and API-key auth
 * (`GEMINI_API_KEY`, `security.auth.selectedType`). Offline: no usage statistics, telemetry,
 * auto-update or update nag. The model is left on `auto`, as users run it: Gemini CLI first asks
 * a classifier model (gemini-3.5-flash-lite) for a JSON complexity score (`responseMimeType` +
 * `responseJsonSchema`), which switchyard carries across formats and the simulator answers with a
 * schema instance (score 1, so the turn goes to the flash model, gemini-3.8-flash). GEMINI_CLI_NO_RELAUNCH
 * keeps it in one process (it otherwise starts itself again with a larger heap, doubling start-up).
 * With these settings it connects to switchyard alone (checked with strace).
 * @see https://github.com/google-gemini/gemini-cli/blob/main/docs/reference/configuration.md
 */
const geminiSettings = {
  security: { auth: { selectedType: 'gemini-api-key' } },
  privacy: { usageStatisticsEnabled: false },
  telemetry: { enabled: false },
  general: { disableAutoUpdate: true, disableUpdateNag: true },
};

describe('Gemini CLI through switchyard', () => {
  let gemini: string;
  let stage: ClientStage;

  beforeAll(async () => {
    gemini = await installClient('gemini');
  }, 300_000);

  beforeEach(async () => {
    stage = await openClientStage('gemini');
  });

  afterEach(async () => {
    await stage.close();
  });

  const ask = async (profile: string, prompt: string) => {
    const url = await stage.start(profile);
    await mkdir(join(stage.workspace, '.gemini'), { recursive: true });
    await writeFile(join(stage.workspace, '.gemini', 'settings.json'), JSON.stringify(geminiSettings, null, 2));
    return runClient(
      gemini,
      ['-p', prompt],
      {
        HOME: stage.workspace,
        GEMINI_CLI_HOME: stage.workspace,
        GEMINI_API_KEY: clientKey,
        GOOGLE_GEMINI_BASE_URL: url,
        GEMINI_CLI_TRUST_WORKSPACE: 'true',
        GEMINI_CLI_NO_RELAUNCH: 'true',
      },
      { cwd: stage.workspace },
    );
  };

  it('completes a prompt on gemini, moving past a rate-limited bucket to the next one', async () => {
    const { harness } = stage;
    await harness.addBucket('gemini', 'a');
    await harness.addBucket('gemini', 'b');
    await harness.writeProfile('gemini', 'type: model\nprovider: gemini\nbuckets: [a, b]\n');
    harness.simulator.script('gemini-a', [{ kind: 'rate-limit', style: 'gemini', resetSeconds: 3600, quota: true }]);

    const result = await ask('gemini', 'Say hello');

    expect(result, result.stderr).toMatchObject({ code: 0 });
    expect(result.stdout.trim()).toBe('Hello from gemini-b via the switchyard provider simulator');
    expect(harness.simulator.counts('gemini-a').byStatus).toEqual({ 429: 1 });
    expect(harness.simulator.counts('gemini-b').byStatus).toEqual({ 200: 2 });
    expect(Object.keys(harness.simulator.allCounts()).sort()).toEqual(['gemini-a', 'gemini-b']);
    // The classifier's JSON request meets the rate limit first; the turn then goes straight to b.
    expect(stage.exchanges()).toEqual([
      {
        method: 'POST',
        path: '/v1beta/models/gemini-3.5-flash-lite:generateContent',
        status: 200,
        bucket: 'gemini/b',
        attempts: 'gemini/a:429,gemini/b:200',
      },
      {
        method: 'POST',
        path: '/v1beta/models/gemini-3.8-flash:streamGenerateContent',
        status: 200,
        bucket: 'gemini/b',
        attempts: 'gemini/b:200',
      },
    ]);
  }, 180_000);

  it('completes a prompt on codex after every gemini bucket answers 429 (load balancer, translated both ways)', async () => {
    const { harness } = stage;
    await harness.addBucket('gemini', 'a');
    await harness.addBucket('codex', 'a');
    await harness.writeProfile('gemini-first', 'type: model\nprovider: gemini\nbuckets: [a]\n');
    await harness.writeProfile('codex-backup', 'type: model\nprovider: codex\nmodel: gpt-5-codex\nbuckets: [a]\n');
    await harness.writeProfile(
      'gemini-then-codex',
      'type: loadbalancer\npolicy: failover\nprofiles: [gemini-first, codex-backup]\n',
    );
    harness.simulator.setBehavior('gemini-a', { kind: 'rate-limit', style: 'gemini', resetSeconds: 3600, quota: true });

    const result = await ask('gemini-then-codex', 'Say hello');

    expect(result, result.stderr).toMatchObject({ code: 0 });
    expect(result.stdout.trim()).toBe('Hello from codex-a via the switchyard provider simulator');
    expect(harness.simulator.counts('gemini-a').byStatus).toEqual({ 429: 1 });
    expect(harness.simulator.counts('codex-a').byStatus).toEqual({ 200: 2 });
    expect(Object.keys(harness.simulator.allCounts()).sort()).toEqual(['codex-a', 'gemini-a']);
    // The classifier's JSON request is translated to Responses `text.format` and its answer back.
    expect(stage.exchanges()).toEqual([
      {
        method: 'POST',
        path: '/v1beta/models/gemini-3.5-flash-lite:generateContent',
        status: 200,
        bucket: 'codex/a',
        attempts: 'gemini/a:429,codex/a:200',
      },
      {
        method: 'POST',
        path: '/v1beta/models/gemini-3.8-flash:streamGenerateContent',
        status: 200,
        bucket: 'codex/a',
        attempts: 'codex/a:200',
      },
    ]);
  }, 180_000);

  it("shows switchyard's exhausted message and its reset when every bucket is spent", async () => {
    const { harness } = stage;
    await harness.addBucket('gemini', 'a');
    await harness.writeProfile('gemini', 'type: model\nprovider: gemini\nbuckets: [a]\n');
    harness.simulator.setBehavior('gemini-a', { kind: 'rate-limit', style: 'gemini', resetSeconds: 3600, quota: true });

    const result = await ask('gemini', 'Say hello');

    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'All OAuth buckets exhausted; the first one resets at 2026-11-23T11:00:00.000Z (in 3600 s).',
    );
    // Gemini CLI reads the RetryInfo delay as a spent quota and does not retry. The classifier meets the limit first;
    // Gemini CLI then falls back to its default (pro) model, which switchyard answers from the known reset without
    // asking the provider again.
    expect(stage.exchanges()).toEqual([
      {
        method: 'POST',
        path: '/v1beta/models/gemini-3.5-flash-lite:generateContent',
        status: 429,
        bucket: undefined,
        attempts: 'gemini/a:429',
      },
      {
        method: 'POST',
        path: '/v1beta/models/gemini-3.1-pro-preview:streamGenerateContent',
        status: 429,
        bucket: undefined,
        attempts: '',
      },
    ]);
  }, 180_000);
});
