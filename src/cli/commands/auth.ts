import { defineCommand } from 'citty';
import { KeyVariableError, saveApiKeyBucket } from '../../auth/api-key-bucket.js';
import { type BucketAuthStatus, describeBuckets } from '../../auth/bucket-auth-status.js';
import { describeLegacyMigration, migrateLegacyTokenFiles, readTokenKey } from '../../auth/index.js';
import { loadSettings, setProviderOAuthEnabled } from '../../config/load-settings.js';
import { assertBucketName } from '../../core/names.js';
import { providerNames, requireProviderName } from '../../core/provider-names.js';
import type { ProviderName } from '../../core/types.js';
import { createProviderRegistry, providerDefinitions } from '../../providers/registry.js';
import { cliTokenStore, clusterSettingsOf } from '../cluster-access.js';
import { UsageError } from '../command-tree.js';
import { CliError, type CliIo, printJson } from '../io.js';
import { nearestWord } from '../nearest-word.js';
import { describeIn } from '../relative-time.js';
import { importBucket } from './auth-import.js';

const actions = ['status', 'login', 'setup-token', 'logout', 'import', 'key', 'enable', 'disable'] as const;
type Action = (typeof actions)[number];

type FlagName = 'from' | 'env' | 'all' | 'json' | 'device' | 'browser' | 'loopback' | 'timeout' | 'port';
const allFlags: FlagName[] = ['from', 'env', 'all', 'json', 'device', 'browser', 'loopback', 'timeout', 'port'];
const loginFlags: FlagName[] = ['device', 'browser', 'loopback', 'timeout', 'port'];

/**
 * What each action takes beyond `auth <provider> <action>`: one command line holds them all, so a
 * flag or bucket another action would use is refused here rather than silently ignored.
 */
const accepted: Record<Action | 'overview', { bucket: boolean; flags: FlagName[] }> = {
  overview: { bucket: false, flags: ['json'] },
  status: { bucket: false, flags: ['json'] },
  login: { bucket: true, flags: loginFlags },
  'setup-token': { bucket: true, flags: loginFlags.filter((flag) => flag !== 'device') },
  logout: { bucket: true, flags: ['all'] },
  import: { bucket: true, flags: ['from'] },
  key: { bucket: true, flags: ['env'] },
  enable: { bucket: false, flags: [] },
  disable: { bucket: false, flags: [] },
};

function refuseWhatTheActionIgnores(
  action: Action | 'overview',
  args: Partial<Record<FlagName, unknown>> & { bucket?: string | undefined; provider?: string | undefined },
): void {
  const written = action === 'overview' ? 'switchyard auth' : `switchyard auth ${args.provider} ${action}`;
  const { bucket, flags } = accepted[action];
  if (!bucket && args.bucket !== undefined)
    throw new UsageError(`Unexpected argument "${args.bucket}": \`${written}\` takes no bucket.`, ['auth']);
  for (const flag of allFlags) {
    const given = flag === 'browser' ? args.browser === false : args[flag] !== undefined && args[flag] !== false;
    if (given && !flags.includes(flag)) {
      const shown = flag === 'browser' ? '--no-browser' : `--${flag}`;
      const takes = flags.length === 0 ? 'no options' : flags.map((name) => `--${name}`).join(', ');
      throw new UsageError(`${shown} is not an option of \`${written}\` (it takes ${takes}).`, ['auth']);
    }
  }
}

/** What `auth` knows about a provider beyond its stored buckets. */
export interface ProviderAuthContext {
  /** False after `auth <provider> disable`: the router skips its OAuth buckets. */
  oauthEnabled: boolean;
  /** The bucket CLAUDE_ACCESS_TOKEN names when it is set and `serve` has not stored it yet. */
  pendingEnvironmentBucket?: string | undefined;
}

