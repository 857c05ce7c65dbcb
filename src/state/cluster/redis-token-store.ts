import { z } from 'zod';
import type { RefreshLock } from '../../auth/refresh-lock.js';
import { decryptTokenJson, encryptTokenJson, isEncryptedEnvelope } from '../../auth/token-encryption.js';
import { parseStoredCredential, type StoredCredential } from '../../auth/token-file.js';
import { readTokenKey, type TokenKeySetting } from '../../auth/token-key.js';
import { TokenKeyError } from '../../auth/token-key-error.js';
import type { TokenStore } from '../../auth/token-store.js';
import { assertBucketName } from '../../core/names.js';
import { providerNames } from '../../core/provider-names.js';
import type { ProviderName } from '../../core/types.js';
import type { RedisConnection } from './redis-connection.js';
import { createRedisRefreshLock } from './redis-refresh-lock.js';

const changeSchema = z.object({ from: z.string(), provider: z.string(), bucket: z.string() });

export interface RedisTokenStoreOptions {
  connection: RedisConnection;
  /** The lock used while Redis is away (the file lock for a server, in-process in tests). */
  fallbackLock: RefreshLock;
  /** Encryption at rest, as for token files (default: SWITCHYARD_TOKEN_KEY of this process). */
  encryption?: TokenKeySetting;
  /**
   * true (a server): while Redis is away, serve and keep changes in memory and write them back
   * when it returns. false (the CLI): fail, since a change kept in a short-lived process is lost.
   */
  fallBackToMemory: boolean;
}

export class RedisUnavailableError extends Error {
  override readonly name = 'RedisUnavailableError';
  constructor(url: string, action: string, options?: ErrorOptions) {
    super(
      `Redis at ${url} is not reachable, so ${action}. Start Redis or check SWITCHYARD_REDIS_URL, then try again.`,
      options,
    );
  }
}

/**
 * Tokens of the whole cluster in Redis: `<prefix>token:<provider>:<bucket>` (the JSON of a token
 * file, encrypted when a token key is set) and `<prefix>tokens:<provider>` listing the buckets.
 * A server keeps the last value it saw of each, so an outage degrades to that copy.
 */
export class RedisTokenStore implements TokenStore {
  readonly refreshLock: RefreshLock;
  private readonly encryption: TokenKeySetting;
  private readonly channel: string;
  /** Last known value per `provider/bucket`; null is a known absence (deleted). */
  private readonly mirror = new Map<string, StoredCredential | null>();
  /** Changes kept while Redis was away, to write back. */
  private readonly unsent = new Set<string>();
  private readonly changeListeners: ((provider: ProviderName, bucket: string) => void)[] = [];

  constructor(private readonly options: RedisTokenStoreOptions) {
    this.encryption = options.encryption ?? readTokenKey(process.env);
    this.refreshLock = createRedisRefreshLock({ connection: options.connection, fallback: options.fallbackLock });
    this.channel = options.connection.key('tokens');
    options.connection.onRestored(() => void this.writeBack());
    // Only a server keeps a local copy worth updating; the announcement names the bucket, never a token.
    if (options.fallBackToMemory) options.connection.subscribe(this.channel, (message) => this.receive(message));
  }

  async read(provider: ProviderName, bucket: string): Promise<StoredCredential | null> {
    const id = this.idOf(provider, bucket);
    const { connection } = this.options;
    if (connection.connected && !this.unsent.has(id)) {
      let text: string | null;
      try {
        text = await connection.client.get(this.keyOf(provider, bucket));
      } catch (error) {
        return this.fromMirror(id, 'tokens cannot be read', error);
      }
      const value = text === null ? null : this.decode(text, `Redis key ${this.keyOf(provider, bucket)}`);
      this.mirror.set(id, value);
      return value;
    }
    return this.fromMirror(id, 'tokens cannot be read');
  }

  async write(provider: ProviderName, bucket: string, credential: StoredCredential): Promise<void> {
    const id = this.idOf(provider, bucket);
    await this.change(id, provider, bucket, credential);
  }

  async delete(provider: ProviderName, bucket: string): Promise<boolean> {
    const id = this.idOf(provider, bucket);
    const existed = (await this.read(provider, bucket).catch(() => null)) !== null;
    await this.change(id, provider, bucket, null);
    return existed;
  }

  async list(provider: ProviderName): Promise<string[]> {
    assertProvider(provider);
    const { connection } = this.options;
    const local = [...this.mirror.entries()]
      .filter(([id, value]) => value !== null && id.startsWith(`${provider}/`))
      .map(([id]) => id.slice(provider.length + 1));
    if (!connection.connected) {
      if (!this.options.fallBackToMemory) throw new RedisUnavailableError(connection.url, 'buckets cannot be listed');
      return local.sort();
    }
    try {
      const shared = await connection.client.smembers(connection.key('tokens', provider));
      const deleted = new Set([...this.unsent].filter((id) => this.mirror.get(id) === null));
      return [...new Set([...shared, ...local])].filter((bucket) => !deleted.has(`${provider}/${bucket}`)).sort();
    } catch (error) {
      if (!this.options.fallBackToMemory)
        throw new RedisUnavailableError(connection.url, 'buckets cannot be listed', { cause: error });
      return local.sort();
    }
  }

