import type { ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createFileTokenStore } from '../src/auth/file-token-store.js';
import { isApiKeyReference, type OAuthTokenSet } from '../src/auth/token-file.js';
import { resolvePaths, type SwitchyardPaths } from '../src/config/paths.js';
import { writePrivateFile } from '../src/config/secure-files.js';
import { type Simulator, startSimulator } from '../src/provider-simulator/index.js';
import { simulatorConfig } from './support/harness.js';
import { postRaw, rawRequestOf } from './support/raw-requests.js';
import { startServeProcess } from './support/run-binary.js';
import { startTokenRecorder, type TokenRecorder } from './support/token-recorder.js';

/**
 * Real `switchyard serve` processes sharing one SWITCHYARD_HOME, the simulator on loopback
 * behind a recorder of every token answer. CI runs a few kill rounds; the full acceptance run
 * is `SWITCHYARD_KILL_ROUNDS=100 npx vitest run test/refresh-across-processes.test.ts`.
 */
const killRounds = Number(process.env.SWITCHYARD_KILL_ROUNDS ?? 4);
const processCount = 4;
const messages = rawRequestOf('anthropic-messages', 'claude-sonnet-4-6');

interface Fixture {
  home: string;
  paths: SwitchyardPaths;
  simulator: Simulator;
  recorder: TokenRecorder;
  children: Set<ChildProcess>;
}

let fixture: Fixture | undefined;

afterEach(async () => {
  if (!fixture) return;
  for (const child of fixture.children) child.kill('SIGKILL');
  await fixture.recorder.close();
  await fixture.simulator.close();
  await rm(fixture.home, { recursive: true, force: true });
  fixture = undefined;
});

async function setUp(): Promise<Fixture> {
  const home = await mkdtemp(join(tmpdir(), 'switchyard-processes-'));
  const paths = resolvePaths({ SWITCHYARD_HOME: home });
  const simulator = await startSimulator();
  const recorder = await startTokenRecorder(`${simulator.url}/oauth/token`);
  await writePrivateFile(
    paths.config,
    simulatorConfig(simulator.url).replaceAll(`${simulator.url}/oauth/token`, recorder.url),
  );
  fixture = { home, paths, simulator, recorder, children: new Set() };
  return fixture;
}

/** A bucket whose access token has expired (by its file), so every process wants to refresh it. */
async function expiredBucket(setup: Fixture, bucket: string, tokenDelayMs: number): Promise<OAuthTokenSet> {
  const account = setup.simulator.addAccount(bucket, { tokenDelayMs });
  const tokens: OAuthTokenSet = {
    access_token: account.accessToken,
    refresh_token: account.refreshToken,
    expires_at: Math.floor(Date.now() / 1000) - 60,
    token_type: 'Bearer',
  };
  await createFileTokenStore(setup.paths, { encryption: { kind: 'none' } }).write('anthropic', bucket, tokens);
  await writePrivateFile(
    join(setup.paths.profiles, `${bucket}.yaml`),
    `type: model\nprovider: anthropic\nbuckets: [${bucket}]\n`,
  );
  return tokens;
}

let processNumber = 0;

async function startProcess(setup: Fixture): Promise<{ child: ChildProcess; url: string }> {
  // Several servers on one home on purpose: each records itself in its own file, as a second serve must.
  processNumber += 1;
  const serverFile = join(setup.home, `server-${processNumber}.json`);
  const started = await startServeProcess(['--port', '0', '--server-file', serverFile], {
    SWITCHYARD_HOME: setup.home,
  });
  setup.children.add(started.child);
  started.child.once('exit', () => setup.children.delete(started.child));
  return started;
}

function request(url: string, profile: string) {
  return postRaw(url, messages.path, JSON.stringify(messages.body), { 'x-switchyard-profile': profile });
}

