import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveCommandLine } from '../src/cli/command-line.js';
import { subcommandsOf, UsageError } from '../src/cli/command-tree.js';
import { processIo, rootCommand } from '../src/cli/main.js';
import { runBinary } from './support/run-binary.js';

let home: string;
let environment: NodeJS.ProcessEnv;

beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'switchyard-strict-'));
  environment = { SWITCHYARD_HOME: home, HOME: home };
});

afterEach(async () => {
  await rm(home, { recursive: true, force: true });
});

describe('the CLI refuses what it does not understand', () => {
  it('refuses a mistyped flag instead of taking its value as a bucket, and suggests the flag meant', async () => {
    const typo = await runBinary(
      ['profile', 'save', 'model', 'typo1', 'default', '--provider', 'anthropic', '--modle', 'claude-x'],
      environment,
    );
    expect(typo).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'switchyard: Unknown option --modle for `switchyard profile save model`: did you mean --model?\n' +
        'Run `switchyard profile save model --help` for its usage.\n',
    });
    const shown = await runBinary(['profile', 'show', 'typo1'], environment);
    expect(shown.code).toBe(1);
    expect(shown.stderr).toMatch(/Unknown profile "typo1"/);
  });

  it('refuses serve --bogus-flag before starting and stats buckets with an extra word', async () => {
    expect(await runBinary(['serve', '--bogus-flag', '--port', '0'], environment)).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'switchyard: Unknown option --bogus-flag for `switchyard serve`: it takes --profile, --host, --port, ' +
        '--log-level, --server-file.\nRun `switchyard serve --help` for its usage.\n',
    });
    expect(await runBinary(['stats', 'buckets', 'extra'], environment)).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'switchyard: Unexpected argument "extra": `switchyard stats buckets` takes no arguments.\n' +
        'Run `switchyard stats buckets --help` for its usage.\n',
    });
  });

  it('suggests the nearest command, and names a missing argument, option or value', async () => {
    expect(await runBinary(['profile', 'sav', 'model', 'x'], environment)).toMatchObject({
      code: 2,
      stderr:
        'switchyard: Unknown command "sav" for `switchyard profile`: did you mean `switchyard profile save`?\n' +
        'Run `switchyard profile --help` for its usage.\n',
    });
    expect(await runBinary(['profile', 'load'], environment)).toMatchObject({
      code: 2,
      stderr:
        'switchyard: Missing NAME: `switchyard profile load` needs it.\n' +
        'Run `switchyard profile load --help` for its usage.\n',
    });
    expect(await runBinary(['profile', 'save', 'model', 'p', 'b1'], environment)).toMatchObject({
      code: 2,
      stderr:
        'switchyard: Missing --provider P: `switchyard profile save model` needs it.\n' +
        'Run `switchyard profile save model --help` for its usage.\n',
    });
    expect(await runBinary(['serve', '--port'], environment)).toMatchObject({
      code: 2,
      stderr: 'switchyard: --port needs a value: --port N.\nRun `switchyard serve --help` for its usage.\n',
    });
    expect(await runBinary(['profile', 'list', '--json=yes'], environment)).toMatchObject({
      code: 2,
      stderr: 'switchyard: --json takes no value (got "yes").\nRun `switchyard profile list --help` for its usage.\n',
    });
  });

  it('refuses a bucket or option that the auth action would ignore', async () => {
    expect(await runBinary(['auth', 'anthropic', 'status', 'extra'], environment)).toMatchObject({
      code: 2,
      stderr:
        'switchyard: Unexpected argument "extra": `switchyard auth anthropic status` takes no bucket.\n' +
        'Run `switchyard auth --help` for its usage.\n',
    });
    expect(await runBinary(['auth', 'anthropic', 'import', 'b', '--env', 'KEY'], environment)).toMatchObject({
      code: 2,
      stderr:
        'switchyard: --env is not an option of `switchyard auth anthropic import` (it takes --from).\n' +
        'Run `switchyard auth --help` for its usage.\n',
    });
    expect(await runBinary(['auth', 'anthropic', 'statu'], environment)).toMatchObject({
      code: 2,
      stderr:
        'switchyard: Unknown auth action "statu": did you mean status?\nRun `switchyard auth --help` for its usage.\n',
    });
  });

  it('accepts what every command documents: values after flags, --flag=value, --no-flag and --', async () => {
    const saved = await runBinary(
      ['profile', 'save', 'model', 'p', '--provider=anthropic', 'b1', '--model', 'claude-x', '--', '--b2'],
      environment,
    );
    expect(saved).toMatchObject({ code: 0, stdout: 'Saved model profile p: b1 -> --b2\n' });
    const listed = await runBinary(['profile', 'list', '--no-json'], environment);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain('  p  anthropic: b1, --b2');
  });

  it('checks every command centrally, so a command added later is strict without doing anything', async () => {
    const root = rootCommand(processIo());
    const leaves: string[][] = [];
    const walk = async (command: typeof root, path: string[]): Promise<void> => {
      for (const [name, subcommand] of await subcommandsOf(command)) {
        if (subcommand.run) leaves.push([...path, name]);
        if (subcommand.subCommands) await walk(subcommand, [...path, name]);
      }
    };
    await walk(root, []);
    expect(leaves.length).toBeGreaterThanOrEqual(12);
    for (const path of leaves) {
      const refusal = await resolveCommandLine(root, [...path, '--no-such-flag']).catch((error: unknown) => error);
      expect(refusal, path.join(' ')).toBeInstanceOf(UsageError);
      expect((refusal as UsageError).message).toMatch(/^Unknown option --no-such-flag for `switchyard /);
      expect((refusal as UsageError).exitCode).toBe(2);
      expect((refusal as UsageError).commandPath).toEqual(path);
    }
  });

  it('refuses the same in the shell, pointing to /help', async () => {
    const result = await runBinary([], environment, '/stats buckets extra\n/serve --bogus-flag\n/profile sav\n/exit\n');
    expect(result.code).toBe(0);
    expect(result.stderr).toBe(
      'switchyard: Unexpected argument "extra": `switchyard stats buckets` takes no arguments.\n' +
        'Type `/help stats buckets` for its usage.\n' +
        'switchyard: Unknown option --bogus-flag for `switchyard serve`: it takes --profile, --host, --port, ' +
        '--log-level, --server-file.\nType `/help serve` for its usage.\n' +
        'switchyard: Unknown command "sav" for `switchyard profile`: did you mean `switchyard profile save`?\n' +
        'Type `/help profile` for its usage.\n',
    );
    expect(result.stdout).not.toContain('listening on');
  });
});
