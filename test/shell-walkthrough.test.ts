import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parse } from 'yaml';
import { oauthAt } from '../src/auth/login/testing/test-login-io.js';
import { writePrivateFile } from '../src/config/secure-files.js';
import { type Simulator, startSimulator } from '../src/provider-simulator/index.js';
import { browse, pastedCode } from '../src/provider-simulator/testing/scripted-browser.js';
import { startBinary } from './support/live-binary.js';
import { runBinary } from './support/run-binary.js';

/**
 * The seeds' OAuth setup guide (shared/seeds, copied to test/fixtures/oauth-setup-guide.md), typed
 * into the real shell as written: every slash command in its code blocks, comments included, in
 * order. Logins run against the simulator; the test plays the browser and pastes the code.
 */
const guide = await readFile(new URL('./fixtures/oauth-setup-guide.md', import.meta.url), 'utf8');

function slashCommandsOf(markdown: string): string[] {
  const blocks = [...markdown.matchAll(/```bash\n([\s\S]*?)```/g)].map((match) => match[1]!);
  return (
    blocks
      .flatMap((block) => block.split('\n'))
      .map((line) => line.trim())
      .filter((line) => line.startsWith('/'))
      // `/auth {provider}` is a placeholder for the reader to fill in, not a command to type.
      .filter((line) => !/[{<]/.test(line))
  );
}

/** What each command must answer (stdout, or stderr for a refusal that is the right answer). */
function expectedAnswer(command: string): { stdout?: RegExp; stderr?: RegExp } {
  const words = command.replace(/\s+#.*$/, '').split(/\s+/);
  const [name, first, second, third] = [words[0], words[1], words[2], words[3]];
  if (name === '/auth' && first === undefined)
    return { stdout: /OAuth Buckets for anthropic:[\s\S]*OAuth Buckets for qwen:/ };
  if (name === '/auth' && second === undefined) return { stdout: new RegExp(`OAuth Buckets for ${first}:`) };
  if (name === '/auth' && (second === 'enable' || second === 'disable'))
    return { stdout: new RegExp(`OAuth buckets of ${first} are ${second}d`) };
  // Logged out before any login: the answer names the bucket (omitted = default) that has no tokens.
  if (name === '/auth' && second === 'logout')
    return { stderr: new RegExp(`No stored tokens for ${first}/default\\.`) };
  if (name === '/auth' && second === 'login')
    return { stdout: new RegExp(`Logged in: ${first}/${escapeRegExp(third!)} `) };
  if (name === '/auth' && second === 'status')
    return { stdout: new RegExp(`OAuth Buckets for ${first}:\\n {2}\\[ok\\] `) };
  if (name === '/provider') return { stdout: new RegExp(`^Provider: ${first}, for the next /profile save model`, 'm') };
  if (name === '/model') return { stdout: new RegExp(`^Model: ${escapeRegExp(first!)} \\(`, 'm') };
  if (name === '/profile' && first === 'save' && second === 'model')
    return { stdout: new RegExp(`Saved model profile ${third}: `) };
  if (name === '/profile' && first === 'save' && second === 'loadbalancer')
    return { stdout: new RegExp(`Saved load-balancer profile ${third} \\(${words[4]}\\)`) };
  if (name === '/profile' && first === 'load') return { stdout: new RegExp(`Loaded ${second} `) };
  if (name === '/profile' && first === 'set-default') return { stdout: new RegExp(`Default profile: ${second}`) };
  if (name === '/profile' && first === 'list') return { stdout: / {2}ha-claude {2}anthropic: work1@company\.com/ };
  if (name === '/stats' && first === 'buckets') return { stdout: /OAuth Bucket Statistics:/ };
  throw new Error(`The test does not know what "${command}" should answer: add it.`);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

describe("the seeds' OAuth setup guide, typed into the shell", () => {
  let home: string;
  let simulator: Simulator;

  beforeEach(async () => {
    home = await mkdtemp(join(tmpdir(), 'switchyard-walkthrough-'));
    simulator = await startSimulator();
    const oauth = oauthAt('anthropic', simulator.url);
    await writePrivateFile(
      join(home, 'config.yaml'),
      `providers:\n  anthropic:\n    authorizeUrl: ${oauth.authorizeUrl}\n    tokenUrl: ${oauth.tokenUrl}\n`,
    );
  });

  afterEach(async () => {
    await simulator.close();
    await rm(home, { recursive: true, force: true });
  });

  it('runs every slash command of the guide as written, each with its expected answer', async () => {
    const commands = slashCommandsOf(guide);
    expect(commands).toContain('/provider anthropic');
    expect(commands).toContain('/profile save model ha-claude work1@company.com work2@company.com personal@gmail.com');
    // BROWSER=true: the login "opens" the page with a command that does nothing; the test plays the browser.
    const shell = startBinary([], { SWITCHYARD_HOME: home, HOME: home, BROWSER: 'true' });
    let stderr = '';
    shell.child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    let stdout = '';
    shell.child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const prompts = () => stdout.split('switchyard> ').length - 1;
    await vi.waitFor(() => expect(prompts()).toBe(1), { timeout: 10_000 });
    for (const command of commands) {
      const [stdoutBefore, stderrBefore, promptsBefore] = [stdout.length, stderr.length, prompts()];
      shell.typeLine(command);
      if (/^\/auth \S+ login /.test(command)) {
        const url = await vi.waitFor(
          () => {
            const match = /http:\/\/\S+\/oauth\/authorize\S+/.exec(stdout.slice(stdoutBefore));
            if (!match) throw new Error(`no login URL yet after ${command}`);
            return match[0];
          },
          { timeout: 10_000 },
        );
        const bucket = command.split(/\s+/)[3]!;
        shell.typeLine(pastedCode(await browse(url, { account: bucket.split('@')[0]! })));
      }
      await vi.waitFor(() => expect(prompts(), command).toBe(promptsBefore + 1), { timeout: 10_000 });
      const expected = expectedAnswer(command);
      if (expected.stdout) expect(stdout.slice(stdoutBefore), command).toMatch(expected.stdout);
      // stderr is its own pipe and may arrive after the prompt: wait for it.
      if (expected.stderr)
        await vi.waitFor(() => expect(stderr.slice(stderrBefore), command).toMatch(expected.stderr!), {
          timeout: 5000,
        });
    }
    shell.typeLine('/exit');
    expect((await shell.finished).code).toBe(0);
    // Nothing typed as the guide writes it was refused or misread (warnings about buckets without a
    // login, for the profiles saved before their logins, are right and stay).
    const refusals = stderr.split('\n').filter((line) => !line.startsWith('switchyard: warning: '));
    expect(refusals.join('\n')).not.toMatch(/unknown|Commands start with|Missing|needs|did you mean/i);
    expect(stdout).toContain('Logged in: anthropic/personal@gmail.com');
    const saved = parse(await readFile(join(home, 'profiles', 'ha-claude.yaml'), 'utf8')) as Record<string, unknown>;
    expect(saved).toMatchObject({
      type: 'model',
      provider: 'anthropic',
      model: 'claude-sonnet-4-5',
      buckets: ['work1@company.com', 'work2@company.com', 'personal@gmail.com'],
    });
    const gemini = parse(await readFile(join(home, 'profiles', 'gemini-emergency.yaml'), 'utf8')) as unknown;
    expect(gemini).toMatchObject({ provider: 'gemini', model: 'gemini-2.5-pro', buckets: ['default'] });
    const pool = parse(await readFile(join(home, 'profiles', 'multi-provider.yaml'), 'utf8')) as unknown;
    expect(pool).toMatchObject({
      type: 'loadbalancer',
      policy: 'failover',
      profiles: ['anthropic-primary', 'openai-backup', 'gemini-emergency'],
    });
  }, 90_000);

  it('/model alone shows what is set; a new provider forgets the model; flags given win', async () => {
    const result = await runBinary(
      [],
      { SWITCHYARD_HOME: home, HOME: home },
      [
        '/model',
        '/provider claude',
        '/model claude-sonnet-4-5',
        '/model',
        '/profile save model mine b1 --model claude-opus-4-1',
        '/provider openai',
        '/model',
        '/provider nope',
        '/model a b',
        '/exit',
      ].join('\n'),
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Provider: not set (/provider P)\nModel: not set (/model M;');
    expect(result.stdout).toContain('Provider: anthropic\nModel: claude-sonnet-4-5\n');
    expect(result.stdout).toContain('Saved model profile mine: b1\n');
    expect(result.stdout).toContain(
      'Provider: openai, for the next /profile save model. (Model claude-sonnet-4-5 was for the previous ' +
        'provider: set one with /model M.)\n',
    );
    expect(result.stdout).toContain(
      "Provider: openai\nModel: not set (/model M; without one a profile keeps the client's model)",
    );
    expect(result.stderr).toMatch(/^switchyard: Unknown provider "nope"/m);
    expect(result.stderr).toContain('switchyard: /model takes one model (/model M), or none to show it.\n');
    const saved = parse(await readFile(join(home, 'profiles', 'mine.yaml'), 'utf8')) as unknown;
    expect(saved).toMatchObject({ provider: 'anthropic', model: 'claude-opus-4-1', buckets: ['b1'] });
  });
});