describe('refresh across switchyard processes', () => {
  it('four processes × 50 concurrent requests on one expired bucket: exactly one refresh, zero invalid_grant', async () => {
    const setup = await setUp();
    const initial = await expiredBucket(setup, 'shared', 50);
    const servers = await Promise.all(Array.from({ length: processCount }, () => startProcess(setup)));
    const answers = await Promise.all(
      servers.flatMap((server) => Array.from({ length: 50 }, () => request(server.url, 'shared'))),
    );
    expect(answers.map((answer) => answer.status)).toEqual(answers.map(() => 200));
    const counts = setup.simulator.counts('shared');
    expect(counts.refreshes).toBe(1);
    expect(counts.invalidGrants).toBe(0);
    expect(counts.requests).toBe(processCount * 50);
    const stored = await createFileTokenStore(setup.paths, { encryption: { kind: 'none' } }).read(
      'anthropic',
      'shared',
    );
    expect(stored).toMatchObject({
      access_token: setup.recorder.issued[0]!.accessToken,
      refresh_token: setup.recorder.issued[0]!.refreshToken,
    });
    expect(stored).not.toMatchObject({ refresh_token: initial.refresh_token });
  }, 120_000);

  it(
    `survives SIGKILL at random moments during refresh (${killRounds} rounds): no torn or mixed token file, lost logins counted`,
    async () => {
      const setup = await setUp();
      const store = createFileTokenStore(setup.paths, { encryption: { kind: 'none' } });
      const slots: ({ child: ChildProcess; url: string } | undefined)[] = await Promise.all(
        Array.from({ length: processCount }, () => startProcess(setup)),
      );
      const initialSets = new Map<string, OAuthTokenSet>();
      const pending: Promise<unknown>[] = [];
      const killedInRound = new Map<string, number>();

      for (let round = 0; round < killRounds; round += 1) {
        // Every slot killed in the previous round comes back, as a supervisor would restart it.
        await Promise.all(slots.map(async (slot, index) => (slots[index] = slot ?? (await startProcess(setup)))));
        const bucket = `round-${round}`;
        const tokenDelayMs = 20 + Math.floor(Math.random() * 100);
        initialSets.set(bucket, await expiredBucket(setup, bucket, tokenDelayMs));
        const refreshStarted = setup.recorder.nextRequest();
        for (const slot of slots)
          for (let count = 0; count < 10; count += 1) pending.push(request(slot!.url, bucket).catch(() => undefined));

        const victims = slots.map((_, index) => index).filter(() => Math.random() < 0.5);
        if (victims.length === 0) victims.push(Math.floor(Math.random() * processCount));
        killedInRound.set(bucket, victims.length);
        // Half the rounds kill at any moment after the requests; half aim inside the refresh itself
        // (request sent, provider answering, file being written).
        if (round % 2 === 1) await Promise.race([refreshStarted, sleep(2_000)]);
        await sleep(Math.random() * (round % 2 === 1 ? tokenDelayMs + 30 : 150));
        await Promise.all(
          victims.map((index) => {
            const child = slots[index]!.child;
            slots[index] = undefined;
            return new Promise<void>((resolve) => {
              if (child.exitCode !== null || child.signalCode !== null) return resolve();
              child.once('exit', () => resolve());
              child.kill('SIGKILL');
            });
          }),
        );
        // Whatever the moment of the kill, the file parses as a complete set right away.
        expect(completeSet(await store.read('anthropic', bucket))).toBe(true);
      }

      // Survivors waiting on a lock whose holder was killed give up on their own; then nothing writes.
      await Promise.allSettled(pending);
      let lost = 0;
      let refreshed = 0;
      for (const [bucket, initial] of initialSets) {
        const stored = await store.read('anthropic', bucket);
        expect(completeSet(stored), bucket).toBe(true);
        const tokens = stored as OAuthTokenSet;
        const counts = setup.simulator.counts(bucket);
        expect(counts.refreshes, `${bucket}: one refresh at most`).toBeLessThanOrEqual(1);
        const isInitial = tokens.access_token === initial.access_token;
        const issued = setup.recorder.issued.find((pair) => pair.accessToken === tokens.access_token);
        // Never mixed: the refresh token on disk is the one issued with the access token on disk.
        expect(
          isInitial ? tokens.refresh_token === initial.refresh_token : issued?.refreshToken === tokens.refresh_token,
          `${bucket}: matching pair`,
        ).toBe(true);
        if (counts.refreshes === 1) refreshed += 1;
        if (isInitial && counts.refreshes === 1) lost += 1;
        // A refresh token the provider rejected can only be one whose rotation was lost to a kill.
        if (counts.invalidGrants > 0)
          expect(isInitial && counts.refreshes === 1, `${bucket}: invalid_grant only after a lost login`).toBe(true);
      }
      const kills = [...killedInRound.values()].reduce((sum, count) => sum + count, 0);
      console.log(
        `SIGKILL rounds: ${killRounds}, processes killed: ${kills}, rounds refreshed: ${refreshed}, ` +
          `logins lost (kill between the provider's answer and the rename): ${lost}`,
      );
      await expectPrivateModes(setup.paths);
    },
    60_000 + killRounds * 15_000,
  );
});

function sleep(milliseconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
}

function completeSet(stored: unknown): boolean {
  if (stored === null || typeof stored !== 'object' || isApiKeyReference(stored as OAuthTokenSet)) return false;
  const tokens = stored as OAuthTokenSet;
  return (
    tokens.access_token.length > 0 && typeof tokens.refresh_token === 'string' && typeof tokens.expires_at === 'number'
  );
}

/** Token files 0600, their directories 0700, after every kill. */
async function expectPrivateModes(paths: SwitchyardPaths): Promise<void> {
  for (const directory of [paths.home, paths.oauth, join(paths.oauth, 'anthropic')]) {
    expect((await stat(directory)).mode & 0o777, directory).toBe(0o700);
  }
  for (const name of await readdir(join(paths.oauth, 'anthropic'))) {
    if (!name.endsWith('.json')) continue;
    expect((await stat(join(paths.oauth, 'anthropic', name))).mode & 0o777, name).toBe(0o600);
  }
}
