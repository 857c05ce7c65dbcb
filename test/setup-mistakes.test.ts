import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createHarness, type Harness } from './support/harness.js';
import { errorOf, postRaw, rawRequestOf } from './support/raw-requests.js';
import { runBinary, startServeProcess } from './support/run-binary.js';

/**
 * Set-up mistakes (no login, a key variable unset, a provider turned off) are told apart from
 * rate limits, through the real binary: `serve` names each at start with its fix, `profile save`
 * names unknown buckets, and requests get 503 `no_usable_bucket` with the fix, never the exhausted
 * 429 "none of them resets by itself". Buckets that do reset still get the 429 with Retry-After.
 */

let harness: Harness | undefined;
let home: string | undefined;
const servers: { stop: () => Promise<void> }[] = [];

afterEach(async () => {
  for (const server of servers.splice(0)) await server.stop();
  await harness?.close();
  harness = undefined;
  if (home !== undefined) await rm(home, { recursive: true, force: true });
  home = undefined;
});

const messages = rawRequestOf('anthropic-messages', 'claude-sonnet-4-6');
const chat = rawRequestOf('openai-chat', 'gpt-4.1');

async function serve(environment: NodeJS.ProcessEnv, profile?: string) {
  const args = ['--port', '0', '--log-level', 'warn', ...(profile === undefined ? [] : ['--profile', profile])];
  const server = await startServeProcess(args, environment);
  servers.push(server);
  return server;
}

async function stderrOnceItHas(server: { output: () => { stderr: string } }, text: string): Promise<string> {
  await vi.waitFor(() => expect(server.output().stderr).toContain(text), { timeout: 10_000 });
  return server.output().stderr;
}

function errorCodeOf(body: unknown): string | undefined {
  return (body as { error?: { code?: string } }).error?.code;
}

describe('a fresh home with the ha-claude example profile loaded and nobody logged in', () => {
  it('serve names each bucket without a login and its fix; every request gets 503 no_usable_bucket', {
    timeout: 30_000,
  }, async () => {
    home = await mkdtemp(join(tmpdir(), 'switchyard-fresh-'));
    const environment = { SWITCHYARD_HOME: home, HOME: home };
    const loaded = await runBinary(['profile', 'load', 'ha-claude'], environment);
    expect(loaded.code).toBe(0);

    const server = await serve(environment);
    const buckets = ['work1@company.com', 'work2@company.com', 'personal@gmail.com'];
    const stderr = await stderrOnceItHas(server, 'no bucket of profile "ha-claude" can serve');
    for (const bucket of buckets) {
      expect(stderr).toContain(
        `switchyard: warning: profile "ha-claude": anthropic/${bucket} has no stored login; ` +
          `run: switchyard auth anthropic login ${bucket} (or: switchyard auth anthropic import ${bucket} --from FILE).`,
      );
    }
    expect(stderr).toContain(
      'switchyard: warning: no bucket of profile "ha-claude" can serve: every request will be answered 503 ' +
        'no_usable_bucket until one of the fixes above is made.',
    );

    // The first request (which finds the logins missing) and the next (which finds them marked) agree.
    for (let request = 0; request < 2; request += 1) {
      const answer = await postRaw(server.url, messages.path, JSON.stringify(messages.body));
      expect(answer.status).toBe(503);
      expect(answer.headers.get('retry-after')).toBeNull();
      expect(errorCodeOf(answer.body)).toBe('no_usable_bucket');
      const { message } = errorOf('anthropic-messages', answer.body);
      expect(message).toBe(
        'No bucket of profile "ha-claude" can serve, and none comes back by itself: ' +
          buckets
            .map(
              (bucket) =>
                `anthropic/${bucket} has no stored login; run: switchyard auth anthropic login ${bucket} ` +
                `(or: switchyard auth anthropic import ${bucket} --from FILE).`,
            )
            .join(' '),
      );
      expect(message).not.toContain('exhausted');
    }
  });
});

describe('profile save', () => {
  it('warns about each bucket that has neither a login nor a key, and still saves', async () => {
    harness = await createHarness();
    await harness.addBucket('anthropic', 'work1');
    const environment = { SWITCHYARD_HOME: harness.home, HOME: harness.home };
    const saved = await runBinary(
      ['profile', 'save', 'model', 'pool', 'work1', 'typo1', '--provider', 'anthropic'],
      environment,
    );
    expect(saved.code).toBe(0);
    expect(saved.stdout).toBe('Saved model profile pool: work1 -> typo1\n');
    expect(saved.stderr).toBe(
      'switchyard: warning: unknown bucket: anthropic/typo1 has no stored login; run: switchyard auth anthropic ' +
        'login typo1 (or: switchyard auth anthropic import typo1 --from FILE). Until then this profile skips it.\n',
    );

    const keys = await runBinary(['profile', 'save', 'model', 'keys', 'team', '--provider', 'openai'], environment);
    expect(keys.code).toBe(0);
    expect(keys.stderr).toBe(
      'switchyard: warning: unknown bucket: openai/team has no API key set up; run: switchyard auth openai key ' +
        'team --env OPENAI_API_KEY. Until then this profile skips it.\n',
    );
  });
});

