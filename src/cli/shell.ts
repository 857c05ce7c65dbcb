import { createInterface } from 'node:readline';
import { type CommandDef, parseArgs } from 'citty';
import { providerNames, requireProviderName } from '../core/provider-names.js';
import type { ProviderName } from '../core/types.js';
import type { RunningServer } from '../server/start-server.js';
import { resolveCommandLine } from './command-line.js';
import { argumentsOf, helpPointer, UsageError } from './command-tree.js';
import { type ServeArguments, serveCommand, startFromArguments } from './commands/serve.js';
import type { CliIo } from './io.js';
import { lineQueue } from './shell-line-queue.js';
import { splitCommandLine } from './split-command-line.js';

const shellHelp = `Commands are the same as on the command line, written with a slash:
  /serve [--profile NAME] [--port N] [--log-level L]   start the router inside this shell
  /profile load ha-claude              switch the running router at once
  /auth anthropic status               /stats buckets
Only in the shell:
  /provider P                          the provider the next /profile save model uses
  /model M                             its model; /model alone shows both
  /help [COMMAND]                      a command's usage, e.g. /help profile save model
  /exit                                leave (a router started here stops)
Tab completes commands, profiles and buckets.
`;

/** What `/provider` and `/model` set for the following `/profile save model`, as the seeds' guide uses them. */
interface ShellSettings {
  provider?: ProviderName;
  model?: string;
}

/**
 * The interactive shell that `switchyard` with no arguments opens. Each `/command` runs the
 * same code as `switchyard command`; `/serve` keeps the router running beside the prompt.
 */
export async function runShell(
  io: CliIo,
  run: (argv: string[], io: CliIo) => Promise<number>,
  complete: (words: string[]) => Promise<string[]>,
): Promise<number> {
  let server: RunningServer | undefined;
  const lines = createInterface({
    input: process.stdin,
    output: process.stdout,
    terminal: io.interactive,
    prompt: 'switchyard> ',
    completer: (line: string, callback: (error: null, result: [string[], string]) => void) => {
      void completeShellLine(line, complete).then((result) => callback(null, result));
    },
  });
  const queue = lineQueue(lines);
  const shellIo: CliIo = {
    ...io,
    readLine: async (signal) => {
      const line = await queue.next(signal);
      if (line === undefined) throw new Error('standard input closed before a code was pasted.');
      return line;
    },
  };
  const settings: ShellSettings = {};
  // Piped input can end while a command still runs: Node 24 throws on a prompt after that, older ones ignore it.
  let inputEnded = false;
  lines.once('close', () => (inputEnded = true));
  const prompt = () => {
    if (!inputEnded) lines.prompt();
  };
  io.stdout('switchyard interactive shell. Type /help for commands, /exit to leave.\n');
  prompt();
  for (let rawLine = await queue.next(); rawLine !== undefined; rawLine = await queue.next()) {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#')) {
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
    if (command === undefined) {
      io.stderr('Type a command after the slash, e.g. /profile list. Type /help.\n');
    } else if (command === 'help' && rest.length === 0) io.stdout(shellHelp);
    else if (command === 'provider' || command === 'model') setting(shellIo, settings, command, rest);
    else if (command === 'serve' && !rest.includes('--help') && !rest.includes('-h')) {
      if (server) io.stderr(`The router already runs at ${server.url}.\n`);
      else {
        try {
          server = await startFromArguments(shellIo, await parseServeWords(shellIo, rest));
        } catch (error) {
          io.stderr(`switchyard: ${error instanceof Error ? error.message : String(error)}\n`);
          if (error instanceof UsageError) io.stderr(`${helpPointer(error.commandPath, io)}\n`);
        }
      }
    } else await run(withShellSettings(words, settings), shellIo);
    prompt();
  }
  lines.close();
  if (server) await server.close();
  return 0;
}

