import { randomInt } from 'node:crypto';
import type { Account, AccountRegistry } from '../accounts.js';
import { newSecret } from '../ids.js';
import type { LoginOptions, SimulatorClock } from '../types.js';
import { isS256Challenge, verifierMatches } from './pkce.js';

export type Decision = 'approve' | 'deny';

/** An authorize request waiting on the consent page. */
export interface AuthorizationRequest {
  id: string;
  clientId: string;
  redirectUri: string;
  scope: string;
  state: string;
  codeChallenge: string;
}

/** What an issued authorization code is bound to (RFC 6749 section 4.1.3). */
interface IssuedCode {
  account: Account;
  clientId: string;
  redirectUri: string;
  scope: string;
  codeChallenge: string;
  state: string | undefined;
  expiresAt: number;
}

export type DeviceStyle = 'rfc8628' | 'codex';

/** A device authorization (RFC 8628 section 3.2), Qwen's or Codex's shape. */
export interface DeviceAuthorization {
  style: DeviceStyle;
  deviceCode: string;
  userCode: string;
  clientId: string;
  scope: string;
  codeChallenge: string | undefined;
  expiresAt: number;
  intervalSeconds: number;
  lastPollAt: number | undefined;
  decision: { kind: 'approve'; account: Account } | { kind: 'deny' } | undefined;
  redeemed: boolean;
}

/** A scripted answer to one device poll, before the real state is looked at. */
export type DevicePollScript = 'authorization_pending' | 'slow_down';

export type DevicePoll =
  | {
      kind: 'error';
      error:
        | 'authorization_pending'
        | 'slow_down'
        | 'access_denied'
        | 'expired_token'
        | 'invalid_grant'
        | 'invalid_client';
      description: string;
    }
  | { kind: 'approved'; device: DeviceAuthorization; account: Account };

export type Redemption =
  | { kind: 'ok'; account: Account; scope: string; clientId: string }
  | { kind: 'error'; error: string; description: string };

/** How long codes live: RFC 6749 recommends at most 10 minutes. */
const codeLifetimeMs = 10 * 60 * 1000;

/** Authorize requests, authorization codes and device authorizations of the simulator. */
export class LoginBook {
  readonly #requests = new Map<string, AuthorizationRequest>();
  readonly #codes = new Map<string, IssuedCode>();
  readonly #devices = new Map<string, DeviceAuthorization>();
  readonly #byUserCode = new Map<string, DeviceAuthorization>();
  readonly #pollScript: DevicePollScript[] = [];
  readonly #registry: AccountRegistry;
  readonly #clock: SimulatorClock;
  readonly #options: LoginOptions;

  constructor(registry: AccountRegistry, clock: SimulatorClock, options: LoginOptions = {}) {
    this.#registry = registry;
    this.#clock = clock;
    this.#options = options;
  }

  /** Refuses client ids outside `clientIds` when the simulator was given that list. */
  knowsClient(clientId: string | undefined): clientId is string {
    if (clientId === undefined || clientId === '') return false;
    return this.#options.clientIds === undefined || this.#options.clientIds.includes(clientId);
  }

  /** Redirect URIs the simulator will send a code to: loopback callbacks and its own pages. */
  acceptsRedirect(redirectUri: string | undefined, baseUrl: string): redirectUri is string {
    if (redirectUri === undefined) return false;
    let url: URL;
    try {
      url = new URL(redirectUri);
    } catch {
      return false;
    }
    if (url.hash !== '') return false;
    if (redirectUri.startsWith(`${baseUrl}/`)) return true;
    return url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  }

  addRequest(request: Omit<AuthorizationRequest, 'id'>): AuthorizationRequest {
    const stored = { ...request, id: newSecret('sim-authreq-') };
    this.#requests.set(stored.id, stored);
    return stored;
  }

  /** Consumes a pending request: approve issues a code for `accountName` (created if new). */
  decide(
    requestId: string,
    decision: Decision,
    accountName: string,
  ): { request: AuthorizationRequest; code?: string } | undefined {
    const request = this.#requests.get(requestId);
    if (!request) return undefined;
    this.#requests.delete(requestId);
    if (decision === 'deny') return { request };
    const code = this.issueCode(
      this.#account(accountName),
      request.clientId,
      request.redirectUri,
      request.scope,
      request.codeChallenge,
      request.state,
    );
    return { request, code };
  }

