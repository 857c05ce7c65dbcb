import type { CommandDef } from 'citty';
import {
  type ArgumentDefinition,
  argumentsOf,
  flagLabel,
  isVariadic,
  metaOf,
  positionalLabel,
  subcommandsOf,
} from './command-tree.js';

/**
 * `switchyard profile save model NAME BUCKET... --provider P [OPTIONS]`: the whole command as it is
 * typed, its positionals and its required flags, so the line can be copied and filled in.
 */
export async function usageLine(path: string[], command: CommandDef): Promise<string> {
  const parts = ['switchyard', ...path];
  const subcommands = await subcommandsOf(command);
  if (subcommands.size > 0 && command.run === undefined) return [...parts, 'COMMAND'].join(' ');
  const definitions = await argumentsOf(command);
  for (const argument of definitions.filter((entry) => entry.definition.type === 'positional')) {
    const label = positionalLabel(argument);
    parts.push(isVariadic(argument) || argument.definition.required !== false ? label : `[${label}]`);
  }
  const flags = definitions.filter((entry) => entry.definition.type !== 'positional');
  for (const flag of flags.filter((entry) => entry.definition.required === true)) parts.push(flagLabel(flag));
  if (flags.some((entry) => entry.definition.required !== true)) parts.push('[OPTIONS]');
  return parts.join(' ');
}

/** A command's help: what it does, its usage line, its arguments and options, and its subcommands' lines. */
export async function renderHelp(path: string[], command: CommandDef, details?: string): Promise<string> {
  const meta = await metaOf(command);
  const lines = [meta.description ?? '', '', `USAGE  ${await usageLine(path, command)}`];
  const definitions = await argumentsOf(command);
  const positionals = definitions.filter((entry) => entry.definition.type === 'positional');
  const flags = definitions.filter((entry) => entry.definition.type !== 'positional');
  if (positionals.length > 0) {
    lines.push('', 'ARGUMENTS');
    lines.push(...columns(positionals.map((argument) => [positionalLabel(argument), describe(argument)])));
  }
  lines.push('', 'OPTIONS');
  lines.push(...columns([...flags.map((flag) => [flagLabel(flag), describe(flag)]), ['-h, --help', 'Show this help']]));
  const subcommands = await subcommandsOf(command);
  if (subcommands.size > 0) {
    lines.push('', 'COMMANDS');
    if (path.length === 0) {
      // The top level keeps one short line per command; each command's own help has the details.
      const rows: string[][] = [];
      for (const [name, subcommand] of subcommands) rows.push([name, (await metaOf(subcommand)).description ?? '']);
      lines.push(...columns(rows));
    } else {
      for (const [line, description] of await leafLines(path, command)) lines.push(`  ${line}`, `      ${description}`);
    }
    const more = path.length === 0 ? 'switchyard COMMAND --help' : `switchyard ${path.join(' ')} COMMAND --help`;
    lines.push('', `Run \`${more}\` for a command's arguments and options.`);
  }
  if (details !== undefined) lines.push('', details);
  return `${lines.join('\n')}\n`;
}

/** Every runnable command under a group, as usage line and description. */
async function leafLines(path: string[], command: CommandDef): Promise<[string, string][]> {
  const result: [string, string][] = [];
  for (const [name, subcommand] of await subcommandsOf(command)) {
    const subpath = [...path, name];
    if (subcommand.run !== undefined)
      result.push([await usageLine(subpath, subcommand), (await metaOf(subcommand)).description ?? '']);
    if (subcommand.subCommands !== undefined) result.push(...(await leafLines(subpath, subcommand)));
  }
  return result;
}

function describe(argument: ArgumentDefinition): string {
  const { definition } = argument;
  const notes: string[] = [];
  if (definition.type !== 'positional' && definition.required === true) notes.push('(required)');
  if (definition.type === 'positional' && definition.required === false && !isVariadic(argument))
    notes.push('(optional)');
  return [definition.description ?? '', ...notes].filter(Boolean).join(' ');
}

/** Two columns, the second aligned; a long first column puts its description on the next line. */
function columns(rows: string[][]): string[] {
  const width = Math.min(28, Math.max(...rows.map(([left]) => left!.length)));
  return rows.map(([left, right]) =>
    left!.length > width ? `  ${left}\n  ${' '.repeat(width)}  ${right}` : `  ${left!.padEnd(width)}  ${right}`,
  );
}
