import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { type LoginIo, loginToProvider } from '../auth/login/index.js';
import { loginSummary } from '../auth/login/login-summary.js';
import type { OAuthTokenSet } from '../auth/token-file.js';
import type { ProviderName } from '../core/types.js';
import { providerDefinitions } from '../providers/registry.js';
import type { OAuthSettings } from '../providers/types.js';

/** How a login started from the dashboard goes on: the same flows as `switchyard auth PROVIDER login`. */
export interface WebLoginRequest {
  provider: ProviderName;
  bucket: string;
  /** The device code flow (codex beside its browser login). */
  device: boolean;
  /** A loopback callback instead of pasting the code (anthropic). */
  loopback: boolean;
  /** The loopback callback's port (default: the provider's own). */
  port: number | undefined;
}

/** What the page shows of a login: never a token. */
export interface WebLoginView {
  id: string;
  provider: ProviderName;
  bucket: string;
  /** `waiting`: for the user (the browser, a code); `done`: stored; `failed`: nothing stored. */
  state: 'waiting' | 'done' | 'failed';
  /** The URL to open: the authorize page or the device verification page. */
  url: string | null;
  /** What the flow says, as the terminal would print it (the URL, the device code, the provider's notice). */
  lines: string[];
  /** The flow waits for the `code#state` the provider's page shows. */
  awaitsCode: boolean;
  /** What the flow waits for, in the words of the CLI's spinner (the callback's URL, the device code). */
  waiting: string | null;
  /** "Logged in: ..." or why the login failed. */
  message: string | null;
}

interface WebLogin extends WebLoginView {
  controller: AbortController;
  pasted: ((code: string) => void) | undefined;
  finished: Promise<void>;
}

export interface WebLoginOptions {
  /** The provider's OAuth settings after config.yaml overrides (read at each login: settings are live). */
  oauth(provider: ProviderName): OAuthSettings | undefined;
  /** Stores the tokens as `switchyard auth PROVIDER login BUCKET` does. */
  save(provider: ProviderName, bucket: string, tokens: OAuthTokenSet): Promise<void>;
  timeoutSeconds?: number;
}

const keptLogins = 20;

/**
 * Logins run by the server for the dashboard: the CLI's flows with a login I/O that the page
 * drives: the URL and the lines go to the page, a pasted code comes back from it.
 */
export class WebLogins {
  private readonly logins = new Map<string, WebLogin>();
  private readonly timeoutSeconds: number;

  constructor(private readonly options: WebLoginOptions) {
    this.timeoutSeconds = options.timeoutSeconds ?? 300;
  }

  /** Starts a login; answers once the flow has a URL to open (or has failed before it had one). */
  async start(request: WebLoginRequest): Promise<WebLoginView> {
    const { provider, bucket } = request;
    const controller = new AbortController();
    const timeout = AbortSignal.timeout(this.timeoutSeconds * 1000);
    const signal = AbortSignal.any([controller.signal, timeout]);
    let opened: () => void = () => undefined;
    const urlKnown = new Promise<void>((resolve) => {
      opened = resolve;
    });
    const notice = providerDefinitions[provider].login?.notice;
    const login: WebLogin = {
      id: randomBytes(12).toString('base64url'),
      provider,
      bucket,
      state: 'waiting',
      url: null,
      lines: notice === undefined ? [] : [notice],
      awaitsCode: false,
      waiting: null,
      message: null,
      controller,
      pasted: undefined,
      finished: Promise.resolve(),
    };
    const io: LoginIo = {
      say: (text) => login.lines.push(text.trim()),
      wait: (text) => {
        login.waiting = text;
        return () => {
          if (login.waiting === text) login.waiting = null;
        };
      },
      openBrowser: async (url) => {
        login.url = url;
        // Answered after the flow's next step: a paste flow has asked for the code by then.
        setImmediate(opened);
      },
      readLine: (lineSignal) =>
        new Promise<string>((resolve, reject) => {
          login.awaitsCode = true;
          login.pasted = resolve;
          lineSignal.addEventListener('abort', () => reject(lineSignal.reason), { once: true });
        }),
      sleep: (milliseconds, sleepSignal) => sleep(milliseconds, undefined, { signal: sleepSignal }),
      now: () => Date.now(),
      fetch: globalThis.fetch,
    };
    const flow = loginToProvider(
      {
        provider,
        oauth: this.options.oauth(provider),
        device: request.device,
        loopback: request.loopback,
        ...(request.port !== undefined ? { port: request.port } : {}),
      },
      { io, signal, timeoutSeconds: this.timeoutSeconds },
    );
    login.finished = flow
      .then(async (tokens) => {
        await this.options.save(provider, bucket, tokens);
        login.state = 'done';
        login.message = `${loginSummary(provider, bucket, tokens, Date.now())} The pool uses it at once.`;
      })
      .catch((error: unknown) => {
        login.state = 'failed';
        login.message = controller.signal.aborted
          ? `Login to ${provider} cancelled; nothing was stored.`
          : error instanceof Error
            ? error.message
            : String(error);
      })
      .finally(() => {
        login.awaitsCode = false;
        login.pasted = undefined;
        opened();
      });
    this.remember(login);
    await urlKnown;
    return view(login);
  }

  /** The login's state, for the page's polls; undefined when unknown (or forgotten). */
  find(id: string): WebLoginView | undefined {
    const login = this.logins.get(id);
    return login === undefined ? undefined : view(login);
  }

  /** Gives a paste flow its `code#state`, and answers once the login has finished. */
  async paste(id: string, code: string): Promise<WebLoginView | undefined> {
    const login = this.logins.get(id);
    if (login === undefined) return undefined;
    if (login.pasted === undefined) return view(login);
    login.pasted(code);
    await login.finished;
    return view(login);
  }

  cancel(id: string): WebLoginView | undefined {
    const login = this.logins.get(id);
    if (login === undefined) return undefined;
    login.controller.abort();
    return view(login);
  }

  /** Ends every login still waiting (the server stops): loopback listeners close, nothing is stored. */
  async close(): Promise<void> {
    for (const login of this.logins.values()) login.controller.abort();
    await Promise.all([...this.logins.values()].map((login) => login.finished));
  }

  private remember(login: WebLogin): void {
    this.logins.set(login.id, login);
    // The oldest finished ones go first: a page polls only its own, recent login.
    for (const [id, old] of this.logins) {
      if (this.logins.size <= keptLogins) break;
      if (old.state !== 'waiting') this.logins.delete(id);
    }
  }
}

function view(login: WebLogin): WebLoginView {
  const { id, provider, bucket, state, url, lines, awaitsCode, waiting, message } = login;
  return { id, provider, bucket, state, url, lines: [...lines], awaitsCode, waiting, message };
}
