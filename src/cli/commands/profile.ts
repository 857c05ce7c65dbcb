import { defineCommand } from 'citty';
import { stringify } from 'yaml';
import { loadSettings, setDefaultProfile } from '../../config/load-settings.js';
import { assertProfileName } from '../../core/names.js';
import { requireProviderName } from '../../core/provider-names.js';
import {
  defaultExampleDirectory,
  deleteProfile,
  forgetActiveProfile,
  listProfiles,
  loadProfile,
  type Policy,
  type ProfileLocations,
  readActiveProfile,
  resolveChain,
  saveLoadBalancerProfile,
  saveModelProfile,
  writeActiveProfile,
} from '../../profiles/index.js';
import { parseModelMap } from '../../profiles/model-map-argument.js';
import { shareActiveProfile } from '../../state/cluster/redis-active-profile.js';
import { clusterSettingsOf, withCluster } from '../cluster-access.js';
import { CliError, type CliIo, printJson } from '../io.js';
import { findRunningServer, refusalOf } from '../running-server.js';
import { warnAboutUnknownBuckets } from '../unknown-buckets.js';

function locationsOf(io: CliIo): ProfileLocations {
  return { userDirectory: io.paths.profiles, exampleDirectory: defaultExampleDirectory() };
}

function policyOf(value: string | undefined): Policy {
  if (value === 'failover' || value === 'roundrobin' || value === 'balance') return value;
  throw new CliError(`The policy must be failover, roundrobin or balance, not "${value ?? ''}".`);
}

function modelMapOf(value: string): Record<string, string> {
  try {
    return parseModelMap(value);
  } catch (error) {
    throw new CliError(error instanceof Error ? error.message : String(error));
  }
}

/** Runs a library call and turns its error into a CLI error (message only, no stack). */
async function guarded<T>(action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError(error instanceof Error ? error.message : String(error));
  }
}

const saveModel = (io: CliIo) =>
  defineCommand({
    meta: {
      name: 'model',
      description: 'Save a model profile: one provider, buckets in priority order (first = primary)',
    },
    args: {
      name: { type: 'positional', required: true, description: 'Profile name' },
      provider: { type: 'string', required: true, description: 'anthropic, openai, codex, gemini or qwen' },
      model: { type: 'string', description: "Model to use (omitted: keep the client's model)" },
      models: {
        type: 'string',
        description: "Client model -> this provider's, e.g. 'claude-haiku-4-5=gpt-4.1-mini,*=gpt-4.1'",
      },
      policy: { type: 'string', description: 'failover (default), roundrobin or balance' },
      sticky: { type: 'boolean', description: 'roundrobin: keep a client session on one bucket' },
    },
    async run({ args }) {
      const buckets = args._.slice(1).map(String);
      if (buckets.length === 0) buckets.push('default');
      await guarded(() =>
        saveModelProfile(locationsOf(io), args.name, {
          provider: requireProviderName(args.provider),
          buckets,
          ...(args.model ? { model: args.model } : {}),
          ...(args.models ? { models: modelMapOf(args.models) } : {}),
          ...(args.policy ? { policy: policyOf(args.policy) } : {}),
          ...(args.sticky ? { sticky: true } : {}),
        }),
      );
      io.stdout(`Saved model profile ${args.name}: ${buckets.join(' -> ')}\n`);
      await warnAboutUnknownBuckets(io, requireProviderName(args.provider), buckets);
    },
  });

const saveLoadBalancer = (io: CliIo) =>
  defineCommand({
    meta: {
      name: 'loadbalancer',
      description: 'Save a load-balancer profile over other profiles: NAME failover|roundrobin|balance PROFILE...',
    },
    args: {
      name: { type: 'positional', required: true, description: 'Profile name' },
      policy: { type: 'positional', required: true, description: 'failover, roundrobin or balance' },
    },
    async run({ args }) {
      const members = args._.slice(2).map(String);
      if (members.length === 0)
        throw new CliError('Name at least one member profile: profile save loadbalancer NAME failover PROFILE...');
      await guarded(() => saveLoadBalancerProfile(locationsOf(io), args.name, policyOf(args.policy), members));
      io.stdout(`Saved load-balancer profile ${args.name} (${args.policy}): ${members.join(', ')}\n`);
    },
  });

