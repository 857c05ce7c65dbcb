import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { CommandDef } from 'citty';
import { providerNames } from '../core/provider-names.js';
import { defaultExampleDirectory, listProfiles } from '../profiles/index.js';
import {
  type ArgumentDefinition,
  argumentsOf,
  flagName,
  isVariadic,
  positionalLabel,
  shownFlagName,
  subcommandNamed,
  subcommandsOf,
} from './command-tree.js';
import type { CliIo } from './io.js';

/**
 * The words that can follow what is typed: `words` are the words after `switchyard`, the last one
 * the (possibly empty) word being completed. Read from the command tree, so every command (and
 * every command added later) completes its subcommands, flags and known names.
 */
export async function completeWords(root: CommandDef, io: CliIo, words: string[]): Promise<string[]> {
  const current = words.at(-1) ?? '';
  const before = words.slice(0, -1);
  let command = root;
  const path: string[] = [];
  while (path.length < before.length) {
    const next = await subcommandNamed(command, before[path.length]!);
    if (!next) break;
    command = next;
    path.push(before[path.length]!);
  }
  const matching = (candidates: string[]) => candidates.filter((candidate) => candidate.startsWith(current));
  const subcommands = await subcommandsOf(command);
  if (subcommands.size > 0 && command.run === undefined)
    return path.length === before.length ? matching([...subcommands.keys()]) : [];
  const definitions = await argumentsOf(command);
  const flags = definitions.filter((argument) => argument.definition.type !== 'positional');
  const rest = before.slice(path.length);
  const previous = flags.find((flag) => flagName(flag) === rest.at(-1) && flag.definition.type !== 'boolean');
  if (previous) return matching(await valuesOf(io, previous, rest));
  if (current.startsWith('-')) return matching([...flags.map(shownFlagName), '--help']);
  const positionals = definitions.filter((argument) => argument.definition.type === 'positional');
  let given = 0;
  for (let index = 0; index < rest.length; index += 1) {
    const word = rest[index]!;
    if (!word.startsWith('-')) given += 1;
    else if (flags.some((flag) => flagName(flag) === word && flag.definition.type !== 'boolean')) index += 1;
  }
  const positional = positionals[given] ?? positionals.find(isVariadic);
  return positional === undefined ? [] : matching(await valuesOf(io, positional, rest));
}

/** Names a positional or a flag's value can take: providers, profiles, buckets, or its listed choices. */
async function valuesOf(io: CliIo, argument: ArgumentDefinition, rest: string[]): Promise<string[]> {
  const label = argument.definition.type === 'positional' ? positionalLabel(argument) : argument.name.toUpperCase();
  const choices = /^[\w-]+(?: ?\| ?[\w-]+)+$/;
  if (choices.test(label)) return label.split('|').map((choice) => choice.trim());
  const described = argument.definition.description ?? '';
  if (choices.test(described)) return described.split('|').map((choice) => choice.trim());
  if (label === 'PROVIDER' || argument.name === 'provider') return [...providerNames];
  if (label.startsWith('BUCKET')) {
    const provider = providerNames.find((name) => rest.includes(name));
    return bucketNames(io, provider === undefined ? [...providerNames] : [provider]);
  }
  if (label.startsWith('PROFILE') || label === 'NAME' || argument.name === 'profile') return profileNames(io);
  return [];
}

async function profileNames(io: CliIo): Promise<string[]> {
  const entries = await listProfiles({ userDirectory: io.paths.profiles, exampleDirectory: defaultExampleDirectory() });
  return entries.map((entry) => entry.name);
}

/** Bucket names from the token files (not the cluster's Redis: completing must stay instant and offline). */
async function bucketNames(io: CliIo, providers: string[]): Promise<string[]> {
  const names = new Set<string>();
  for (const provider of providers) {
    const files = await readdir(join(io.paths.oauth, provider)).catch(() => [] as string[]);
    for (const file of files) if (file.endsWith('.json')) names.add(file.slice(0, -'.json'.length));
  }
  return [...names].sort();
}

/** `switchyard completion bash|zsh|fish`: each asks the binary itself (`switchyard __complete WORDS...`). */
export const completionScripts: Record<'bash' | 'zsh' | 'fish', string> = {
  bash: `# switchyard completion for bash: add to ~/.bashrc
#   source <(switchyard completion bash)
_switchyard() {
  local IFS=$'\\n'
  COMPREPLY=($(switchyard __complete "\${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null))
}
complete -o default -F _switchyard switchyard
`,
  zsh: `#compdef switchyard
# switchyard completion for zsh: add to ~/.zshrc (after compinit)
#   source <(switchyard completion zsh)
_switchyard() {
  local -a candidates
  candidates=("\${(@f)$(switchyard __complete "\${(@)words[2,CURRENT]}" 2>/dev/null)}")
  compadd -a candidates
}
if (( $+functions[compdef] )); then compdef _switchyard switchyard; fi
`,
  fish: `# switchyard completion for fish: save as ~/.config/fish/completions/switchyard.fish
#   switchyard completion fish > ~/.config/fish/completions/switchyard.fish
complete -c switchyard -f -a '(switchyard __complete (commandline -opc)[2..-1] (commandline -ct))'
`,
};
