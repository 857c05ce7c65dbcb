import { defineCommand } from 'citty';
import { UsageError } from '../command-tree.js';
import { completionScripts } from '../completion.js';
import type { CliIo } from '../io.js';

export const completionCommand = (io: CliIo) =>
  defineCommand({
    meta: {
      name: 'completion',
      description: 'Print a Tab-completion script for bash, zsh or fish (commands, flags, profiles, buckets)',
    },
    args: {
      shell: {
        type: 'positional',
        required: true,
        valueHint: 'bash|zsh|fish',
        description: 'The shell to complete in',
      },
    },
    async run({ args }) {
      const shell = args.shell;
      if (shell !== 'bash' && shell !== 'zsh' && shell !== 'fish')
        throw new UsageError(`No completion for "${shell}": use bash, zsh or fish.`, ['completion']);
      io.stdout(completionScripts[shell]);
    },
  });
