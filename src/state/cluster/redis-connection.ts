import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { type RedisSettings, redactedRedisUrl } from './redis-settings.js';

export interface RedisConnectionOptions extends RedisSettings {
  /** Where connection losses and recoveries are reported (one line per change). */
  log: (message: string) => void;
  /** How long start() waits for Redis before serving from local state (default 3 s). */
  connectTimeoutMs?: number;
}

/** A command that takes longer fails, so a half-dead Redis never holds a request. */
const commandTimeoutMs = 2_000;

type Listener = () => void;
type MessageHandler = (message: string) => void;

/**
 * The cluster's two connections to Redis: one for commands and one subscribed to the
 * prefix's channels. Commands fail at once while Redis is away (no offline queue), so callers
 * fall back to local state instead of waiting; `connected` says which mode they are in.
 */
export class RedisConnection {
  readonly client: Redis;
  readonly subscriber: Redis;
  /** Tells this instance's own messages apart from the others'. */
  readonly instanceId = randomUUID();
  readonly prefix: string;
  readonly url: string;
  private clientReady = false;
  private subscriberReady = false;
  private up = false;
  private everUp = false;
  private closed = false;
  private readonly lostListeners = new Set<Listener>();
  private readonly restoredListeners: Listener[] = [];
  private readonly handlers = new Map<string, MessageHandler[]>();

  constructor(private readonly options: RedisConnectionOptions) {
    this.prefix = options.prefix;
    this.url = redactedRedisUrl(options.url);
    // Reconnect forever, at most every second, so an outage ends soon after Redis returns.
    const retryStrategy = (attempt: number) => Math.min(50 * attempt, 1_000);
    const connectTimeout = options.connectTimeoutMs ?? 3_000;
    this.client = new Redis(options.url, {
      lazyConnect: true,
      connectTimeout,
      commandTimeout: commandTimeoutMs,
      maxRetriesPerRequest: 0,
      enableOfflineQueue: false,
      retryStrategy,
    });
    // Subscriptions are queued until the subscriber connects, and renewed by ioredis on reconnect.
    this.subscriber = new Redis(options.url, {
      lazyConnect: true,
      connectTimeout,
      maxRetriesPerRequest: null,
      enableOfflineQueue: true,
      retryStrategy,
    });
    this.watch(this.client, (ready) => (this.clientReady = ready));
    this.watch(this.subscriber, (ready) => (this.subscriberReady = ready));
    this.subscriber.on('message', (channel: string, message: string) => {
      for (const handler of this.handlers.get(channel) ?? []) handler(message);
    });
  }

  /** Connects, waiting at most connectTimeoutMs; an unreachable Redis is reported and retried in the background. */
  async start(): Promise<void> {
    const timeoutMs = this.options.connectTimeoutMs ?? 3_000;
    // connect() rejects on the first failure, but ioredis keeps retrying by retryStrategy.
    this.client.connect().catch(() => undefined);
    this.subscriber.connect().catch(() => undefined);
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.restoredListeners.splice(this.restoredListeners.indexOf(done) >>> 0, 1);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      this.restoredListeners.push(done);
      if (this.up) done();
    });
    if (!this.up)
      this.options.log(
        `Redis at ${this.url} is not reachable: serving from local state until it is (retrying in the background).`,
      );
  }

  /** Whether shared state is live (both connections ready). */
  get connected(): boolean {
    return this.up;
  }

  /** `prefix` + parts joined by `:`. */
  key(...parts: string[]): string {
    return `${this.prefix}${parts.join(':')}`;
  }

  /** Calls `listener` whenever the connection is lost; returns a function that stops it. */
  onLost(listener: Listener): () => void {
    this.lostListeners.add(listener);
    return () => this.lostListeners.delete(listener);
  }

  /** A further command connection to the same Redis, connecting now (for libraries that manage their own). */
  duplicateClient(): Redis {
    return this.client.duplicate({ lazyConnect: false });
  }

  /** Calls `listener` whenever the connection (re)becomes ready, the first time included. */
  onRestored(listener: Listener): void {
    this.restoredListeners.push(listener);
  }

  /** Subscribes to a channel (renewed after every reconnect). */
  subscribe(channel: string, handler: MessageHandler): void {
    const existing = this.handlers.get(channel);
    if (existing) {
      existing.push(handler);
      return;
    }
    this.handlers.set(channel, [handler]);
    this.subscriber.subscribe(channel).catch(() => undefined);
  }

  /** Publishes a message tagged with this instance's id; failures are the caller's to ignore. */
  async publish(channel: string, message: string): Promise<void> {
    await this.client.publish(channel, message);
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([quietly(this.client), quietly(this.subscriber)]);
  }

  private watch(connection: Redis, setReady: (ready: boolean) => void): void {
    connection.on('ready', () => {
      setReady(true);
      this.update();
    });
    connection.on('close', () => {
      setReady(false);
      this.update();
    });
    // Errors are reported once per loss by update(); ioredis needs a listener to not crash.
    connection.on('error', () => undefined);
  }

  private update(): void {
    const up = this.clientReady && this.subscriberReady;
    if (up === this.up || this.closed) return;
    this.up = up;
    if (up) {
      if (this.everUp)
        this.options.log(`Redis at ${this.url} is back: writing local changes back and reloading shared state.`);
      this.everUp = true;
      for (const listener of [...this.restoredListeners]) listener();
    } else {
      this.options.log(
        `lost Redis at ${this.url}: falling back to local state; traffic ` +
          `continues and changes are written back when it returns.`,
      );
      for (const listener of [...this.lostListeners]) listener();
    }
  }
}

/**
 * QUIT when connected (pending replies arrive first); otherwise just stop reconnecting, since a queued QUIT would wait
 * forever.
 */
async function quietly(connection: Redis): Promise<void> {
  if (connection.status === 'end') return;
  if (connection.status !== 'ready') {
    connection.disconnect();
    return;
  }
  try {
    await connection.quit();
  } catch {
    connection.disconnect();
  }
}