export const profileCommand = (io: CliIo) =>
  defineCommand({
    meta: { name: 'profile', description: 'Save, load and inspect profiles (chains of buckets)' },
    subCommands: {
      save: defineCommand({
        meta: { name: 'save', description: 'Save a profile' },
        subCommands: { model: saveModel(io), loadbalancer: saveLoadBalancer(io) },
      }),
      load: defineCommand({
        meta: { name: 'load', description: 'Make a profile active; a running server switches to it at once' },
        args: { name: { type: 'positional', required: true, description: 'Profile name' } },
        async run({ args }) {
          const name = await guarded(async () => assertProfileName(args.name));
          const chain = await guarded(() => resolveChain(locationsOf(io), name));
          await writeActiveProfile(io.paths, name);
          const chainText = chain.targets.map((target) => target.key).join(' -> ');
          const cluster = await guarded(() => clusterSettingsOf(io));
          if (cluster) {
            // Every instance sharing Redis switches, this host's server among them.
            await withCluster(cluster, 'the profile cannot be loaded for the other instances', (connection) =>
              shareActiveProfile(connection, name),
            );
            io.stdout(`Loaded ${name} for every instance sharing Redis: ${chainText}\n`);
            return;
          }
          const server = await findRunningServer(io.paths, io.environment);
          if (server) {
            const answer = await server.request('PUT', '/profiles/active', { profile: name });
            if (answer.status !== 200)
              throw new CliError(`The running server refused the profile: ${refusalOf(answer)}`);
            const order = chain.targets.map((target) => target.key).join(' -> ');
            io.stdout(`Loaded ${name} on the running server at ${server.url}: ${order}\n`);
          } else {
            io.stdout(
              `Loaded ${name} (no server is running; \`switchyard serve\` will use it): ` +
                `${chain.targets.map((target) => target.key).join(' -> ')}\n`,
            );
          }
        },
      }),
      list: defineCommand({
        meta: { name: 'list', description: 'Your profiles first, then the bundled examples' },
        args: { json: { type: 'boolean', description: 'Print JSON' } },
        async run({ args }) {
          const entries = await guarded(() => listProfiles(locationsOf(io)));
          const active = await readActiveProfile(io.paths).catch(() => undefined);
          const settings = await loadSettings(io.paths).catch(() => undefined);
          if (args.json) {
            printJson(
              io,
              entries.map((entry) => ({
                ...entry,
                active: entry.name === active,
                default: entry.name === settings?.defaultProfile,
              })),
            );
            return;
          }
          if (entries.length === 0)
            io.stdout('No profiles yet: switchyard profile save model NAME BUCKET... --provider P\n');
          for (const entry of entries) {
            const marks = [
              entry.source === 'example' ? 'example' : undefined,
              entry.name === active ? 'active' : undefined,
              entry.name === settings?.defaultProfile ? 'default' : undefined,
            ].filter(Boolean);
            const summary = entry.error
              ? `INVALID: ${entry.error}`
              : entry.profile?.type === 'model'
                ? `${entry.profile.provider}: ${entry.profile.buckets.join(', ')}`
                : entry.profile?.type === 'loadbalancer'
                  ? `${entry.profile.policy} over ${entry.profile.profiles.join(', ')}`
                  : '';
            io.stdout(`  ${entry.name}${marks.length > 0 ? ` [${marks.join(', ')}]` : ''}  ${summary}\n`);
          }
        },
      }),
      show: defineCommand({
        meta: { name: 'show', description: 'Print a profile and the bucket chain it resolves to' },
        args: {
          name: { type: 'positional', required: true, description: 'Profile name' },
          json: { type: 'boolean', description: 'Print JSON' },
        },
        async run({ args }) {
          const profile = await guarded(() => loadProfile(locationsOf(io), args.name));
          const chain = await guarded(() => resolveChain(locationsOf(io), args.name));
          if (args.json) {
            printJson(io, {
              name: args.name,
              profile,
              chain: { policy: chain.policy, sticky: chain.sticky, buckets: chain.targets.map((target) => target.key) },
            });
            return;
          }
          const order = chain.targets.map((target) => target.key).join(' -> ');
          const policy = `${chain.policy}${chain.sticky ? ', sticky' : ''}`;
          io.stdout(`# ${args.name}\n${stringify(profile)}# chain (${policy}): ${order}\n`);
        },
      }),
      delete: defineCommand({
        meta: { name: 'delete', description: 'Delete one of your profiles' },
        args: { name: { type: 'positional', required: true, description: 'Profile name' } },
        async run({ args }) {
          const deleted = await guarded(() => deleteProfile(locationsOf(io), args.name));
          io.stdout(`Deleted profile ${args.name}\n`);
          if (await forgetActiveProfile(io.paths, args.name)) {
            const configured = (await loadSettings(io.paths).catch(() => undefined))?.defaultProfile;
            const fallback = configured === args.name ? undefined : configured;
            const next =
              fallback === undefined
                ? 'none until you run `switchyard profile load NAME`'
                : `the default profile ${fallback}`;
            io.stdout(`It was the active profile: \`switchyard serve\` will now use ${next}.\n`);
          }
          if (deleted.referencedBy.length > 0) {
            const one = deleted.referencedBy.length === 1;
            io.stderr(
              `switchyard: warning: ${deleted.referencedBy.join(', ')} still list${one ? 's' : ''} ` +
                `"${args.name}" and will fail to load until it is saved again or removed ` +
                `from ${one ? 'it' : 'them'}.\n`,
            );
          }
        },
      }),
      'set-default': defineCommand({
        meta: { name: 'set-default', description: 'The profile `serve` uses when none is loaded or given' },
        args: { name: { type: 'positional', required: true, description: 'Profile name' } },
        async run({ args }) {
          await guarded(() => resolveChain(locationsOf(io), args.name));
          await guarded(() => setDefaultProfile(io.paths, args.name));
          io.stdout(`Default profile: ${args.name}\n`);
        },
      }),
    },
  });
