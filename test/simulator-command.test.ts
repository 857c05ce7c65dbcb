import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writePrivateFile } from '../src/config/secure-files.js';
import { type LiveBinary, startBinary } from './support/live-binary.js';
import { postRaw } from './support/raw-requests.js';
import { runBinary, startServeProcess } from './support/run-binary.js';

const message = JSON.stringify({
  model: 'claude-sonnet-4-6',
  max_tokens: 16,
  messages: [{ role: 'user', content: 'Hi' }],
});
const anthropicHeaders = { 'anthropic-version': '2023-06-01' };

/** `curl -s URL ... -d '{json}'` as printed: the URL and the parsed body. */
function curlOf(line: string): { url: string; body: unknown } {
  const url = /curl -s (?:-i )?(\S+)/.exec(line)?.[1] ?? '';
  const body = /-d '([^']*)'/.exec(line)?.[1];
  return { url, body: body === undefined ? undefined : JSON.parse(body) };
}

/** Sends SIGINT, as Ctrl-C does, and waits for the exit. */
async function interrupt(process: LiveBinary) {
  process.child.kill('SIGINT');
  return process.finished;
}

describe('switchyard simulator (the real binary)', () => {
  let home: string;
  let running: LiveBinary[] = [];
  let stopServe: (() => Promise<void>) | undefined;

  beforeEach(async () => {
    home = await mkdtemp(join(tmpdir(), 'switchyard-simulator-command-'));
  });

  afterEach(async () => {
    await stopServe?.();
    stopServe = undefined;
    for (const process of running) if (process.child.exitCode === null) await interrupt(process);
    running = [];
    await rm(home, { recursive: true, force: true });
  });

  function start(args: string[], environment: NodeJS.ProcessEnv = {}): LiveBinary {
    const process = startBinary(args, { SWITCHYARD_HOME: home, ...environment });
    running.push(process);
    return process;
  }

  it('explains itself in --help', async () => {
    const result = await runBinary(['simulator', '--help'], { SWITCHYARD_HOME: home });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/USAGE .*simulator/);
    expect(result.stdout).toMatch(/--port.*Port to listen on \(default 8791; 0 picks a free one\)/);
    expect(result.stdout).toContain('docs/simulator.md');
  });

  it('refuses a port that is not a port, saying which', async () => {
    const result = await runBinary(['simulator', '--port', 'eighty'], { SWITCHYARD_HOME: home });
    expect(result).toMatchObject({ code: 1, stdout: '' });
    expect(result.stderr).toBe('switchyard: --port must be a whole number from 0 to 65535, not "eighty".\n');
  });

  it('refuses a time scale that is not a positive number, saying which', async () => {
    const result = await runBinary(['simulator', '--time-scale', '0'], { SWITCHYARD_HOME: home });
    expect(result).toMatchObject({ code: 1, stdout: '' });
    expect(result.stderr).toBe('switchyard: --time-scale must be a positive number, not "0".\n');
  });

  it('runs usage windows on a fast clock with --time-scale, driven over its control API', async () => {
    const simulator = start(['simulator', '--port', '0', '--time-scale', '3600']);
    const printed = (await simulator.waitForOutput(/[\s\S]*Ctrl-C stops the simulator\.\n/))[0];
    expect(printed).toContain('Usage windows (POST /__sim/usage-windows) pass 3600 times faster than the clock.');
    const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(printed)![1]!;
    const apiKey = /sim-a {2}API key (\S+)/.exec(printed)![1]!;
    const set = await postRaw(
      url,
      '/__sim/usage-windows',
      JSON.stringify({ account: 'sim-a', style: 'anthropic', windows: [{ seconds: 5 * 3600, capacity: 1 }] }),
    );
    expect(set.status).toBe(200);
    const windows = (set.body as { windows: { name: string; resetsAt: number }[] }).windows;
    expect(windows.map((window) => window.name)).toEqual(['5h']);
    // A 5-hour window ends 5 s after it was set, not 5 hours.
    expect(windows[0]!.resetsAt - Date.now()).toBeLessThanOrEqual(5000);
    const served = await postRaw(url, '/v1/messages', message, { ...anthropicHeaders, 'x-api-key': apiKey });
    expect(served.headers.get('anthropic-ratelimit-unified-5h-utilization')).toBe('1.0000');
    const refused = await postRaw(url, '/v1/messages', message, { ...anthropicHeaders, 'x-api-key': apiKey });
    expect(refused.status).toBe(429);
    expect((await postRaw(url, '/__sim/advance', JSON.stringify({ seconds: 5 * 3600 }))).status).toBe(200);
    const renewed = await postRaw(url, '/v1/messages', message, { ...anthropicHeaders, 'x-api-key': apiKey });
    expect(renewed.status).toBe(200);
  });

  it('says so when its port is taken', async () => {
    const first = start(['simulator', '--port', '0']);
    const port = (await first.waitForOutput(/listening on http:\/\/127\.0\.0\.1:(\d+)/))[1]!;
    const result = await runBinary(['simulator', '--port', port], { SWITCHYARD_HOME: home });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `switchyard: Port ${port} is in use; choose another with: switchyard simulator --port N.\n`,
    );
  });

  it('prints what to type, and what it prints puts switchyard in front of it, failover included', async () => {
    const simulator = start(['simulator', '--port', '0']);
    await simulator.waitForOutput(/Ctrl-C stops the simulator\.\n/);
    const printed = (await simulator.waitForOutput(/[\s\S]*Ctrl-C/))[0];
    const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(printed)![1]!;
    expect(printed).toContain(`put this in ${join(home, 'config.yaml')}`);

    // config.yaml exactly as printed.
    const config = /\n(providers:\n(?: {2}.*\n)+)/.exec(printed)![1]!;
    expect(config).toContain(`  anthropic:\n    baseUrl: ${url}\n    tokenUrl: ${url}/oauth/token\n`);
    await writePrivateFile(join(home, 'config.yaml'), config);
    // The commands as printed: the keys' variables, then each switchyard command.
    // Commands to type are the indented lines.
    const lines = printed
      .split('\n')
      .filter((line) => line.startsWith('  '))
      .map((line) => line.trim());
    const exported = lines.find((line) => line.startsWith('export '))!;
    const environment = Object.fromEntries(
      exported
        .slice('export '.length)
        .split(' ')
        .map((pair) => pair.split('=') as [string, string]),
    );
    expect(Object.keys(environment)).toEqual(['SIM_KEY_A', 'SIM_KEY_B']);
    const commands = lines.filter((line) => line.startsWith('switchyard ')).map((line) => line.split(' ').slice(1));
    expect(commands.at(-1)).toEqual(['serve', '--profile', 'sim-pool']);
    for (const command of commands.slice(0, -1)) {
      const result = await runBinary(command, { SWITCHYARD_HOME: home, ...environment });
      expect({ command, code: result.code, stderr: result.stderr }).toEqual({ command, code: 0, stderr: '' });
    }
    // On a free port rather than 8790, which another server on this machine may hold.
    const serve = await startServeProcess([...commands.at(-1)!.slice(1), '--port', '0'], {
      SWITCHYARD_HOME: home,
      ...environment,
    });
    stopServe = serve.stop;

    const first = await postRaw(serve.url, '/v1/messages', message, anthropicHeaders);
    expect(first.status).toBe(200);
    expect(first.headers.get('x-switchyard-bucket')).toBe('anthropic/sim-a');

    // The printed control example: sim-a's next answer is a 429, and the request moves to sim-b.
    const script = curlOf(lines.find((line) => line.includes('/__sim/script'))!);
    const scripted = await postRaw(script.url, '', JSON.stringify(script.body));
    expect(scripted.status).toBe(200);
    const second = await postRaw(serve.url, '/v1/messages', message, anthropicHeaders);
    expect(second.status).toBe(200);
    expect(second.headers.get('x-switchyard-attempts')).toBe('anthropic/sim-a:429,anthropic/sim-b:200');

    const counts = curlOf(lines.find((line) => line.includes('/__sim/counts'))!);
    const seen = (await (await fetch(counts.url)).json()) as {
      accounts: Record<string, { requests: number; byStatus: Record<string, number> }>;
    };
    expect(seen.accounts['sim-a']).toMatchObject({ requests: 2, byStatus: { 200: 1, 429: 1 } });
    expect(seen.accounts['sim-b']).toMatchObject({ requests: 1, byStatus: { 200: 1 } });

    // docs/simulator.md: an account made over the control API is a token file `auth import` reads.
    const made = await fetch(`${url}/__sim/accounts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'oauth-1' }),
    });
    const tokenFile = join(home, 'oauth-1.json');
    await writePrivateFile(tokenFile, await made.text());
    const imported = await runBinary(['auth', 'anthropic', 'import', 'oauth-1', '--from', tokenFile], {
      SWITCHYARD_HOME: home,
    });
    expect(imported.code).toBe(0);
    expect(imported.stdout).toContain('Imported anthropic/oauth-1');

    const stopped = await interrupt(simulator);
    expect(stopped.code).toBe(0);
    expect(stopped.stderr).toBe('switchyard simulator: SIGINT received, stopping\n');
  });
});

describe('switchyard demo --keep (the real binary)', () => {
  it('leaves the router and the simulator running with what to try, until Ctrl-C', async () => {
    const demo = startBinary(['demo', '--keep', '--pause', '0'], { CI: '1' });
    try {
      const guide = (await demo.waitForOutput(/6\. The router[\s\S]*deleted when it stops\.\n/))[0];
      const routerUrl = /The router \((http:\/\/127\.0\.0\.1:\d+)\)/.exec(guide)![1]!;
      const home = /SWITCHYARD_HOME=(\S+) switchyard stats buckets/.exec(guide)![1]!;
      expect(guide).toContain(`curl -s -i ${routerUrl}/v1/messages`);
      expect(guide).toContain(`the dashboard: ${routerUrl}/dashboard`);

      // The tour spent every account; kept running, they are fresh again.
      const answer = await postRaw(routerUrl, '/v1/messages', message, anthropicHeaders);
      expect(answer.status).toBe(200);
      expect(answer.headers.get('x-switchyard-bucket')).toBe('anthropic/work1@company.com');

      const script = curlOf(guide.split('\n').find((line) => line.includes('/__sim/script'))!);
      expect((await postRaw(script.url, '', JSON.stringify(script.body))).status).toBe(200);
      const failedOver = await postRaw(routerUrl, '/v1/messages', message, anthropicHeaders);
      expect(failedOver.headers.get('x-switchyard-bucket')).toBe('anthropic/work2@company.com');

      // Any command works on the demo's own home while it runs.
      const statistics = await runBinary(['stats', 'buckets'], { SWITCHYARD_HOME: home });
      expect(statistics.code).toBe(0);
      expect(statistics.stdout).toContain('anthropic/work1@company.com');
      expect(JSON.parse(await readFile(join(home, 'server.json'), 'utf8'))).toMatchObject({ url: routerUrl });

      demo.child.kill('SIGINT');
      const finished = await demo.finished;
      expect(finished.code).toBe(0);
      expect(finished.stdout).toContain('switchyard demo: SIGINT received, stopping the router and the simulator\n');
      expect(existsSync(home)).toBe(false);
    } finally {
      if (demo.child.exitCode === null) demo.child.kill('SIGKILL');
    }
  });
});