  issueCode(
    account: Account,
    clientId: string,
    redirectUri: string,
    scope: string,
    codeChallenge: string,
    state: string | undefined,
  ): string {
    const code = newSecret('sim-code-');
    this.#codes.set(code, {
      account,
      clientId,
      redirectUri,
      scope,
      codeChallenge,
      state,
      expiresAt: this.#clock.now() + codeLifetimeMs,
    });
    return code;
  }

  /** The authorization_code grant's checks; a code works once, whatever the outcome. */
  redeemCode(fields: Record<string, string>): Redemption {
    const code = fields.code;
    const issued = code === undefined ? undefined : this.#codes.get(code);
    if (code === undefined || !issued)
      return {
        kind: 'error',
        error: 'invalid_grant',
        description: 'The authorization code is unknown or was already used.',
      };
    this.#codes.delete(code);
    if (this.#clock.now() >= issued.expiresAt)
      return { kind: 'error', error: 'invalid_grant', description: 'The authorization code has expired.' };
    if (fields.client_id !== issued.clientId)
      return {
        kind: 'error',
        error: 'invalid_grant',
        description: 'The authorization code was issued to another client_id.',
      };
    if (fields.redirect_uri !== issued.redirectUri)
      return { kind: 'error', error: 'invalid_grant', description: 'redirect_uri differs from the authorize request.' };
    if (!verifierMatches(fields.code_verifier, issued.codeChallenge)) {
      return {
        kind: 'error',
        error: 'invalid_grant',
        description: 'code_verifier does not match the code_challenge (PKCE S256).',
      };
    }
    if (fields.state !== undefined && fields.state !== issued.state)
      return { kind: 'error', error: 'invalid_grant', description: 'state differs from the authorize request.' };
    return { kind: 'ok', account: issued.account, scope: issued.scope, clientId: issued.clientId };
  }

  startDevice(
    style: DeviceStyle,
    clientId: string,
    scope: string,
    codeChallenge: string | undefined,
  ): DeviceAuthorization {
    const device: DeviceAuthorization = {
      style,
      deviceCode: newSecret(style === 'codex' ? 'sim-deviceauth-' : 'sim-device-'),
      userCode: userCode(),
      clientId,
      scope,
      codeChallenge,
      expiresAt: this.#clock.now() + (this.#options.deviceExpiresInSeconds ?? 900) * 1000,
      intervalSeconds: this.#options.deviceIntervalSeconds ?? 5,
      lastPollAt: undefined,
      decision: undefined,
      redeemed: false,
    };
    this.#devices.set(device.deviceCode, device);
    this.#byUserCode.set(device.userCode, device);
    return device;
  }

  deviceByUserCode(code: string | undefined): DeviceAuthorization | undefined {
    return code === undefined ? undefined : this.#byUserCode.get(code.trim().toUpperCase());
  }

  /** The verification page's answer; false when the code is unknown, expired or already decided. */
  decideDevice(code: string | undefined, decision: Decision, accountName: string): boolean {
    const device = this.deviceByUserCode(code);
    if (!device || device.decision !== undefined || this.#clock.now() >= device.expiresAt) return false;
    device.decision =
      decision === 'approve' ? { kind: 'approve', account: this.#account(accountName) } : { kind: 'deny' };
    return true;
  }

  /** Queues answers for the next device polls (`authorization_pending`, `slow_down`). */
  scriptDevicePolls(outcomes: DevicePollScript[]): void {
    this.#pollScript.push(...outcomes);
  }

  /**
   * One poll of a device authorization (RFC 8628 section 3.5): polling sooner than the
   * interval earns `slow_down` and 5 more seconds; a verifier must match its challenge.
   */
  pollDevice(
    deviceCode: string | undefined,
    clientId: string | undefined,
    codeVerifier: string | undefined,
  ): DevicePoll {
    const device = deviceCode === undefined ? undefined : this.#devices.get(deviceCode);
    if (!device || device.redeemed)
      return { kind: 'error', error: 'invalid_grant', description: 'The device code is unknown or was already used.' };
    if (clientId !== device.clientId)
      return {
        kind: 'error',
        error: 'invalid_client',
        description: 'client_id differs from the device authorization request.',
      };
    const now = this.#clock.now();
    if (now >= device.expiresAt)
      return { kind: 'error', error: 'expired_token', description: 'The device code has expired; start a new login.' };
    const scripted = this.#pollScript.shift();
    const tooSoon = device.lastPollAt !== undefined && now - device.lastPollAt < device.intervalSeconds * 1000;
    device.lastPollAt = now;
    if (scripted === 'slow_down' || (scripted === undefined && tooSoon)) {
      device.intervalSeconds += 5;
      return {
        kind: 'error',
        error: 'slow_down',
        description: `Polling too fast; wait ${device.intervalSeconds} s between polls.`,
      };
    }
    if (scripted === 'authorization_pending' || device.decision === undefined) {
      return {
        kind: 'error',
        error: 'authorization_pending',
        description: 'The user has not yet approved the request.',
      };
    }
    if (device.decision.kind === 'deny')
      return { kind: 'error', error: 'access_denied', description: 'The user denied the request.' };
    if (device.codeChallenge !== undefined && !verifierMatches(codeVerifier, device.codeChallenge)) {
      return {
        kind: 'error',
        error: 'invalid_grant',
        description: 'code_verifier does not match the code_challenge (PKCE S256).',
      };
    }
    device.redeemed = true;
    return { kind: 'approved', device, account: device.decision.account };
  }

  isS256(method: string | undefined, challenge: string | undefined): challenge is string {
    return method === 'S256' && isS256Challenge(challenge);
  }

  #account(name: string): Account {
    const known = this.#registry.get(name);
    if (known) return known;
    this.#registry.add(name);
    return this.#registry.require(name);
  }
}

/** `ABCD-EFGH` from letters that cannot be misread (RFC 8628 section 6.1). */
function userCode(): string {
  const alphabet = 'BCDFGHJKLMNPQRSTVWXZ';
  let code = '';
  for (let index = 0; index < 8; index += 1) code += alphabet[randomInt(alphabet.length)];
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}
