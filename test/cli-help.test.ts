import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { subcommandNamed } from '../src/cli/command-tree.js';
import { completeWords } from '../src/cli/completion.js';
import { processIo, rootCommand } from '../src/cli/main.js';
import { completeShellLine } from '../src/cli/shell.js';
import { renderHelp } from '../src/cli/usage.js';
import { resolvePaths } from '../src/config/paths.js';
import { binaryPath, runBinary } from './support/run-binary.js';

const run = promisify(execFile);

let home: string;
let environment: NodeJS.ProcessEnv;

beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'switchyard-help-'));
  environment = { SWITCHYARD_HOME: home, HOME: home };
  await mkdir(join(home, 'oauth', 'anthropic'), { recursive: true });
  await writeFile(join(home, 'oauth', 'anthropic', 'work1@company.com.json'), '{}');
});

afterEach(async () => {
  await rm(home, { recursive: true, force: true });
});

describe('help', () => {
  it('shows every command in full with its arguments, and a group lists its commands so', async () => {
    const save = await runBinary(['profile', 'save', 'model', '--help'], environment);
    expect(save.code).toBe(0);
    expect(save.stdout).toContain('USAGE  switchyard profile save model NAME BUCKET... --provider P [OPTIONS]\n');
    expect(save.stdout).toMatch(/^ {2}--model M {2,}Model to use/m);
    const profile = await runBinary(['profile', '--help'], environment);
    expect(profile.stdout).toContain(
      '  switchyard profile save loadbalancer NAME failover|roundrobin|balance PROFILE...\n',
    );
    expect(profile.stdout).toContain('  switchyard profile load NAME\n');
    expect((await runBinary(['stats', '--help'], environment)).stdout).toContain(
      '  switchyard stats buckets [OPTIONS]\n',
    );
    // The shell's own help names the shell-only commands and where each command's usage is.
    const shell = await runBinary([], environment, '/help\n/help profile load\n/exit\n');
    expect(shell.stdout).toContain('/provider P ');
    expect(shell.stdout).toContain('USAGE  switchyard profile load NAME\n');
  });

  it("agrees with README's Commands table: each command's flags are in its --help", async () => {
    const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8');
    const section = readme.slice(readme.indexOf('\n## Commands\n'), readme.indexOf('\n## Files\n'));
    const rows = section.split('\n').filter((line) => /^\| `/.test(line));
    expect(rows.length).toBeGreaterThanOrEqual(15);
    const root = rootCommand(processIo());
    for (const row of rows) {
      const usage = /^\| `([^`]+)`/.exec(row)![1]!;
      let command = root;
      const path: string[] = [];
      for (const word of usage.split(/\s+/)) {
        const next = await subcommandNamed(command, word);
        if (!next) break;
        command = next;
        path.push(word);
      }
      expect(path.length, usage).toBeGreaterThan(0);
      const help = await renderHelp(path, command);
      for (const flag of usage.match(/--[a-z][a-z-]*/g) ?? []) expect(help, `${usage}: ${flag}`).toContain(flag);
    }
  });
});

describe('completion', () => {
  it('completes subcommands, flags, profiles, buckets and choices from the command tree', async () => {
    const io = { ...processIo(), paths: resolvePaths(environment) };
    const root = rootCommand(io);
    expect(await completeWords(root, io, ['pro'])).toEqual(['profile']);
    expect(await completeWords(root, io, ['profile', 'load', 'ha'])).toEqual(['ha-claude']);
    expect(await completeWords(root, io, ['profile', 'save', 'model', 'x', 'w'])).toEqual(['work1@company.com']);
    expect(await completeWords(root, io, ['profile', 'save', 'model', 'x', '--mo'])).toEqual(['--model', '--models']);
    expect(await completeWords(root, io, ['auth', 'anthropic', 'lo'])).toEqual(['login', 'logout']);
    expect(await completeWords(root, io, ['serve', '--profile', 'team'])).toEqual(['team-claude']);
    // The shell completes its slash commands the same way, and its own /provider and /model.
    const complete = (words: string[]) => completeWords(root, io, words);
    expect(await completeShellLine('/pro', complete)).toEqual([['/profile', '/provider'], '/pro']);
    expect(await completeShellLine('/profile load ha', complete)).toEqual([['ha-claude'], 'ha']);
    expect(await completeShellLine('/auth anthropic login ', complete)).toEqual([['work1@company.com'], '']);
    expect(await completeShellLine('/provider g', complete)).toEqual([['gemini'], 'g']);
    expect(await completeShellLine('/help profile sa', complete)).toEqual([['save'], 'sa']);
  });

  it('prints a bash script that completes a subcommand and a profile in a real bash', async () => {
    const script = await runBinary(['completion', 'bash'], environment);
    expect(script.code).toBe(0);
    // `switchyard` on PATH, as after an install: the script calls the binary itself.
    const bin = join(home, 'bin');
    await mkdir(bin);
    await symlink(binaryPath, join(bin, 'switchyard'));
    const path = `${bin}:${dirname(process.execPath)}:${process.env.PATH ?? ''}`;
    const complete = async (words: string[]) => {
      const program =
        'source <(switchyard completion bash)\n' +
        `COMP_WORDS=(switchyard ${words.map((word) => `'${word}'`).join(' ')})\n` +
        `COMP_CWORD=${words.length}\n_switchyard\nprintf '%s\\n' "\${COMPREPLY[@]}"\n`;
      const { stdout } = await run('bash', ['-c', program], { env: { ...environment, PATH: path } });
      return stdout.trim().split('\n');
    };
    expect(await complete(['profile', 'se'])).toEqual(['set-default']);
    expect(await complete(['profile', 'sh'])).toEqual(['show']);
    expect(await complete(['profile', 'load', 'team'])).toEqual(['team-claude']);
    expect(await complete(['stats', ''])).toEqual(['buckets', 'quota', 'clients']);
  });

  it('prints zsh and fish scripts that ask the binary, and refuses another shell', async () => {
    const zsh = await runBinary(['completion', 'zsh'], environment);
    expect(zsh.stdout).toMatch(/^#compdef switchyard\n/);
    expect(zsh.stdout).toContain(['switchyard __complete "$', '{(@)words[2,CURRENT]}"'].join(''));
    expect(zsh.stdout).toContain('compdef _switchyard switchyard');
    const fish = await runBinary(['completion', 'fish'], environment);
    expect(fish.stdout).toContain(
      "complete -c switchyard -f -a '(switchyard __complete (commandline -opc)[2..-1] (commandline -ct))'",
    );
    for (const [shell, script] of [
      ['zsh', zsh.stdout],
      ['fish', fish.stdout],
    ] as const) {
      // Checked by the shell itself where it is installed (it is not on every machine).
      const syntax = await run(shell, shell === 'zsh' ? ['-n', '-c', script] : ['--no-execute', '-c', script]).catch(
        (error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? undefined : Promise.reject(error)),
      );
      if (syntax !== undefined) expect(syntax.stderr).toBe('');
    }
    expect(await runBinary(['completion', 'powershell'], environment)).toMatchObject({
      code: 2,
      stderr:
        'switchyard: No completion for "powershell": use bash, zsh or fish.\n' +
        'Run `switchyard completion --help` for its usage.\n',
    });
    expect(await runBinary(['__complete', 'profile', 'l'], environment)).toEqual({
      code: 0,
      stdout: 'load\nlist\n',
      stderr: '',
    });
  });
});
