import type { ArgDef, ArgsDef, CommandDef, CommandMeta } from 'citty';
import { CliError, type CliIo } from './io.js';

/** A command's own arguments, with their names: what parsing, help and completion all read. */
export interface ArgumentDefinition {
  name: string;
  definition: ArgDef;
}

/**
 * A mistake in how a command was called (unknown flag, extra word, missing value). Exit code 2, and
 * the message is followed by where that command's help is, which depends on where it was typed.
 */
export class UsageError extends CliError {
  constructor(
    message: string,
    readonly commandPath: string[],
  ) {
    super(message, 2);
  }
}

export async function resolveValue<T>(
  value: T | Promise<T> | (() => T) | (() => Promise<T>) | undefined,
): Promise<T | undefined> {
  return typeof value === 'function' ? await (value as () => T | Promise<T>)() : await value;
}

export async function metaOf(command: CommandDef): Promise<CommandMeta> {
  return (await resolveValue(command.meta)) ?? {};
}

export async function argumentsOf(command: CommandDef): Promise<ArgumentDefinition[]> {
  const definitions: ArgsDef = (await resolveValue(command.args)) ?? {};
  return Object.entries(definitions).map(([name, definition]) => ({ name, definition }));
}

/** The visible subcommands by name (hidden ones, such as the completion helper, left out). */
export async function subcommandsOf(command: CommandDef): Promise<Map<string, CommandDef>> {
  const result = new Map<string, CommandDef>();
  const subcommands = await resolveValue(command.subCommands);
  for (const [name, entry] of Object.entries(subcommands ?? {})) {
    const resolved = (await resolveValue(entry)) as CommandDef;
    if (!(await metaOf(resolved)).hidden) result.set(name, resolved);
  }
  return result;
}

/** One subcommand by name, hidden ones included. */
export async function subcommandNamed(command: CommandDef, name: string): Promise<CommandDef | undefined> {
  const subcommands = await resolveValue(command.subCommands);
  if (!subcommands || !Object.hasOwn(subcommands, name)) return undefined;
  return (await resolveValue(subcommands[name])) as CommandDef;
}

/** A positional that takes every remaining word (`BUCKET...`): its value hint ends in dots. */
export function isVariadic(argument: ArgumentDefinition): boolean {
  return argument.definition.type === 'positional' && (argument.definition.valueHint ?? '').endsWith('...');
}

/** How a positional is written in usage lines: its hint, else its name in capitals. */
export function positionalLabel(argument: ArgumentDefinition): string {
  return argument.definition.valueHint ?? argument.name.toUpperCase();
}

/** `--log-level`: flags are written in kebab case whatever the definition's key. */
export function flagName(argument: ArgumentDefinition): string {
  return `--${argument.name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`;
}

/** How a flag is offered: a boolean that is on by default is offered as its `--no-` form. */
export function shownFlagName(argument: ArgumentDefinition): string {
  if (argument.definition.type === 'boolean' && argument.definition.default === true)
    return flagName(argument).replace(/^--/, '--no-');
  return flagName(argument);
}

/** `--provider P`, `--json`, `--no-browser`. */
export function flagLabel(argument: ArgumentDefinition): string {
  if (argument.definition.type === 'boolean') return shownFlagName(argument);
  const hint = argument.definition.valueHint ?? argument.name.replace(/-/g, '_').toUpperCase();
  return `${flagName(argument)} ${hint}`;
}

/** Where the help for a command is: `switchyard profile --help` in a terminal, `/help profile` in the shell. */
export function helpPointer(path: string[], io: Pick<CliIo, 'shell'>): string {
  if (io.shell)
    return path.length === 0 ? 'Type /help for the commands.' : `Type \`/help ${path.join(' ')}\` for its usage.`;
  return path.length === 0
    ? 'Run `switchyard --help` for the commands.'
    : `Run \`switchyard ${path.join(' ')} --help\` for its usage.`;
}
