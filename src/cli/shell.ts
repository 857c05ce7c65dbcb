import { createInterface } from 'node:readline';
import { type CommandDef, parseArgs } from 'citty';
import type { RunningServer } from '../server/start-server.js';
import { resolveCommandLine } from './command-line.js';
import { argumentsOf, helpPointer, UsageError } from './command-tree.js';
import { type ServeArguments, serveCommand, startFromArguments } from './commands/serve.js';
import type { CliIo } from './io.js';
import { splitCommandLine } from './split-command-line.js';

const shellHelp = `Commands are the same as on the command line, written with a slash:
  /serve [--profile NAME] [--port N] [--log-level L]   start the router inside this shell
  /profile load ha-claude              switch the running router at once
  /auth anthropic status               /stats buckets
  /help [command]                      /exit
`;

/**
 * The interactive shell that `switchyard` with no arguments opens. Each `/command` runs the
 * same code as `switchyard command`; `/serve` keeps the router running beside the prompt.
 */
export async function runShell(io: CliIo, run: (argv: string[]) => Promise<number>): Promise<number> {
  let server: RunningServer | undefined;
  const lines = createInterface({
    input: process.stdin,
    output: process.stdout,
    terminal: io.interactive,
    prompt: 'switchyard> ',
  });
  io.stdout('switchyard interactive shell. Type /help for commands, /exit to leave.\n');
  lines.prompt();
  for await (const rawLine of lines) {
    const line = rawLine.trim();
    if (line === '') {
      lines.prompt();
      continue;
    }
    if (!line.startsWith('/')) {
      io.stderr('Commands start with a slash, e.g. /profile list. Type /help.\n');
      lines.prompt();
      continue;
    }
    let words: string[];
    try {
      words = splitCommandLine(line.slice(1));
    } catch (error) {
      io.stderr(`${error instanceof Error ? error.message : String(error)}\n`);
      lines.prompt();
      continue;
    }
    const [command, ...rest] = words;
    if (command === 'exit' || command === 'quit') break;
    if (command === 'help' && rest.length === 0) io.stdout(shellHelp);
    else if (command === 'serve' && !rest.includes('--help')) {
      if (server) io.stderr(`The router already runs at ${server.url}.\n`);
      else {
        try {
          server = await startFromArguments(io, await parseServeWords(io, rest));
        } catch (error) {
          io.stderr(`switchyard: ${error instanceof Error ? error.message : String(error)}\n`);
          if (error instanceof UsageError) io.stderr(`${helpPointer(error.commandPath, io)}\n`);
        }
      }
    } else await run(words);
    lines.prompt();
  }
  lines.close();
  if (server) await server.close();
  return 0;
}

/** `/serve` words, checked as strictly as `switchyard serve`'s (unknown flags and extra words refused). */
async function parseServeWords(io: CliIo, words: string[]): Promise<ServeArguments> {
  const command = serveCommand(io) as unknown as CommandDef;
  await resolveCommandLine(command, words, ['serve']);
  const definitions = Object.fromEntries(
    (await argumentsOf(command)).map((argument) => [argument.name, argument.definition]),
  );
  const parsed = parseArgs(words, definitions);
  // Request lines would scroll the prompt away; inside the shell only warnings show unless asked.
  return {
    profile: parsed.profile as string | undefined,
    host: parsed.host as string | undefined,
    port: parsed.port as string | undefined,
    logLevel: (parsed['log-level'] as string | undefined) ?? 'warn',
  };
}