  /** Calls `listener` once the local copy holds a change another instance or the CLI announced. */
  onChange(listener: (provider: ProviderName, bucket: string) => void): void {
    this.changeListeners.push(listener);
  }

  /** Reads every stored bucket into the local copy, so an outage right after start-up still finds them. */
  async warm(): Promise<void> {
    if (!this.options.connection.connected) return;
    for (const provider of providerNames) {
      for (const bucket of await this.list(provider)) await this.read(provider, bucket).catch(() => undefined);
    }
  }

  private async change(
    id: string,
    provider: ProviderName,
    bucket: string,
    value: StoredCredential | null,
  ): Promise<void> {
    const { connection } = this.options;
    if (!connection.connected) {
      if (!this.options.fallBackToMemory) throw new RedisUnavailableError(connection.url, 'tokens cannot be stored');
      this.keep(id, value);
      return;
    }
    try {
      await this.send(provider, bucket, value);
      this.mirror.set(id, value);
      this.unsent.delete(id);
    } catch (error) {
      if (!this.options.fallBackToMemory)
        throw new RedisUnavailableError(connection.url, 'tokens cannot be stored', { cause: error });
      this.keep(id, value);
    }
  }

  private keep(id: string, value: StoredCredential | null): void {
    this.mirror.set(id, value);
    this.unsent.add(id);
  }

  private async send(provider: ProviderName, bucket: string, value: StoredCredential | null): Promise<void> {
    const { connection } = this.options;
    const transaction = connection.client.multi();
    if (value === null) {
      transaction.del(this.keyOf(provider, bucket));
      transaction.srem(connection.key('tokens', provider), bucket);
    } else {
      transaction.set(this.keyOf(provider, bucket), this.encode(value, `Redis key ${this.keyOf(provider, bucket)}`));
      transaction.sadd(connection.key('tokens', provider), bucket);
    }
    transaction.publish(this.channel, JSON.stringify({ from: connection.instanceId, provider, bucket }));
    const results = await transaction.exec();
    const failed = results?.find(([error]) => error !== null);
    if (failed) throw failed[0];
    if (results === null) throw new Error('the token transaction was discarded');
  }

  /** Changes made during an outage are the newest this instance knows of: they go back first. */
  private async writeBack(): Promise<void> {
    for (const id of [...this.unsent]) {
      const slash = id.indexOf('/');
      const provider = id.slice(0, slash) as ProviderName;
      try {
        await this.send(provider, id.slice(slash + 1), this.mirror.get(id) ?? null);
        this.unsent.delete(id);
      } catch {
        return; // still away: the next restoration tries again
      }
    }
  }

  private encode(credential: StoredCredential, source: string): string {
    // Never fall back to plaintext when the user asked for encryption.
    if (this.encryption.kind === 'malformed') throw new TokenKeyError(this.encryption.problem, source);
    return JSON.stringify(
      this.encryption.kind === 'key' ? encryptTokenJson(credential, this.encryption.key) : credential,
    );
  }

  private decode(text: string, source: string): StoredCredential {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return parseStoredCredential(null, source);
    }
    return parseStoredCredential(
      isEncryptedEnvelope(json) ? decryptTokenJson(json, this.encryption, source) : json,
      source,
    );
  }

  /** Another instance or the CLI changed a bucket: refresh the local copy, so an outage finds it current. */
  private receive(raw: string): void {
    let change: z.infer<typeof changeSchema>;
    try {
      change = changeSchema.parse(JSON.parse(raw));
    } catch {
      return;
    }
    if (change.from === this.options.connection.instanceId || !providerNames.includes(change.provider as ProviderName))
      return;
    const provider = change.provider as ProviderName;
    this.read(provider, change.bucket)
      .catch(() => undefined)
      .then(() => {
        for (const listener of this.changeListeners) listener(provider, change.bucket);
      });
  }

  private fromMirror(id: string, action: string, cause?: unknown): StoredCredential | null {
    if (this.options.fallBackToMemory && this.mirror.has(id)) return this.mirror.get(id) ?? null;
    throw new RedisUnavailableError(this.options.connection.url, action, cause === undefined ? undefined : { cause });
  }

  private idOf(provider: ProviderName, bucket: string): string {
    return `${assertProvider(provider)}/${assertBucketName(bucket)}`;
  }

  private keyOf(provider: ProviderName, bucket: string): string {
    return this.options.connection.key('token', provider, bucket);
  }
}

function assertProvider(provider: ProviderName): ProviderName {
  if (!providerNames.includes(provider)) throw new Error(`Unknown provider "${String(provider).slice(0, 40)}".`);
  return provider;
}
