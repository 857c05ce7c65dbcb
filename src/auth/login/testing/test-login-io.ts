import type { ProviderName } from '../../../core/types.js';
import { providerDefinitions } from '../../../providers/registry.js';
import type { OAuthSettings } from '../../../providers/types.js';
import type { LoginContext, LoginIo } from '../login-io.js';

/** A token request as it left the client: where, and how it was encoded. */
export interface RecordedRequest {
  url: string;
  contentType: string;
  body: string;
}

export interface TestLoginIo extends LoginIo {
  said: string[];
  sleeps: number[];
  requests: RecordedRequest[];
}

export interface TestLoginIoOptions {
  /** The "browser": called with each URL the flow opens. */
  browser?: (url: string) => Promise<void>;
  /** What the user types, one call at a time. */
  readLine?: () => Promise<string>;
  /** Runs on each sleep instead of waiting (e.g. moves a simulator clock); `count` starts at 1. */
  onSleep?: (milliseconds: number, count: number) => void | Promise<void>;
}

/** Login I/O that records what the user would see and what went out, and never waits. */
export function testLoginIo(options: TestLoginIoOptions = {}): TestLoginIo {
  const said: string[] = [];
  const sleeps: number[] = [];
  const requests: RecordedRequest[] = [];
  return {
    said,
    sleeps,
    requests,
    say: (text) => said.push(text),
    wait: () => () => undefined,
    openBrowser: async (url) => {
      await options.browser?.(url);
    },
    readLine: () => (options.readLine ? options.readLine() : Promise.reject(new Error('Nothing to read in this test'))),
    sleep: async (milliseconds, signal) => {
      sleeps.push(milliseconds);
      await options.onSleep?.(milliseconds, sleeps.length);
      if (signal.aborted) throw signal.reason;
    },
    now: () => Date.now(),
    fetch: async (input, init) => {
      const headers = new Headers(init?.headers);
      requests.push({
        url: String(input),
        contentType: headers.get('content-type') ?? '',
        body: typeof init?.body === 'string' ? init.body : String(init?.body ?? ''),
      });
      return fetch(input, init);
    },
  };
}

/** The user code a device flow showed (`ABCD-EFGH`). */
export function userCodeIn(said: string[]): string {
  const code = /\b([A-Z]{4}-[A-Z]{4})\b/.exec(said.join('\n'))?.[1];
  if (code === undefined) throw new Error('The flow showed no user code');
  return code;
}

/** A login context with a signal the test can abort (the --timeout). */
export function testContext(io: LoginIo, controller = new AbortController()): LoginContext {
  return { io, signal: controller.signal, timeoutSeconds: 300 };
}

/** A provider's real OAuth settings with every endpoint's origin moved to `origin` (simulator or mock server). */
export function oauthAt(provider: ProviderName, origin: string, overrides: Partial<OAuthSettings> = {}): OAuthSettings {
  const defaults = providerDefinitions[provider].defaults.oauth;
  if (!defaults) throw new Error(`${provider} has no OAuth settings`);
  const move = (url: string): string => {
    const parsed = new URL(url);
    return `${origin}${parsed.pathname}`;
  };
  return {
    ...defaults,
    authorizeUrl: move(defaults.authorizeUrl),
    tokenUrl: move(defaults.tokenUrl),
    ...(defaults.deviceUrl ? { deviceUrl: move(defaults.deviceUrl) } : {}),
    ...overrides,
  };
}
