import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type ClientStage, clientKey, openClientStage } from './support/client-stage.js';
import { installClient } from './support/install-clients.js';
import { runClient } from './support/run-client.js';

/**
 * Claude Code 2.1.112 (`claude -p`) with `ANTHROPIC_BASE_URL` at switchyard. Offline settings:
 * CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC turns off the auto-updater, error reporting and
 * telemetry together; the single switches are set too, in case one is read before the other.
 * Even so, Claude Code asks api.anthropic.com whether the organisation opted out of metrics when
 * it exits ("Failed to check metrics opt-out status"); the refusing proxy (run-client.ts) makes
 * that fail at once, and the answer is already printed by then. Checked with strace: one
 * connection to switchyard, one to the refusing proxy, nothing else.
 * @see https://docs.anthropic.com/en/docs/claude-code/settings#environment-variables
 */
function claudeEnvironment(workspace: string, url: string): NodeJS.ProcessEnv {
  return {
    HOME: workspace,
    CLAUDE_CONFIG_DIR: join(workspace, '.claude'),
    ANTHROPIC_BASE_URL: url,
    ANTHROPIC_API_KEY: clientKey,
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    DISABLE_AUTOUPDATER: '1',
    DISABLE_TELEMETRY: '1',
    DISABLE_ERROR_REPORTING: '1',
  };
}

describe('Claude Code through switchyard', () => {
  let claude: string;
  let stage: ClientStage;

  beforeAll(async () => {
    claude = await installClient('claude');
  }, 300_000);

  beforeEach(async () => {
    stage = await openClientStage('claude');
  });

  afterEach(async () => {
    await stage.close();
  });

  const ask = async (profile: string, prompt: string, extraEnvironment: NodeJS.ProcessEnv = {}) => {
    const url = await stage.start(profile);
    return runClient(
      claude,
      ['-p', prompt, '--output-format', 'text'],
      { ...claudeEnvironment(stage.workspace, url), ...extraEnvironment },
      { cwd: stage.workspace },
    );
  };

  it('completes a prompt on anthropic, moving past a rate-limited bucket to the next one', async () => {
    const { harness } = stage;
    await harness.addBucket('anthropic', 'a');
    await harness.addBucket('anthropic', 'b');
    await harness.writeProfile('claude', 'type: model\nprovider: anthropic\nbuckets: [a, b]\n');
    harness.simulator.script('anthropic-a', [{ kind: 'rate-limit', style: 'anthropic-unified', resetSeconds: 3600 }]);

    const result = await ask('claude', 'Say hello');

    expect(result, result.stderr).toMatchObject({ code: 0 });
    expect(result.stdout.trim()).toBe('Hello from anthropic-b via the switchyard provider simulator');
    expect(harness.simulator.counts('anthropic-a').byStatus).toEqual({ 429: 1 });
    expect(harness.simulator.counts('anthropic-b').byStatus).toEqual({ 200: 1 });
    // The client's own key stayed with switchyard: the simulator saw only the buckets' tokens.
    expect(Object.keys(harness.simulator.allCounts()).sort()).toEqual(['anthropic-a', 'anthropic-b']);
    const exchanges = stage.exchanges();
    expect(exchanges.filter((exchange) => exchange.status >= 400)).toEqual([]);
    expect(exchanges).toContainEqual({
      method: 'POST',
      path: '/v1/messages',
      status: 200,
      bucket: 'anthropic/b',
      attempts: 'anthropic/a:429,anthropic/b:200',
    });
  }, 180_000);

  it('completes a prompt on openai after every anthropic bucket answers 429 (load balancer, translated both ways)', async () => {
    const { harness } = stage;
    await harness.addBucket('anthropic', 'a');
    await harness.addBucket('openai', 'a');
    await harness.writeProfile('claude-first', 'type: model\nprovider: anthropic\nbuckets: [a]\n');
    await harness.writeProfile(
      'openai-backup',
      'type: model\nprovider: openai\nmodel: gpt-4.1\nmodels: { claude-haiku-4-5: gpt-4.1-mini }\nbuckets: [a]\n',
    );
    await harness.writeProfile(
      'claude-then-openai',
      'type: loadbalancer\npolicy: failover\nprofiles: [claude-first, openai-backup]\n',
    );
    harness.simulator.setBehavior('anthropic-a', {
      kind: 'rate-limit',
      style: 'anthropic-unified',
      resetSeconds: 3600,
    });

    // The README's form: the client key as a bearer token (ANTHROPIC_AUTH_TOKEN) instead of x-api-key.
    const result = await ask('claude-then-openai', 'Say hello', {
      ANTHROPIC_API_KEY: undefined,
      ANTHROPIC_AUTH_TOKEN: clientKey,
    });

    expect(result, result.stderr).toMatchObject({ code: 0 });
    expect(result.stdout.trim()).toBe('Hello from openai-a via the switchyard provider simulator');
    expect(harness.simulator.counts('anthropic-a').byStatus).toEqual({ 429: 1 });
    expect(harness.simulator.counts('openai-a').byStatus).toEqual({ 200: 1 });
    expect(Object.keys(harness.simulator.allCounts()).sort()).toEqual(['anthropic-a', 'openai-a']);
    const exchanges = stage.exchanges();
    expect(exchanges.filter((exchange) => exchange.status >= 400)).toEqual([]);
    expect(exchanges).toContainEqual({
      method: 'POST',
      path: '/v1/messages',
      status: 200,
      bucket: 'openai/a',
      attempts: 'anthropic/a:429,openai/a:200',
    });
  }, 180_000);

  it("shows switchyard's exhausted message and its reset when every bucket is spent", async () => {
    const { harness } = stage;
    await harness.addBucket('anthropic', 'a');
    await harness.writeProfile('claude', 'type: model\nprovider: anthropic\nbuckets: [a]\n');
    harness.simulator.setBehavior('anthropic-a', {
      kind: 'rate-limit',
      style: 'anthropic-unified',
      resetSeconds: 3600,
    });

    const result = await ask('claude', 'Say hello');

    expect(result.code).toBe(1);
    expect(result.stdout.trim()).toBe(
      'API Error: Request rejected (429) · All OAuth buckets exhausted; the ' +
        'first one resets at 2026-11-23T11:00:00.000Z (in 3600 s).',
    );
    // One request: Claude Code shows the 429 at once rather than retrying it.
    expect(stage.exchanges()).toEqual([
      { method: 'POST', path: '/v1/messages', status: 429, bucket: undefined, attempts: 'anthropic/a:429' },
    ]);
  }, 180_000);
});
