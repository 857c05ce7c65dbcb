import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { resolvePaths, type SwitchyardPaths, tokenFilePath } from '../src/config/paths.js';
import { writePrivateFile, writePrivateJson } from '../src/config/secure-files.js';
import { type Simulator, startSimulator } from '../src/provider-simulator/index.js';
import { createHarness, type Harness, simulatorConfig } from './support/harness.js';
import { scrape } from './support/prometheus.js';
import { errorOf, postRaw, rawRequestOf } from './support/raw-requests.js';
import { runBinary, startServeProcess } from './support/run-binary.js';

/**
 * A bucket's state says what is true of it now: a login that failed shows as needs-login, and a
 * new login (the CLI's import, in another process) or a served request lifts it, promptly and for
 * good (stats.json keeps what was lifted). Through the real binary, as a user would see it.
 */
const messages = rawRequestOf('anthropic-messages', 'claude-sonnet-4-6');

interface Fixture {
  home: string;
  paths: SwitchyardPaths;
  simulator: Simulator;
  stops: (() => Promise<void>)[];
}

let fixture: Fixture | undefined;
let harness: Harness | undefined;

afterEach(async () => {
  if (fixture) {
    for (const stop of fixture.stops) await stop();
    await fixture.simulator.close();
    await rm(fixture.home, { recursive: true, force: true });
    fixture = undefined;
  }
  await harness?.close();
  harness = undefined;
});

/** A home whose bucket anthropic/main holds a login the provider no longer knows (refresh refused). */
async function homeWithDeadLogin(): Promise<Fixture> {
  const home = await mkdtemp(join(tmpdir(), 'switchyard-login-state-'));
  const paths = resolvePaths({ SWITCHYARD_HOME: home });
  const simulator = await startSimulator();
  await writePrivateFile(paths.config, simulatorConfig(simulator.url));
  await writePrivateFile(join(paths.profiles, 'main.yaml'), 'type: model\nprovider: anthropic\nbuckets: [main]\n');
  await writePrivateJson(tokenFilePath(paths, 'anthropic', 'main'), {
    access_token: 'sim-at-forgotten',
    refresh_token: 'sim-rt-forgotten',
    expires_at: Math.floor(Date.now() / 1000) - 60,
    token_type: 'Bearer',
  });
  fixture = { home, paths, simulator, stops: [] };
  return fixture;
}

async function serve(setup: Fixture): Promise<{ url: string; stop: () => Promise<void> }> {
  const started = await startServeProcess(['--port', '0', '--profile', 'main'], { SWITCHYARD_HOME: setup.home });
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await started.stop();
  };
  setup.stops.push(stop);
  return { url: started.url, stop };
}

async function stateOf(url: string, key: string): Promise<{ state: string; reason: string | null } | undefined> {
  const response = await fetch(`${url}/stats/buckets`);
  const body = (await response.json()) as { buckets: { key: string; state: string; reason: string | null }[] };
  return body.buckets.find((bucket) => bucket.key === key);
}

/** Polls until `check` holds; fails with what was last seen. No bound on the time beyond the test's own. */
async function eventually<T>(read: () => Promise<T>, check: (value: T) => boolean): Promise<T> {
  let last = await read();
  while (!check(last)) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    last = await read();
  }
  return last;
}

/** `switchyard auth anthropic import main --from FILE` with a login the simulator knows. */
async function importGoodLogin(setup: Fixture): Promise<void> {
  const account = setup.simulator.addAccount('main');
  const file = join(setup.home, '..', `${setup.home.split('/').at(-1)}-import.json`);
  await writePrivateJson(file, {
    access_token: account.accessToken,
    refresh_token: account.refreshToken,
    expires_at: account.expiresAt,
    token_type: 'Bearer',
  });
  const imported = await runBinary(['auth', 'anthropic', 'import', 'main', '--from', file], {
    SWITCHYARD_HOME: setup.home,
  });
  await rm(file, { force: true });
  expect(imported.stderr).toBe('');
  expect(imported.code).toBe(0);
}

async function needsLoginGauge(url: string): Promise<number> {
  return (await scrape(url)).sum('switchyard_bucket_state', {
    provider: 'anthropic',
    bucket: 'main',
    state: 'needs-login',
  });
}

describe('needs-login tells the truth', () => {
  it('lifts needs-login as soon as the CLI imports a new login, without a request, and keeps it lifted after a restart', async () => {
    const setup = await homeWithDeadLogin();
    const first = await serve(setup);

    // The refresh is refused: the bucket needs a login, and the client is told so.
    const refused = await postRaw(first.url, messages.path, JSON.stringify(messages.body));
    expect(refused.status).toBe(503);
    expect(errorOf('anthropic-messages', refused.body).message).toContain('anthropic/main');
    expect(errorOf('anthropic-messages', refused.body).message).toContain('switchyard auth anthropic login main');
    expect((await stateOf(first.url, 'anthropic/main'))?.state).toBe('needs-login');
    expect(await needsLoginGauge(first.url)).toBe(1);

    await importGoodLogin(setup);
    // No request is sent: the running server hears of the new file by itself.
    const lifted = await eventually(
      () => stateOf(first.url, 'anthropic/main'),
      (bucket) => bucket?.state !== 'needs-login',
    );
    expect(lifted).toMatchObject({ state: 'ready' });
    expect(await needsLoginGauge(first.url)).toBe(0);
    const served = await postRaw(first.url, messages.path, JSON.stringify(messages.body));
    expect(served.status).toBe(200);
    expect(served.headers.get('x-switchyard-bucket')).toBe('anthropic/main');

    await first.stop();
    const second = await serve(setup);
    expect((await stateOf(second.url, 'anthropic/main'))?.state).toBe('ready');
    expect(await needsLoginGauge(second.url)).toBe(0);
  }, 60_000);

  it('lifts a needs-login that stats.json kept when the login was imported while no server ran', async () => {
    const setup = await homeWithDeadLogin();
    const first = await serve(setup);
    const refused = await postRaw(first.url, messages.path, JSON.stringify(messages.body));
    expect(refused.status).toBe(503);
    await first.stop();

    await importGoodLogin(setup);
    const second = await serve(setup);
    const lifted = await eventually(
      () => stateOf(second.url, 'anthropic/main'),
      (bucket) => bucket?.state !== 'needs-login',
    );
    expect(lifted).toMatchObject({ state: 'ready' });
    expect(await needsLoginGauge(second.url)).toBe(0);
  }, 60_000);

  it('shows a bucket that served as no longer needing login', async () => {
    harness = await createHarness();
    await harness.addBucket('anthropic', 'main');
    await harness.writeProfile('main', 'type: model\nprovider: anthropic\nbuckets: [main]\n');
    const { url, context } = await harness.startRouter({ profile: 'main' });
    // Marked by a failure whose cause has passed (its re-check time is due): the next request is let through.
    context.states.set('anthropic/main', {
      status: 'needs-login',
      until: harness.clock.now(),
      reason: 'refresh-failed',
    });
    const served = await postRaw(url, messages.path, JSON.stringify(messages.body));
    expect(served.status).toBe(200);
    expect(served.headers.get('x-switchyard-bucket')).toBe('anthropic/main');
    expect(context.states.get('anthropic/main')).toBeUndefined();
  });
});
