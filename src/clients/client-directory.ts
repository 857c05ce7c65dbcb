import { createHash, timingSafeEqual } from 'node:crypto';
import type { ClientSettings } from '../config/client-settings.js';
import { RequestRateLimiter } from './request-rate-limiter.js';

/** A client a key belongs to, as requests carry it. */
export interface ClientIdentity {
  name: string;
  /** The profiles it may use; undefined: all. */
  profiles: ReadonlySet<string> | undefined;
  limiter: RequestRateLimiter | undefined;
  /** SWITCHYARD_API_KEY's client administers while no SWITCHYARD_ADMIN_KEY is set; config.yaml's never do. */
  administers: boolean;
}

/** The client SWITCHYARD_API_KEY stands for: every profile, no limit. */
export const defaultClientName = 'default';

interface KnownKey {
  digest: Buffer;
  client: ClientIdentity;
}

export class ClientKeyError extends Error {
  override readonly name = 'ClientKeyError';
}

/**
 * Every client key the server accepts, held only as SHA-256 digests. A presented key is hashed
 * once and compared with every known digest in constant time, without stopping at a match, so
 * the time taken says nothing about which key (or how much of one) matched.
 */
export class ClientDirectory {
  private readonly keys: KnownKey[] = [];

  /** `apiKey` is SWITCHYARD_API_KEY; `environment` supplies `keyEnv` clients' keys. */
  constructor(clients: readonly ClientSettings[], apiKey: string | undefined, environment: NodeJS.ProcessEnv) {
    if (apiKey !== undefined)
      this.keys.push({
        digest: sha256(apiKey),
        client: { name: defaultClientName, profiles: undefined, limiter: undefined, administers: true },
      });
    for (const settings of clients) {
      let digest: Buffer;
      if (settings.keyEnv !== undefined) {
        const key = environment[settings.keyEnv]?.trim();
        if (!key)
          throw new ClientKeyError(
            `Client "${settings.name}" reads its key from ${settings.keyEnv}, which ` +
              `is not set: set it in switchyard's environment, or use keyHash in ` +
              `config.yaml.`,
          );
        digest = sha256(key);
      } else if (settings.keyHash !== undefined) {
        digest = Buffer.from(settings.keyHash.slice('sha256:'.length), 'hex');
      } else {
        throw new ClientKeyError(
          `Client "${settings.name}" has neither keyEnv nor keyHash in config.yaml: give it one.`,
        );
      }
      const client: ClientIdentity = {
        name: settings.name,
        profiles: settings.profiles === undefined ? undefined : new Set(settings.profiles),
        limiter:
          settings.requestsPerMinute === undefined ? undefined : new RequestRateLimiter(settings.requestsPerMinute),
        administers: false,
      };
      const clash = this.keys.find((known) => known.digest.equals(digest));
      if (clash)
        throw new ClientKeyError(
          `Clients "${clash.client.name}" and "${settings.name}" have the same key; ` +
            `give each client its own (switchyard client add NAME).`,
        );
      this.keys.push({ digest, client });
    }
  }

  /** Whether requests must carry a key at all. */
  get required(): boolean {
    return this.keys.length > 0;
  }

  /** Whether SWITCHYARD_API_KEY is set: its key administers when no admin key is. */
  get hasApiKey(): boolean {
    return this.keys.some((known) => known.client.administers);
  }

  get names(): string[] {
    return this.keys.map((known) => known.client.name);
  }

  /** The client whose key this is, or undefined for an unknown key. */
  identify(presented: string): ClientIdentity | undefined {
    const digest = sha256(presented);
    let found: ClientIdentity | undefined;
    for (const known of this.keys) {
      if (timingSafeEqual(digest, known.digest) && found === undefined) found = known.client;
    }
    return found;
  }
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}
