import { defineCommand } from 'citty';
import { KeyVariableError, saveApiKeyBucket } from '../../auth/api-key-bucket.js';
import { type BucketAuthStatus, describeBuckets } from '../../auth/bucket-auth-status.js';
import { describeLegacyMigration, migrateLegacyTokenFiles, readTokenKey } from '../../auth/index.js';
import { setProviderOAuthEnabled } from '../../config/load-settings.js';
import { assertBucketName } from '../../core/names.js';
import { providerNames, requireProviderName } from '../../core/provider-names.js';
import type { ProviderName } from '../../core/types.js';
import { providerDefinitions } from '../../providers/registry.js';
import { cliTokenStore, clusterSettingsOf } from '../cluster-access.js';
import { CliError, type CliIo, printJson } from '../io.js';
import { describeIn } from '../relative-time.js';
import { importBucket } from './auth-import.js';

const actions = ['status', 'login', 'setup-token', 'logout', 'import', 'key', 'enable', 'disable'] as const;
type Action = (typeof actions)[number];

/** `[ok] work1@company.com (expires in 59 min)` lines, as the seeds show them. */
export function formatAuthStatus(provider: ProviderName, buckets: BucketAuthStatus[], now: number): string {
  const lines = [`OAuth Buckets for ${provider}:`];
  // A provider without an OAuth login (openai) takes API keys only.
  const hasLogin = providerDefinitions[provider].login !== undefined;
  if (buckets.length === 0) {
    const login = hasLogin ? `\`switchyard auth ${provider} login <bucket>\`, ` : '';
    lines.push(
      `  (none: ${login}\`switchyard auth ${provider} import <bucket> --from ` +
        `FILE\` or \`auth ${provider} key <bucket> --env VAR\`)`,
    );
  }
  for (const bucket of buckets) {
    const details: string[] = [];
    if (bucket.kind === 'api-key') details.push(`API key from $${bucket.env ?? '?'}`);
    if (bucket.expiresAt !== undefined) {
      const at = bucket.expiresAt * 1000;
      details.push(at > now ? `expires ${describeIn(at, now)}` : 'expired');
    }
    if (bucket.kind === 'oauth' && bucket.status !== 'unreadable')
      details.push(bucket.hasRefreshToken ? 'refresh token present' : 'no refresh token');
    if (bucket.status === 'needs-login' && bucket.reason) details.push(`reason: ${bucket.reason}`);
    if (bucket.status === 'needs-login') {
      const command = hasLogin ? `login ${bucket.bucket}` : `import ${bucket.bucket} --from FILE`;
      details.push(`run: switchyard auth ${provider} ${command}`);
    }
    if (bucket.error) details.push(bucket.error);
    lines.push(`  [${bucket.status}] ${bucket.bucket}${details.length > 0 ? ` (${details.join(', ')})` : ''}`);
  }
  return `${lines.join('\n')}\n`;
}

/** The actions in full, printed under `auth --help` (the one-line description stays short for the command list). */
export const authHelpDetails = `  auth <provider> status                     every bucket: ok / expired / needs login
  auth <provider> login <bucket>             OAuth login in the browser (anthropic: paste the code#state
                                             the page shows, or --loopback; codex: --device for the
                                             device code; qwen: device code). --no-browser prints the
                                             URL only; --timeout SECONDS (default 300). Exit codes:
                                             3 denied, 4 timed out or code expired, 1 other failures.
  auth anthropic setup-token <bucket>        the long-lived (one year) inference-only token: stored, and
                                             PRINTED ONCE for use on other machines (the only command
                                             that prints a token)
  auth <provider> import <bucket> [--from F] import a login: Claude Code, Codex, Gemini CLI, Qwen Code, llxprt-code,
                                             camelCase or switchyard's own file (default: the tool's usual place)
  auth <provider> key <bucket> --env VAR     an API-key bucket; the key stays in VAR, never on disk
  auth <provider> logout <bucket> | --all    remove stored tokens
  auth <provider> enable | disable           turn the provider's OAuth buckets on or off
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
        description: "import: the token file to read (default: the provider's own tool's login)",
      },
      env: { type: 'string', description: 'key: the environment variable holding the API key' },
      all: { type: 'boolean', description: 'logout: every bucket of the provider' },
      json: { type: 'boolean', description: 'status: print JSON' },
      device: { type: 'boolean', description: 'login (codex): the device code flow, for machines without a browser' },
      browser: {
        type: 'boolean',
        default: true,
        description: 'login: open a browser (--no-browser: only print the URL)',
      },
      loopback: {
        type: 'boolean',
        description: 'login (anthropic): a loopback callback instead of pasting code#state',
      },
      timeout: { type: 'string', description: 'login: give up after this many seconds (default 300)' },
      port: {
        type: 'string',
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
        const everything: Record<string, BucketAuthStatus[]> = {};
        for (const provider of providerNames)
          everything[provider] = await describeBuckets(store, provider, io.environment, now);
        if (args.json) printJson(io, everything);
        else for (const provider of providerNames) io.stdout(formatAuthStatus(provider, everything[provider]!, now));
        return;
      }
      const provider = toCliError(() => requireProviderName(named));
      const action = (args.action ?? 'status') as Action;
      if (!actions.includes(action))
        throw new CliError(`Unknown auth action "${action}": use one of ${actions.join(', ')}.`);
      const bucket = toCliError(() => assertBucketName(args.bucket ?? 'default'));

      switch (action) {
        case 'status': {
          const buckets = await describeBuckets(store, provider, io.environment, now);
          if (args.json) printJson(io, { provider, buckets });
          else io.stdout(formatAuthStatus(provider, buckets, now));
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