/** `[ok] work1@company.com (expires in 59 min)` lines, as the seeds show them; API-key buckets apart. */
export function formatAuthStatus(
  provider: ProviderName,
  buckets: BucketAuthStatus[],
  now: number,
  context: ProviderAuthContext = { oauthEnabled: true },
): string {
  // A provider without an OAuth login (openai) takes API keys only.
  const hasLogin = providerDefinitions[provider].login !== undefined;
  const oauth = buckets.filter((bucket) => bucket.kind === 'oauth');
  const apiKeys = buckets.filter((bucket) => bucket.kind === 'api-key');
  const keyCommand = `\`switchyard auth ${provider} key BUCKET --env VAR\``;
  const lines: string[] = [];
  if (hasLogin || oauth.length > 0 || context.pendingEnvironmentBucket !== undefined) {
    const disabled = context.oauthEnabled
      ? ''
      : ` (disabled: the router skips them until \`switchyard auth ${provider} enable\`)`;
    lines.push(`OAuth Buckets for ${provider}${disabled}:`);
    if (context.pendingEnvironmentBucket !== undefined) {
      lines.push(
        `  [env] ${context.pendingEnvironmentBucket} (seeded from the environment: CLAUDE_ACCESS_TOKEN is set, ` +
          '`switchyard serve` stores it in this bucket when it starts)',
      );
    }
    if (oauth.length === 0 && context.pendingEnvironmentBucket === undefined) {
      const ways = hasLogin
        ? `\`switchyard auth ${provider} login BUCKET\` or \`switchyard auth ${provider} import BUCKET\``
        : 'none for this provider';
      lines.push(`  (none: ${ways})`);
    }
    for (const bucket of oauth) lines.push(bucketLine(provider, bucket, now, hasLogin));
  }
  if (apiKeys.length > 0 || !hasLogin) {
    lines.push(`API-key Buckets for ${provider}:`);
    if (apiKeys.length === 0) lines.push(`  (none: ${keyCommand})`);
    for (const bucket of apiKeys) lines.push(bucketLine(provider, bucket, now, hasLogin));
  }
  return `${lines.join('\n')}\n`;
}

function bucketLine(provider: ProviderName, bucket: BucketAuthStatus, now: number, hasLogin: boolean): string {
  const details: string[] = [];
  if (bucket.kind === 'api-key') details.push(`API key from $${bucket.env ?? '?'}`);
  if (bucket.seededFromEnvironment) details.push('seeded from the environment (CLAUDE_ACCESS_TOKEN)');
  if (bucket.expiresAt !== undefined) {
    const at = bucket.expiresAt * 1000;
    details.push(at > now ? `expires ${describeIn(at, now)}` : 'expired');
  }
  if (bucket.kind === 'oauth' && bucket.status !== 'unreadable')
    details.push(bucket.hasRefreshToken ? 'refresh token present' : 'no refresh token');
  if (bucket.status === 'needs-login' && bucket.reason) details.push(`reason: ${bucket.reason}`);
  if (bucket.status === 'needs-login') {
    // Only a command that works: a provider without a login takes an API key instead.
    const command = hasLogin
      ? `auth ${provider} login ${bucket.bucket}`
      : `auth ${provider} key ${bucket.bucket} --env VAR`;
    details.push(`run: switchyard ${command}`);
  }
  if (bucket.error) details.push(bucket.error);
  return `  [${bucket.status}] ${bucket.bucket}${details.length > 0 ? ` (${details.join(', ')})` : ''}`;
}

/** The context of every provider: whether its OAuth is on, and a seed `serve` has yet to store. */
async function authContexts(
  io: CliIo,
  everything: Partial<Record<ProviderName, BucketAuthStatus[]>>,
): Promise<Record<ProviderName, ProviderAuthContext>> {
  const settings = await loadSettings(io.paths).catch(() => undefined);
  const registry = settings === undefined ? undefined : createProviderRegistry(settings);
  const seedBucket = io.environment.CLAUDE_ACCESS_TOKEN?.trim()
    ? io.environment.CLAUDE_BUCKET?.trim() || 'default'
    : undefined;
  const contexts = {} as Record<ProviderName, ProviderAuthContext>;
  for (const provider of providerNames) {
    const stored = everything[provider]?.some((bucket) => bucket.bucket === seedBucket) ?? false;
    contexts[provider] = {
      oauthEnabled: registry?.[provider].settings.oauthEnabled !== false,
      pendingEnvironmentBucket: provider === 'anthropic' && !stored ? seedBucket : undefined,
    };
  }
  return contexts;
}