describe('an API-key bucket whose variable is unset', () => {
  it('serve names the variable; requests get 503 no_usable_bucket naming it, not a login', {
    timeout: 30_000,
  }, async () => {
    harness = await createHarness();
    const environment = { SWITCHYARD_HOME: harness.home, HOME: harness.home };
    expect(await runBinary(['auth', 'openai', 'key', 'team', '--env', 'TEAM_OPENAI_KEY'], environment)).toMatchObject({
      code: 0,
    });
    await harness.writeProfile('pool', 'type: model\nprovider: openai\nbuckets: [team]\n');

    const server = await serve(environment, 'pool');
    const fix =
      "openai/team reads its API key from TEAM_OPENAI_KEY, which is not set; set TEAM_OPENAI_KEY in switchyard's " +
      'environment, or run: switchyard auth openai key team --env OTHER_VARIABLE.';
    const stderr = await stderrOnceItHas(server, 'no bucket of profile "pool" can serve');
    expect(stderr).toContain(`switchyard: warning: profile "pool": ${fix}`);

    const answer = await postRaw(server.url, chat.path, JSON.stringify(chat.body));
    expect(answer.status).toBe(503);
    expect(answer.headers.get('retry-after')).toBeNull();
    expect(errorCodeOf(answer.body)).toBe('no_usable_bucket');
    expect(errorOf('openai-chat', answer.body).message).toBe(
      `No bucket of profile "pool" can serve, and none comes back by itself: ${fix}`,
    );
    expect(harness.simulator.totalRequests()).toBe(0);
  });
});

describe('a mix of set-up mistakes across providers', () => {
  it('no login, an unset key and a disabled provider together: 503 naming each fix; serve warned of each', {
    timeout: 30_000,
  }, async () => {
    harness = await createHarness();
    const environment = { SWITCHYARD_HOME: harness.home, HOME: harness.home };
    await harness.addBucket('anthropic', 'off');
    expect(await runBinary(['auth', 'anthropic', 'disable'], environment)).toMatchObject({ code: 0 });
    expect(await runBinary(['auth', 'openai', 'key', 'team', '--env', 'TEAM_OPENAI_KEY'], environment)).toMatchObject({
      code: 0,
    });
    await harness.writeProfile('claude', 'type: model\nprovider: anthropic\nbuckets: [off]\n');
    await harness.writeProfile('keys', 'type: model\nprovider: openai\nbuckets: [team]\n');
    await harness.writeProfile('gemini', 'type: model\nprovider: gemini\nbuckets: [nobody]\n');
    await harness.writeProfile('all', 'type: loadbalancer\npolicy: failover\nprofiles: [claude, keys, gemini]\n');

    const server = await serve(environment, 'all');
    const stderr = await stderrOnceItHas(server, 'no bucket of profile "all" can serve');
    expect(stderr).toContain(
      'switchyard: warning: profile "all": anthropic/off is disabled (OAuth of anthropic is turned off); ' +
        'run: switchyard auth anthropic enable.',
    );
    expect(stderr).toContain('switchyard: warning: profile "all": openai/team reads its API key from TEAM_OPENAI_KEY');
    expect(stderr).toContain(
      'switchyard: warning: profile "all": gemini/nobody has no stored login; run: switchyard auth gemini login nobody',
    );

    const answer = await postRaw(server.url, messages.path, JSON.stringify(messages.body));
    expect(answer.status).toBe(503);
    expect(answer.headers.get('retry-after')).toBeNull();
    expect(errorCodeOf(answer.body)).toBe('no_usable_bucket');
    const { message } = errorOf('anthropic-messages', answer.body);
    expect(message).toMatch(/^No bucket of profile "all" can serve, and none comes back by itself: /);
    expect(message).toContain('run: switchyard auth anthropic enable');
    expect(message).toContain('set TEAM_OPENAI_KEY');
    expect(message).toContain('run: switchyard auth gemini login nobody');
    expect(harness.simulator.totalRequests()).toBe(0);
  });

  it('a bucket that resets beside one never logged in: the exhausted 429 with Retry-After stays', {
    timeout: 30_000,
  }, async () => {
    harness = await createHarness();
    const environment = { SWITCHYARD_HOME: harness.home, HOME: harness.home };
    await harness.addBucket('anthropic', 'a', { expiresInSeconds: 90 * 86_400 });
    await harness.writeProfile('pool', 'type: model\nprovider: anthropic\nbuckets: [a, nobody]\n');
    harness.simulator.script('anthropic-a', [{ kind: 'rate-limit', style: 'retry-after-seconds', resetSeconds: 600 }]);

    const server = await serve(environment, 'pool');
    const stderr = await stderrOnceItHas(server, 'anthropic/nobody has no stored login');
    expect(stderr).not.toContain('anthropic/a ');
    expect(stderr).not.toContain('can serve:');

    const answer = await postRaw(server.url, messages.path, JSON.stringify(messages.body));
    expect(answer.status).toBe(429);
    expect(Number(answer.headers.get('retry-after'))).toBeGreaterThan(500);
    expect(errorOf('anthropic-messages', answer.body).message).toMatch(
      /^All OAuth buckets exhausted; the first one resets at /,
    );
  });
});
