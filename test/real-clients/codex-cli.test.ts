import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type ClientStage, clientKey, openClientStage } from './support/client-stage.js';
import { installClient } from './support/install-clients.js';
import { runClient } from './support/run-client.js';

/**
 * Codex CLI 0.171.0 (`codex exec`) with a custom model provider at switchyard. Codex accepts only
 * `wire_api = "responses"` for custom providers now; the key comes from the variable `env_key`
 * names. Offline: no update check, no analytics, and no plugins: with plugins on, Codex syncs its
 * curated plugins at start from github.com (git, then the GitHub API) and chatgpt.com. With this
 * config it connects to switchyard alone (checked with strace); the refusing proxy stays as a net.
 * @see https://developers.openai.com/codex/config-reference
 */
function codexConfig(url: string): string {
  return [
    'model = "gpt-5-codex"',
    'model_provider = "switchyard"',
    'check_for_update_on_startup = false',
    '',
    '[model_providers.switchyard]',
    'name = "switchyard"',
    `base_url = "${url}/v1"`,
    'env_key = "SWITCHYARD_CLIENT_KEY"',
    'wire_api = "responses"',
    '',
    '[features]',
    'plugins = false',
    '',
    '[analytics]',
    'enabled = false',
    '',
  ].join('\n');
}

describe('Codex CLI through switchyard', () => {
  let codex: string;
  let stage: ClientStage;

  beforeAll(async () => {
    codex = await installClient('codex');
  }, 300_000);

  beforeEach(async () => {
    stage = await openClientStage('codex');
  });

  afterEach(async () => {
    await stage.close();
  });

  const ask = async (profile: string, prompt: string) => {
    const url = await stage.start(profile);
    const codexHome = join(stage.workspace, '.codex');
    await mkdir(codexHome, { recursive: true });
    await writeFile(join(codexHome, 'config.toml'), codexConfig(url));
    return runClient(
      codex,
      ['exec', '--skip-git-repo-check', prompt],
      { HOME: stage.workspace, CODEX_HOME: codexHome, SWITCHYARD_CLIENT_KEY: clientKey, TZ: 'UTC' },
      { cwd: stage.workspace },
    );
  };

  it('completes a prompt on codex, moving past a rate-limited bucket to the next one', async () => {
    const { harness } = stage;
    await harness.addBucket('codex', 'a');
    await harness.addBucket('codex', 'b');
    await harness.writeProfile('codex', 'type: model\nprovider: codex\nbuckets: [a, b]\n');
    harness.simulator.script('codex-a', [{ kind: 'rate-limit', style: 'codex', resetSeconds: 3600, quota: true }]);

    const result = await ask('codex', 'Say hello');

    expect(result, result.stderr).toMatchObject({ code: 0 });
    expect(result.stdout.trim()).toBe('Hello from codex-b via the switchyard provider simulator');
    expect(harness.simulator.counts('codex-a').byStatus).toEqual({ 429: 1 });
    expect(harness.simulator.counts('codex-b').byStatus).toEqual({ 200: 1 });
    expect(Object.keys(harness.simulator.allCounts()).sort()).toEqual(['codex-a', 'codex-b']);
    const exchanges = stage.exchanges();
    expect(exchanges.filter((exchange) => exchange.status >= 400)).toEqual([]);
    expect(exchanges).toContainEqual({
      method: 'POST',
      path: '/v1/responses',
      status: 200,
      bucket: 'codex/b',
      attempts: 'codex/a:429,codex/b:200',
    });
  }, 180_000);

  it('completes a prompt on anthropic after every codex bucket answers 429 (load balancer, translated both ways)', async () => {
    const { harness } = stage;
    await harness.addBucket('codex', 'a');
    await harness.addBucket('anthropic', 'a');
    await harness.writeProfile('codex-first', 'type: model\nprovider: codex\nbuckets: [a]\n');
    await harness.writeProfile(
      'claude-backup',
      'type: model\nprovider: anthropic\nmodel: claude-sonnet-4-6\nbuckets: [a]\n',
    );
    await harness.writeProfile(
      'codex-then-claude',
      'type: loadbalancer\npolicy: failover\nprofiles: [codex-first, claude-backup]\n',
    );
    harness.simulator.setBehavior('codex-a', { kind: 'rate-limit', style: 'codex', resetSeconds: 3600, quota: true });

    const result = await ask('codex-then-claude', 'Say hello');

    expect(result, result.stderr).toMatchObject({ code: 0 });
    expect(result.stdout.trim()).toBe('Hello from anthropic-a via the switchyard provider simulator');
    expect(harness.simulator.counts('codex-a').byStatus).toEqual({ 429: 1 });
    expect(harness.simulator.counts('anthropic-a').byStatus).toEqual({ 200: 1 });
    expect(Object.keys(harness.simulator.allCounts()).sort()).toEqual(['anthropic-a', 'codex-a']);
    const exchanges = stage.exchanges();
    expect(exchanges.filter((exchange) => exchange.status >= 400)).toEqual([]);
    expect(exchanges).toContainEqual({
      method: 'POST',
      path: '/v1/responses',
      status: 200,
      bucket: 'anthropic/a',
      attempts: 'codex/a:429,anthropic/a:200',
    });
  }, 180_000);

  it('stops at once and tells when to try again when every bucket is spent', async () => {
    const { harness } = stage;
    await harness.addBucket('codex', 'a');
    await harness.writeProfile('codex', 'type: model\nprovider: codex\nbuckets: [a]\n');
    harness.simulator.setBehavior('codex-a', { kind: 'rate-limit', style: 'codex', resetSeconds: 3600, quota: true });

    const result = await ask('codex', 'Say hello');

    expect(result.code).toBe(1);
    // Codex's own words for its backend's usage limit, with switchyard's earliest reset (TZ is UTC).
    expect(result.stderr).toContain('ERROR: You\u2019ve hit your usage limit. Try again at Nov 23rd, 2026 11:00 AM.');
    // One request: Codex takes switchyard's answer as its backend's usage limit and does not retry.
    expect(stage.exchanges()).toEqual([
      { method: 'POST', path: '/v1/responses', status: 429, bucket: undefined, attempts: 'codex/a:429' },
    ]);
    expect(harness.simulator.counts('codex-a').byStatus).toEqual({ 429: 1 });
  }, 180_000);
});
