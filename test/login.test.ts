import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { oauthAt } from '../src/auth/login/testing/test-login-io.js';
import { resolvePaths } from '../src/config/paths.js';
import { writePrivateFile } from '../src/config/secure-files.js';
import type { ProviderName } from '../src/core/types.js';
import { type Simulator, startSimulator } from '../src/provider-simulator/index.js';
import { browse, pastedCode } from '../src/provider-simulator/testing/scripted-browser.js';
import { postJson } from '../src/provider-simulator/testing/use-simulator.js';
import { startServer } from '../src/server/start-server.js';
import { startBinary } from './support/live-binary.js';
import { runBinary } from './support/run-binary.js';

// The real binary, logging in against the simulator on loopback: the test reads the URL the
// command prints (--no-browser), plays the browser, and checks what was stored and printed.
describe('switchyard auth <provider> login', () => {
  let home: string;
  let simulator: Simulator;
  let environment: NodeJS.ProcessEnv;

  beforeEach(async () => {
    home = await mkdtemp(join(tmpdir(), 'switchyard-login-'));
    // One-second polls keep the device flows short in real time.
    simulator = await startSimulator({ login: { deviceIntervalSeconds: 1 } });
    const providers = (['anthropic', 'codex', 'gemini', 'qwen'] as ProviderName[])
      .map((provider) => {
        const oauth = oauthAt(provider, simulator.url);
        return `  ${provider}:\n    authorizeUrl: ${oauth.authorizeUrl}\n    tokenUrl: ${oauth.tokenUrl}\n${oauth.deviceUrl ? `    deviceUrl: ${oauth.deviceUrl}\n` : ''}`;
      })
      .join('');
    await writePrivateFile(join(home, 'config.yaml'), `providers:\n${providers}`);
    environment = { SWITCHYARD_HOME: home };
  });

  afterEach(async () => {
    await simulator.close();
    await rm(home, { recursive: true, force: true });
  });

  async function stored(provider: string, bucket: string): Promise<Record<string, unknown>> {
    const path = join(home, 'oauth', provider, `${bucket}.json`);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect((await stat(join(home, 'oauth', provider))).mode & 0o777).toBe(0o700);
    return JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
  }

  async function works(accessToken: unknown): Promise<number> {
    return (
      await postJson(
        `${simulator.url}/v1/chat/completions`,
        { model: 'm', messages: [] },
        { authorization: `Bearer ${String(accessToken)}` },
      )
    ).status;
  }

  it('anthropic: prints the URL and the landscape, reads code#state from stdin, stores the tokens without printing them', async () => {
    const login = startBinary(['auth', 'claude', 'login', 'work', '--no-browser'], environment);
    const [url] = await login.waitForOutput(/http:\/\/\S+\/oauth\/authorize\S+/);
    login.typeLine(pastedCode(await browse(url, { account: 'ann' })));
    const result = await login.finished;
    expect(result.stderr).toBe('Exchanging the code for tokens...\n');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('third-party use may be billed to "extra usage"');
    expect(result.stdout).not.toContain('Could not open a browser');
    expect(result.stdout).toMatch(/Logged in: anthropic\/work \(expires in (1 hour|59 min), refresh token stored\)/);
    const tokens = await stored('anthropic', 'work');
    expect(await works(tokens.access_token)).toBe(200);
    expect(result.stdout).not.toContain(String(tokens.access_token));
    expect(result.stdout).not.toContain(String(tokens.refresh_token));
    const status = await runBinary(['auth', 'anthropic', 'status'], environment);
    expect(status.stdout).toMatch(/\[ok\] work \(expires in (1 hour|59 min), refresh token present\)/);
  });

  it('codex: loopback callback (--port 0), account id from the id_token', async () => {
    simulator.addAccount('cody', { accountId: 'chatgpt-cody' });
    const login = startBinary(['auth', 'chatgpt', 'login', 'main', '--no-browser', '--port', '0'], environment);
    const [url] = await login.waitForOutput(/http:\/\/\S+\/oauth\/authorize\S+/);
    await browse(url, { account: 'cody' });
    const result = await login.finished;
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /Logged in: codex\/main \(expires in (1 hour|59 min), refresh token stored, account chatgpt-cody\)/,
    );
    expect(await stored('codex', 'main')).toMatchObject({ account_id: 'chatgpt-cody', token_type: 'Bearer' });
    // The router sends the stored account id as chatgpt-account-id: the simulated Codex backend
    // refuses requests without the matching one.
    await writePrivateFile(
      join(home, 'config.yaml'),
      `providers:\n  codex:\n    baseUrl: ${simulator.url}/backend-api/codex\n`,
    );
    await writePrivateFile(join(home, 'profiles', 'codex.yaml'), 'type: model\nprovider: codex\nbuckets: [main]\n');
    const router = await startServer({
      paths: resolvePaths({ SWITCHYARD_HOME: home }),
      port: 0,
      announce: false,
      profile: 'codex',
      environment: {},
      warn: () => undefined,
    });
    try {
      const answer = await postJson(`${router.url}/v1/responses`, { model: 'gpt-5-codex', input: 'hi' });
      expect(answer.status).toBe(200);
      expect(answer.headers.get('x-switchyard-bucket')).toBe('codex/main');
      expect(simulator.counts('cody').byStatus).toEqual({ 200: 1 });
    } finally {
      await router.close();
    }
  });

  it('gemini: loopback callback, and the note that consumer OAuth stopped', async () => {
    const login = startBinary(['auth', 'gemini', 'login', 'gcp', '--no-browser', '--port', '0'], environment);
    const [url] = await login.waitForOutput(/http:\/\/\S+\/o\/oauth2\/v2\/auth\S+/);
    await browse(url, { account: 'gem' });
    const result = await login.finished;
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("Gemini CLI's consumer OAuth (free, AI Pro, Ultra) stopped on 2026-06-18");
    expect(await works((await stored('gemini', 'gcp')).access_token)).toBe(200);
  });

  it('qwen: device code, approved while the command polls; resource_url stored', async () => {
    simulator.scriptDevicePolls(['authorization_pending']);
    const login = startBinary(['auth', 'qwen', 'login', 'q1', '--no-browser'], environment);
    const [url] = await login.waitForOutput(/http:\/\/\S+\/device\?user_code=\S+/);
    await browse(url, { account: 'quinn' });
    const result = await login.finished;
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('the free OAuth tier ended on 2026-04-15');
    expect(await stored('qwen', 'q1')).toMatchObject({ resource_url: simulator.url });
  });

  it('codex --device: the device code flow without a browser on this machine', async () => {
    const login = startBinary(['auth', 'codex', 'login', 'headless', '--device', '--no-browser'], environment);
    const [, code] = await login.waitForOutput(/enter the one-time code ([A-Z]{4}-[A-Z]{4})/);
    await browse(`${simulator.url}/codex/device`, { account: 'dev', userCode: code ?? '' });
    const result = await login.finished;
    expect(result.code).toBe(0);
    expect(await stored('codex', 'headless')).toMatchObject({ account_id: 'acct-dev' });
  });

  it('a denial exits 3 with a clear message and stores nothing', async () => {
    const login = startBinary(['auth', 'codex', 'login', 'main', '--no-browser', '--port', '0'], environment);
    const [url] = await login.waitForOutput(/http:\/\/\S+\/oauth\/authorize\S+/);
    await browse(url, { decision: 'deny' });
    const result = await login.finished;
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(
      'switchyard: Login to codex was denied (access_denied): nothing was ' +
        'stored. Approve the request in the browser to log in.\n',
    );
    await expect(stat(join(home, 'oauth', 'codex', 'main.json'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('--timeout exits 4 with a clear message when the browser never answers', async () => {
    const result = await runBinary(
      ['auth', 'gemini', 'login', 'slow', '--no-browser', '--port', '0', '--timeout', '1'],
      environment,
    );
    expect(result.code).toBe(4);
    expect(result.stderr).toContain(
      'switchyard: Login to gemini timed out after 1 s without an answer from ' +
        'the browser; nothing was stored. Run the command again, or allow more ' +
        'time with --timeout SECONDS.\n',
    );
  });

  it('setup-token stores the long-lived token and prints it once; openai has no login', async () => {
    const login = startBinary(['auth', 'anthropic', 'setup-token', 'ci', '--no-browser'], environment);
    const [url] = await login.waitForOutput(/http:\/\/\S+\/oauth\/authorize\S+/);
    expect(new URL(url).searchParams.get('scope')).toBe('user:inference');
    login.typeLine(pastedCode(await browse(url, { account: 'ann' })));
    const result = await login.finished;
    expect(result.code).toBe(0);
    const tokens = await stored('anthropic', 'ci');
    expect(tokens.refresh_token).toBeUndefined();
    expect(result.stdout.split(String(tokens.access_token))).toHaveLength(2);
    expect(result.stdout).toContain('no refresh token');
    const openai = await runBinary(['auth', 'openai', 'login', 'x'], environment);
    expect(openai.code).toBe(1);
    expect(openai.stderr).toBe(
      'switchyard: Login to openai failed: openai has no OAuth login; it takes ' +
        'API keys: switchyard auth openai key <bucket> --env VAR.\n',
    );
    const wrongPort = await runBinary(['auth', 'codex', 'login', 'x', '--port', 'abc'], environment);
    expect(wrongPort.stderr).toBe('switchyard: Expected --port to be a whole number from 0 to 65535, got "abc".\n');
  });
});
