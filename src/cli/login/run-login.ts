import { createFileTokenStore, readTokenKey } from '../../auth/index.js';
import { type LoginContext, LoginDeniedError, LoginTimeoutError, loginToProvider } from '../../auth/login/index.js';
import { loginSummary } from '../../auth/login/login-summary.js';
import { loadSettings } from '../../config/load-settings.js';
import type { ProviderName } from '../../core/types.js';
import { createProviderRegistry } from '../../providers/registry.js';
import { CliError, type CliIo } from '../io.js';
import { terminalLoginIo } from './terminal-login-io.js';

/** Exit codes a script can tell apart (help says them too). */
export const loginExitCodes = { failed: 1, denied: 3, timedOut: 4 } as const;

export interface LoginCommandInput {
  provider: ProviderName;
  bucket: string;
  device: boolean;
  loopback: boolean;
  openBrowser: boolean;
  timeoutSeconds: number;
  port: number | undefined;
  /** `auth anthropic setup-token`: the inference-only long-lived token, printed once. */
  setupToken: boolean;
}

/** `auth <provider> login <bucket>` and `auth anthropic setup-token <bucket>`: runs the flow, stores the tokens. */
export async function runLoginCommand(io: CliIo, input: LoginCommandInput): Promise<void> {
  const { provider, bucket } = input;
  const { definition, settings } = createProviderRegistry(await loadSettings(io.paths))[provider];
  const oauth = settings.oauth;
  const notice = definition.login?.notice;
  if (notice !== undefined) io.stdout(`${notice}\n\n`);
  const context: LoginContext = {
    io: terminalLoginIo(io, { openBrowser: input.openBrowser }),
    signal: AbortSignal.timeout(input.timeoutSeconds * 1000),
    timeoutSeconds: input.timeoutSeconds,
  };
  let tokens: Awaited<ReturnType<typeof loginToProvider>>;
  try {
    tokens = await loginToProvider(
      {
        provider,
        oauth,
        device: input.device,
        loopback: input.loopback,
        ...(input.port !== undefined ? { port: input.port } : {}),
        ...(input.setupToken ? definition.login?.setupToken : {}),
      },
      context,
    );
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof LoginDeniedError) throw new CliError(message, loginExitCodes.denied);
    if (error instanceof LoginTimeoutError) throw new CliError(message, loginExitCodes.timedOut);
    throw new CliError(message, loginExitCodes.failed);
  }
  await createFileTokenStore(io.paths, { encryption: readTokenKey(io.environment) }).write(provider, bucket, tokens);
  io.stdout(`${loginSummary(provider, bucket, tokens, Date.now())} A running server picks it up at once.\n`);
  if (input.setupToken) {
    // The one place a token is printed, on purpose: it is meant to be copied to another machine.
    const expiry = tokens.expires_at !== undefined ? ` CLAUDE_EXPIRES_AT=${tokens.expires_at}` : '';
    io.stdout(
      `\nYour long-lived inference-only token (shown once; store it like a ` +
        `password):\n\n  ${tokens.access_token}\n\nOn another machine, start ` +
        `switchyard with CLAUDE_ACCESS_TOKEN=<token>${expiry} to seed a bucket with it.\n`,
    );
  }
}
