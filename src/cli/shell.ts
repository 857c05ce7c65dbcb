import { createInterface } from 'node:readline';
import type { RunningServer } from '../server/start-server.js';
import { startFromArguments } from './commands/serve.js';
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
  // Piped input can end while a command still runs: Node 24 throws on a prompt after that, older ones ignore it.
  let inputEnded = false;
  lines.once('close', () => (inputEnded = true));
  const prompt = () => {
    if (!inputEnded) lines.prompt();
  };
  io.stdout('switchyard interactive shell. Type /help for commands, /exit to leave.\n');
  prompt();
  for await (const rawLine of lines) {
    const line = rawLine.trim();
    if (line === '') {
      prompt();
      continue;
    }
    if (!line.startsWith('/')) {
      io.stderr('Commands start with a slash, e.g. /profile list. Type /help.\n');
      prompt();
      continue;
    }
    let words: string[];
    try {
      words = splitCommandLine(line.slice(1));
    } catch (error) {
      io.stderr(`${error instanceof Error ? error.message : String(error)}\n`);
      prompt();
      continue;
    }
    const [command, ...rest] = words;
    if (command === 'exit' || command === 'quit') break;
    if (command === 'help' && rest.length === 0) io.stdout(shellHelp);
    else if (command === 'serve' && !rest.includes('--help')) {
      if (server) io.stderr(`The router already runs at ${server.url}.\n`);
      else {
        try {
          server = await startFromArguments(io, parseServeWords(rest));
        } catch (error) {
          io.stderr(`switchyard: ${error instanceof Error ? error.message : String(error)}\n`);
        }
      }
    } else await run(words);
    prompt();
  }
  lines.close();
  if (server) await server.close();
  return 0;
}

function parseServeWords(words: string[]): { profile?: string; host?: string; port?: string; logLevel: string } {
  // Request lines would scroll the prompt away; inside the shell only warnings show unless asked.
  const result: { profile?: string; host?: string; port?: string; logLevel: string } = { logLevel: 'warn' };
  for (let index = 0; index < words.length; index += 1) {
    const word = words[index]!;
    const [flag, inline] = word.split('=', 2) as [string, string | undefined];
    const value = inline ?? words[++index];
    if (value === undefined) break;
    if (flag === '--profile') result.profile = value;
    else if (flag === '--host') result.host = value;
    else if (flag === '--port') result.port = value;
    else if (flag === '--log-level') result.logLevel = value;
  }
  return result;
}
