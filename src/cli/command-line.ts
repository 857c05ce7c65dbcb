import type { CommandDef } from 'citty';
import {
  type ArgumentDefinition,
  argumentsOf,
  flagName,
  isVariadic,
  positionalLabel,
  shownFlagName,
  subcommandNamed,
  subcommandsOf,
  UsageError,
} from './command-tree.js';
import { nearestWord } from './nearest-word.js';

/** The command a command line names, and the words left for that command's own arguments. */
export interface ResolvedCommand {
  /** `['profile', 'save', 'model']`. */
  path: string[];
  command: CommandDef;
  parent: CommandDef | undefined;
  rest: string[];
}

/**
 * Walks the command tree by the leading words and checks the rest against the command's own
 * arguments, here once for every command (and every slash command): a new command is strict
 * without doing anything. A typo must never be taken as a value (`--modle claude-x` became a bucket).
 */
export async function resolveCommandLine(
  root: CommandDef,
  words: string[],
  rootPath: string[] = [],
): Promise<ResolvedCommand> {
  let command = root;
  let parent: CommandDef | undefined;
  const path: string[] = [...rootPath];
  let index = 0;
  while (command.subCommands !== undefined) {
    const word = words[index];
    const names = [...(await subcommandsOf(command)).keys()];
    const where = ['switchyard', ...path].join(' ');
    if (word === undefined) {
      if (command.run !== undefined) break;
      throw new UsageError(`\`${where}\` needs a command: ${names.join(', ')}.`, path);
    }
    const next = word.startsWith('-') ? undefined : await subcommandNamed(command, word);
    if (!next) {
      const guess = nearestWord(word, names);
      const hint = guess === undefined ? `one of ${names.join(', ')}.` : `did you mean \`${where} ${guess}\`?`;
      throw new UsageError(`Unknown command "${word}" for \`${where}\`: ${hint}`, path);
    }
    parent = command;
    command = next;
    path.push(word);
    index += 1;
  }
  const rest = words.slice(index);
  await checkArguments(path, await argumentsOf(command), rest);
  return { path, command, parent, rest };
}

async function checkArguments(path: string[], definitions: ArgumentDefinition[], words: string[]): Promise<void> {
  const where = ['switchyard', ...path].join(' ');
  const flags = definitions.filter((argument) => argument.definition.type !== 'positional');
  const positionals = definitions.filter((argument) => argument.definition.type === 'positional');
  const given: string[] = [];
  const seen = new Set<string>();
  for (let index = 0; index < words.length; index += 1) {
    const word = words[index]!;
    if (word === '--') {
      given.push(...words.slice(index + 1));
      break;
    }
    if (!word.startsWith('-') || word === '-') {
      given.push(word);
      continue;
    }
    const [spelled, inline] = splitFlag(word);
    const flag = findFlag(flags, spelled);
    if (!flag) throw unknownFlag(path, where, spelled, flags);
    seen.add(flag.name);
    if (flag.definition.type === 'boolean' || spelled.startsWith('--no-')) {
      if (inline !== undefined && inline !== 'true' && inline !== 'false')
        throw new UsageError(`${spelled} takes no value (got "${inline}").`, path);
      continue;
    }
    if (inline !== undefined) continue;
    const value = words[index + 1];
    if (value === undefined || (value.startsWith('--') && value.length > 2))
      throw new UsageError(`${spelled} needs a value: ${spelled} ${hintOf(flag)}.`, path);
    index += 1;
  }
  const variadic = positionals.some(isVariadic);
  positionals.forEach((argument, position) => {
    if (isVariadic(argument) || argument.definition.required === false || argument.definition.default !== undefined)
      return;
    if (given[position] === undefined)
      throw new UsageError(`Missing ${positionalLabel(argument)}: \`${where}\` needs it.`, path);
  });
  if (!variadic && given.length > positionals.length) {
    const extra = given.slice(positionals.length);
    const takes =
      positionals.length === 0 ? 'takes no arguments' : `takes only ${positionals.map(positionalLabel).join(' ')}`;
    throw new UsageError(
      `Unexpected argument${extra.length === 1 ? '' : 's'} ${extra.map((word) => `"${word}"`).join(' ')}: ` +
        `\`${where}\` ${takes}.`,
      path,
    );
  }
  for (const flag of flags) {
    if (flag.definition.required === true && !seen.has(flag.name))
      throw new UsageError(`Missing ${flagName(flag)} ${hintOf(flag)}: \`${where}\` needs it.`, path);
  }
}

/** `--port=8790` -> ['--port', '8790']; `-x` stays whole. */
function splitFlag(word: string): [string, string | undefined] {
  const equals = word.indexOf('=');
  if (!word.startsWith('--') || equals < 0) return [word, undefined];
  return [word.slice(0, equals), word.slice(equals + 1)];
}

function findFlag(flags: ArgumentDefinition[], spelled: string): ArgumentDefinition | undefined {
  for (const flag of flags) {
    const names = [flagName(flag), `--${flag.name}`, ...aliasesOf(flag).map(dashed)];
    if (names.includes(spelled)) return flag;
    if (flag.definition.type === 'boolean' && names.map((name) => name.replace(/^--/, '--no-')).includes(spelled))
      return flag;
  }
  return undefined;
}

function aliasesOf(flag: ArgumentDefinition): string[] {
  const alias = 'alias' in flag.definition ? flag.definition.alias : undefined;
  return alias === undefined ? [] : Array.isArray(alias) ? alias : [alias];
}

function dashed(alias: string): string {
  return alias.length === 1 ? `-${alias}` : `--${alias}`;
}

function hintOf(flag: ArgumentDefinition): string {
  return flag.definition.valueHint ?? flag.name.replace(/-/g, '_').toUpperCase();
}

function unknownFlag(path: string[], where: string, spelled: string, flags: ArgumentDefinition[]): UsageError {
  const names = flags.map(shownFlagName);
  const guess = nearestWord(spelled, [...names, '--help']);
  const hint =
    guess !== undefined && guess !== spelled
      ? `did you mean ${guess}?`
      : names.length === 0
        ? 'it takes no options.'
        : `it takes ${names.join(', ')}.`;
  return new UsageError(`Unknown option ${spelled} for \`${where}\`: ${hint}`, path);
}
