import { stripVTControlCharacters } from 'node:util';
import { type CommandDef, defineCommand, renderUsage, runCommand } from 'citty';
import { resolvePaths } from '../config/paths.js';
import { packageVersion } from '../server/version.js';
import { CliError, type CliIo } from './io.js';

/** The command tree; every command is also a slash command in the interactive shell. */
export function rootCommand(io: CliIo): CommandDef {
  return defineCommand({
    meta: {
      name: 'switchyard',
      version: packageVersion,
      description:
        'Failover load-balancer router for multiple LLM accounts. Without a command, opens an interactive shell.',
    },
    // Loaded on demand: `serve` must answer /health quickly and never loads the simulator (demo),
    // the login flows or the terminal views; the bundle keeps each command in its own chunk.
    subCommands: {
      serve: async () => (await import('./commands/serve.js')).serveCommand(io),
      demo: async () => (await import('./commands/demo.js')).demoCommand(io),
      simulator: async () => (await import('./commands/simulator.js')).simulatorCommand(io),
      auth: async () => (await import('./commands/auth.js')).authCommand(io),
      profile: async () => (await import('./commands/profile.js')).profileCommand(io),
      stats: async () => (await import('./commands/stats.js')).statsCommand(io),
      client: async () => (await import('./commands/client.js')).clientCommand(io),
      bucket: async () => (await import('./commands/bucket.js')).bucketCommand(io),
    },
  }) as CommandDef;
}

export function processIo(): CliIo {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    environment: process.env,
    paths: resolvePaths(process.env),
    interactive: Boolean(process.stdout.isTTY),
  };
}

/** Runs one command line; returns the exit code instead of exiting, so tests and the shell can call it. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const root = rootCommand(io);
  if (argv[0] === '--version' || argv[0] === '-v') {
    io.stdout(`${packageVersion}\n`);
    return 0;
  }
  if (argv.length === 0 || argv[0] === 'help' || argv.includes('--help') || argv.includes('-h')) {
    const words = argv[0] === 'help' ? argv.slice(1) : argv.filter((word) => word !== '--help' && word !== '-h');
    const [command, parent] = await deepestCommand(root, words);
    const details =
      parent === root ? await helpDetails[String((await resolveValue(command.meta))?.name)]?.() : undefined;
    io.stdout(`${readable(await renderUsage(command, parent), io)}\n${details === undefined ? '' : `\n${details}\n`}`);
    return 0;
  }
  try {
    await runCommand(root, { rawArgs: argv });
    return 0;
  } catch (error) {
    io.stderr(`switchyard: ${readable(describeError(error), io)}\n`);
    if (error instanceof CliError) return error.exitCode;
    return error instanceof Error && error.name === 'CLIError' ? 2 : 1;
  }
}

/**
 * Help text a person reads: colours only on a terminal, and no trailing padding (citty pads every
 * line to the longest description, which a multi-line one makes hundreds of columns wide).
 */
function readable(text: string, io: CliIo): string {
  return (io.interactive ? text : stripVTControlCharacters(text)).replace(/[ \t]+$/gm, '');
}

/** Usage text longer than a one-line description, shown under a command's own help. */
const helpDetails: Record<string, () => Promise<string>> = {
  auth: async () => (await import('./commands/auth.js')).authHelpDetails,
};

/** The command named by the leading words (`auth`, `profile save`), for help. */
async function deepestCommand(root: CommandDef, words: string[]): Promise<[CommandDef, CommandDef | undefined]> {
  let command = root;
  let parent: CommandDef | undefined;
  for (const word of words) {
    const subCommands = await resolveValue(command.subCommands);
    const next = subCommands?.[word];
    if (!next) break;
    parent = command;
    command = (await resolveValue(next)) as CommandDef;
  }
  return [command, parent];
}

async function resolveValue<T>(
  value: T | Promise<T> | (() => T) | (() => Promise<T>) | undefined,
): Promise<T | undefined> {
  return typeof value === 'function' ? await (value as () => T | Promise<T>)() : await value;
}

function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if (error.name === 'CLIError')
    return `${error.message.replace(/\.+$/, '')}. Run \`switchyard --help\` for the commands.`;
  return error.message;
}

/** Entry point of the `switchyard` binary. */
export async function main(argv: string[]): Promise<void> {
  // `switchyard profile list | head` closes the pipe early; that is not an error worth a trace.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
  const io = processIo();
  if (argv.length > 0) {
    process.exitCode = await runCli(argv, io);
    return;
  }
  // The shell (and node:readline with it) loads only when it opens, not for `serve`.
  const { runShell } = await import('./shell.js');
  process.exitCode = await runShell(io, (line) => runCli(line, io));
}