/** The actions in full, printed under `auth --help` (the one-line description stays short for the command list). */
export const authHelpDetails = `ACTIONS
  switchyard auth PROVIDER status [--json]
      every bucket: ok / expired / needs login (switchyard auth alone: every provider)
  switchyard auth PROVIDER login BUCKET [--no-browser] [--timeout S] [--port N] [--device] [--loopback]
      OAuth login in the browser (anthropic: paste the code#state the page shows, or --loopback;
      codex: --device for the device code; qwen: device code). --no-browser prints the URL only;
      --timeout S gives up after S seconds (default 300). Exit codes: 3 denied, 4 timed out or
      code expired, 1 other failures.
  switchyard auth anthropic setup-token BUCKET
      the long-lived (one year) inference-only token: stored, and PRINTED ONCE for use on other
      machines (the only command that prints a token)
  switchyard auth PROVIDER import BUCKET [--from FILE]
      import a login: Claude Code, Codex, Gemini CLI, Qwen Code, llxprt-code, camelCase or
      switchyard's own file (default: the tool's usual place)
  switchyard auth PROVIDER key BUCKET --env VAR
      an API-key bucket; the key stays in VAR, never on disk
  switchyard auth PROVIDER logout BUCKET | --all
      remove stored tokens
  switchyard auth PROVIDER enable | disable
      turn the provider's OAuth buckets on or off
Providers: ${providerNames.join(', ')} (claude = anthropic, chatgpt = codex). The bucket defaults to "default".`;