/** `/provider anthropic`, `/model claude-sonnet-4-5`, and either alone to show what is set. */
function setting(io: CliIo, settings: ShellSettings, command: 'provider' | 'model', words: string[]): void {
  if (words.length > 1 || words[0]?.startsWith('-')) {
    const label = command === 'provider' ? 'P' : 'M';
    io.stderr(
      `switchyard: /${command} takes one ${command} (/${command} ${label}), or none to show it.\n` +
        'Type /help for the commands.\n',
    );
    return;
  }
  const [value] = words;
  if (command === 'provider' && value !== undefined) {
    let provider: ProviderName;
    try {
      provider = requireProviderName(value);
    } catch (error) {
      io.stderr(`switchyard: ${error instanceof Error ? error.message : String(error)}\n`);
      return;
    }
    // A model belongs to its provider: switching providers forgets it rather than pairing gpt-4.1 with gemini.
    const forgotten = settings.provider !== provider && settings.model !== undefined ? settings.model : undefined;
    settings.provider = provider;
    if (forgotten !== undefined) delete settings.model;
    const note =
      forgotten === undefined ? '' : ` (Model ${forgotten} was for the previous provider: set one with /model M.)`;
    io.stdout(`Provider: ${provider}, for the next /profile save model.${note}\n`);
    return;
  }
  if (command === 'model' && value !== undefined) {
    settings.model = value;
    const provider =
      settings.provider === undefined ? ' (set the provider with /provider P)' : ` (${settings.provider})`;
    io.stdout(`Model: ${value}${provider}, for the next /profile save model.\n`);
    return;
  }
  io.stdout(
    `Provider: ${settings.provider ?? 'not set (/provider P)'}\n` +
      `Model: ${settings.model ?? "not set (/model M; without one a profile keeps the client's model)"}\n`,
  );
}

/** `/profile save model NAME BUCKET...` takes --provider and --model from /provider and /model when not given. */
function withShellSettings(words: string[], settings: ShellSettings): string[] {
  if (words[0] !== 'profile' || words[1] !== 'save' || words[2] !== 'model') return words;
  const has = (flag: string) => words.some((word) => word === flag || word.startsWith(`${flag}=`));
  const added: string[] = [];
  if (settings.provider !== undefined && !has('--provider')) added.push('--provider', settings.provider);
  if (settings.model !== undefined && !has('--model') && !has('--models')) added.push('--model', settings.model);
  if (added.length === 0) return words;
  // Before a `--`, after which every word is a bucket.
  const end = words.indexOf('--');
  return end < 0 ? [...words, ...added] : [...words.slice(0, end), ...added, ...words.slice(end)];
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
    serverFile: parsed['server-file'] as string | undefined,
  };
}

/** Commands only the shell has, completed beside the command tree's. */
const shellCommands = ['provider', 'model', 'help', 'exit', 'quit'];

/** Tab in the shell: `/pro` -> `/profile`, `/profile load h` -> `ha-claude`, `/provider a` -> `anthropic`. */
export async function completeShellLine(
  line: string,
  complete: (words: string[]) => Promise<string[]>,
): Promise<[string[], string]> {
  if (!line.startsWith('/')) return [[], line];
  let words: string[];
  try {
    words = splitCommandLine(line.slice(1));
  } catch {
    return [[], line];
  }
  if (line === '/' || /\s$/.test(line)) words.push('');
  const current = words.at(-1) ?? '';
  if (words.length === 1) {
    const commands = [...(await complete([''])), ...shellCommands].filter((name) => name.startsWith(current));
    return [commands.map((name) => `/${name}`), `/${current}`];
  }
  const [command, ...rest] = words;
  if (command === 'provider' && rest.length === 1)
    return [providerNames.filter((name) => name.startsWith(current)), current];
  if (command === 'model') return [[], current];
  const candidates = await complete(command === 'help' ? rest : words).catch(() => []);
  return [candidates, current];
}
