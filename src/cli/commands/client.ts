import { defineCommand } from 'citty';
import { addClient, ClientSettingsError } from '../../clients/add-client.js';
import { hashClientKey } from '../../clients/key-hash.js';
import { loadSettings } from '../../config/load-settings.js';
import { CliError, type CliIo, printJson } from '../io.js';

/** Reads all of standard input (the key to hash, so it never sits in shell history or `ps`). */
async function readStandardInput(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export const clientCommand = (io: CliIo) =>
  defineCommand({
    meta: {
      name: 'client',
      description: 'Per-client keys: each teammate or tool its own key, profiles and rate limit',
    },
    subCommands: {
      add: defineCommand({
        meta: {
          name: 'add',
          description:
            'Add a client with a new random key to config.yaml (only its hash is stored; the key is printed once)',
        },
        args: {
          name: {
            type: 'positional',
            required: true,
            description: 'Client name (shows in statistics, metrics and logs)',
          },
          profiles: {
            type: 'string',
            valueHint: 'A,B',
            description: 'Comma-separated profiles the key may use (default: all)',
          },
          rpm: {
            type: 'string',
            valueHint: 'N',
            description: 'Requests per minute this client may send (default: no limit)',
          },
        },
        async run({ args }) {
          const profiles =
            args.profiles === undefined
              ? undefined
              : args.profiles
                  .split(',')
                  .map((profile) => profile.trim())
                  .filter(Boolean);
          const rpm = args.rpm === undefined ? undefined : Number(args.rpm);
          if (rpm !== undefined && (!Number.isInteger(rpm) || rpm <= 0))
            throw new CliError(`--rpm must be a whole number above 0, not "${args.rpm}".`);
          let key: string;
          try {
            key = await addClient(io.paths, {
              name: args.name,
              ...(profiles ? { profiles } : {}),
              ...(rpm !== undefined ? { requestsPerMinute: rpm } : {}),
            });
          } catch (error) {
            if (error instanceof ClientSettingsError) throw new CliError(error.message);
            throw new CliError(error instanceof Error ? error.message : String(error));
          }
          const scope = profiles ? ` (profiles: ${profiles.join(', ')})` : '';
          const limit = rpm !== undefined ? `, ${rpm} requests per minute` : '';
          io.stdout(
            `Added client ${args.name} to ${io.paths.config}${scope}${limit}.\n` +
              `Its key, shown only now (switchyard keeps just its hash):\n\n  ${key}\n\n` +
              `Give it to the client as "Authorization: Bearer <key>" or "x-api-key"; ` +
              `a running \`switchyard serve\` takes it at once.\n`,
          );
        },
      }),
      hash: defineCommand({
        meta: {
          name: 'hash',
          description: 'Print the keyHash for a key read from standard input (or --env VAR), for config.yaml',
        },
        args: {
          env: { type: 'string', valueHint: 'VAR', description: 'Read the key from this environment variable instead' },
        },
        async run({ args }) {
          const key = (args.env !== undefined ? (io.environment[args.env] ?? '') : await readStandardInput()).trim();
          if (key === '') {
            throw new CliError(
              args.env !== undefined
                ? `${args.env} is not set or empty.`
                : 'No key on standard input: pipe one in, e.g. `printf %s "$KEY" | switchyard client hash`.',
            );
          }
          io.stdout(`${hashClientKey(key)}\n`);
        },
      }),
      list: defineCommand({
        meta: { name: 'list', description: 'The clients in config.yaml (never their keys)' },
        args: { json: { type: 'boolean', description: 'Print machine-readable JSON' } },
        async run({ args }) {
          const { clients } = await loadSettings(io.paths);
          const rows = clients.map((client) => ({
            name: client.name,
            key: client.keyEnv !== undefined ? `from ${client.keyEnv}` : 'hash in config.yaml',
            profiles: client.profiles ?? null,
            requestsPerMinute: client.requestsPerMinute ?? null,
          }));
          if (args.json) {
            printJson(io, { clients: rows });
            return;
          }
          if (rows.length === 0) {
            io.stdout('No clients in config.yaml: add one with `switchyard client add NAME`.\n');
            return;
          }
          for (const row of rows) {
            const limit =
              row.requestsPerMinute === null ? 'no rate limit' : `${row.requestsPerMinute} requests per minute`;
            io.stdout(`${row.name}: key ${row.key}; profiles: ${row.profiles?.join(', ') ?? 'all'}; ${limit}\n`);
          }
        },
      }),
    },
  });