export const authCommand = (io: CliIo) =>
  defineCommand({
    meta: {
      name: 'auth',
      description: 'Accounts ("buckets") and their tokens. Without arguments: status of every provider and bucket.',
    },
    args: {
      provider: { type: 'positional', required: false, description: 'anthropic, openai, codex, gemini or qwen' },
      action: { type: 'positional', required: false, description: actions.join(' | ') },
      bucket: { type: 'positional', required: false, description: 'Bucket name (default: default)' },
      from: {
        type: 'string',
        valueHint: 'FILE',
        description: "import: the token file to read (default: the provider's own tool's login)",
      },
      env: { type: 'string', valueHint: 'VAR', description: 'key: the environment variable holding the API key' },
      all: { type: 'boolean', description: 'logout: every bucket of the provider' },
      json: { type: 'boolean', description: 'status: print JSON' },
      device: { type: 'boolean', description: 'login (codex): the device code flow, for machines without a browser' },
      browser: {
        type: 'boolean',
        default: true,
        description: 'login: only print the URL, open no browser',
      },
      loopback: {
        type: 'boolean',
        description: 'login (anthropic): a loopback callback instead of pasting code#state',
      },
      timeout: { type: 'string', valueHint: 'S', description: 'login: give up after this many seconds (default 300)' },
      port: {
        type: 'string',
        valueHint: 'N',
        description: 'login: port of the loopback callback (codex: 1455, then the next free one; 0: any)',
      },
    },
    async run({ args }) {
      const store = await cliTokenStore(io);
      // Older layouts of our own token files move into today's, once (token files only, not a cluster's Redis).
      if ((await clusterSettingsOf(io)) === undefined) {
        for (const outcome of await migrateLegacyTokenFiles(io.paths, store, readTokenKey(io.environment)))
          io.stderr(`switchyard: ${describeLegacyMigration(outcome, io.paths)}\n`);
      }
      const now = Date.now();
      const named = args.provider;
      if (!named) {
        refuseWhatTheActionIgnores('overview', args);
        const everything: Record<string, BucketAuthStatus[]> = {};
        for (const provider of providerNames)
          everything[provider] = await describeBuckets(store, provider, io.environment, now);
        if (args.json) {
          printJson(io, everything);
          return;
        }
        const contexts = await authContexts(io, everything);
        for (const provider of providerNames)
          io.stdout(formatAuthStatus(provider, everything[provider]!, now, contexts[provider]));
        return;
      }
      const provider = toCliError(() => requireProviderName(named));
      const action = (args.action ?? 'status') as Action;
      if (!actions.includes(action)) {
        const guess = nearestWord(action, actions);
        const hint = guess === undefined ? `use one of ${actions.join(', ')}` : `did you mean ${guess}?`;
        throw new UsageError(`Unknown auth action "${action}": ${hint}`, ['auth']);
      }
      refuseWhatTheActionIgnores(action, args);
      const bucket = toCliError(() => assertBucketName(args.bucket ?? 'default'));

      switch (action) {
        case 'status': {
          const buckets = await describeBuckets(store, provider, io.environment, now);
          const context = (await authContexts(io, { [provider]: buckets }))[provider];
          if (args.json) {
            const pending = context.pendingEnvironmentBucket;
            printJson(io, {
              provider,
              oauthEnabled: context.oauthEnabled,
              buckets,
              ...(pending === undefined ? {} : { environmentSeed: { bucket: pending, stored: false } }),
            });
          } else io.stdout(formatAuthStatus(provider, buckets, now, context));
          return;
        }
        case 'import':
          await importBucket(io, store, provider, bucket, args.from);
          return;
        case 'key': {
          const variable = args.env ?? '';
          await saveApiKeyBucket(store, provider, bucket, variable).catch((error: unknown) => {
            throw error instanceof KeyVariableError ? new CliError(error.message) : error;
          });
          const present = Boolean(io.environment[variable]);
          const unset = present ? '' : ` ($${variable} is not set in this shell: set it where the server runs.)`;
          io.stdout(
            `Bucket ${provider}/${bucket} reads its API key from $${variable} at run ` +
              `time; the key is never written to disk.${unset}\n`,
          );
          return;
        }
        case 'logout': {
          const buckets = args.all ? await store.list(provider) : [bucket];
          let removed = 0;
          for (const name of buckets) if (await store.delete(provider, name)) removed += 1;
          if (!args.all && removed === 0) throw new CliError(`No stored tokens for ${provider}/${bucket}.`);
          // Name the bucket: with the bucket omitted it is `default`, which the user may not expect.
          if (args.all) io.stdout(`Removed ${removed} bucket${removed === 1 ? '' : 's'} of ${provider}.\n`);
          else io.stdout(`Logged out ${provider}/${bucket}: its stored tokens are removed.\n`);
          return;
        }
        case 'enable':
        case 'disable': {
          await setProviderOAuthEnabled(io.paths, provider, action === 'enable');
          io.stdout(`OAuth buckets of ${provider} are ${action}d (config.yaml). Restart a running server to apply.\n`);
          return;
        }
        case 'login':
        case 'setup-token': {
          if (action === 'setup-token' && providerDefinitions[provider].login?.setupToken === undefined) {
            throw new CliError(`setup-token is Anthropic's: switchyard auth anthropic setup-token ${bucket}`);
          }
          // Loaded on demand: only logins need the OAuth client, the spinner and the browser opener.
          const { runLoginCommand } = await import('../login/run-login.js');
          await runLoginCommand(io, {
            provider,
            bucket,
            device: Boolean(args.device),
            loopback: Boolean(args.loopback),
            openBrowser: args.browser !== false,
            timeoutSeconds: parseWholeNumber(args.timeout, '--timeout', 300, 1),
            port: args.port === undefined ? undefined : parseWholeNumber(args.port, '--port', 0, 0, 65_535),
            setupToken: action === 'setup-token',
          });
          return;
        }
      }
    },
  });

/** `--timeout 60`, `--port 0`: whole numbers in range, else a message naming the option. */
function parseWholeNumber(
  text: string | undefined,
  option: string,
  fallback: number,
  minimum: number,
  maximum = Number.MAX_SAFE_INTEGER,
): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < minimum || value > maximum) {
    throw new CliError(
      `Expected ${option} to be a whole number from ` +
        `${minimum}${maximum === Number.MAX_SAFE_INTEGER ? '' : ` to ${maximum}`}, ` +
        `got "${text.slice(0, 20)}".`,
    );
  }
  return value;
}

function toCliError<T>(action: () => T): T {
  try {
    return action();
  } catch (error) {
    throw new CliError(error instanceof Error ? error.message : String(error));
  }
}
