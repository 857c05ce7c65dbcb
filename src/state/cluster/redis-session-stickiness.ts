import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { BucketKey } from '../../core/types.js';
import { SessionAffinity, type SessionStickiness } from '../session-affinity.js';
import type { RedisConnection } from './redis-connection.js';

const messageSchema = z.object({ from: z.string(), chain: z.string(), session: z.string(), key: z.string() });

export interface RedisSessionStickinessOptions {
  connection: RedisConnection;
  /** A session unused this long is forgotten in Redis (default 1 h). */
  ttlMs?: number;
}

/**
 * Which bucket each client session is stuck to, shared by the cluster: every instance keeps a
 * bounded local copy (reads stay synchronous), assignments go to `<prefix>session:<profile>:<sha256>`
 * with an expiry and are announced on `<prefix>session`. Session ids are hashed: a client's
 * session id may be a credential-like value and never appears in a key.
 */
export class RedisSessionStickiness {
  private readonly mirrors = new Map<string, SessionAffinity>();
  private readonly channel: string;
  private readonly fetching = new Set<string>();

  constructor(private readonly options: RedisSessionStickinessOptions) {
    this.channel = options.connection.key('session');
    options.connection.subscribe(this.channel, (message) => this.receive(message));
  }

  /** The stickiness of one profile's chain, as the target selector uses it. */
  forChain(chain: string): SessionStickiness {
    const mirror = this.mirrorOf(chain);
    return {
      get: (session) => {
        const id = hashOf(session);
        const key = mirror.get(id);
        // Unknown here (this instance restarted, or missed the announcement): ask Redis for next time.
        if (key === undefined) this.fetch(chain, id, mirror);
        return key;
      },
      set: (session, key) => {
        const id = hashOf(session);
        if (mirror.get(id) === key) return;
        mirror.set(id, key);
        this.send(chain, id, key);
      },
    };
  }

  private mirrorOf(chain: string): SessionAffinity {
    let mirror = this.mirrors.get(chain);
    if (!mirror) {
      mirror = new SessionAffinity();
      this.mirrors.set(chain, mirror);
    }
    return mirror;
  }

  private send(chain: string, id: string, key: BucketKey): void {
    const { connection } = this.options;
    if (!connection.connected) return;
    connection.client
      .multi()
      .set(connection.key('session', chain, id), key, 'PX', this.options.ttlMs ?? 3_600_000)
      .publish(this.channel, JSON.stringify({ from: connection.instanceId, chain, session: id, key }))
      .exec()
      .catch(() => undefined);
  }

  private fetch(chain: string, id: string, mirror: SessionAffinity): void {
    const { connection } = this.options;
    const redisKey = connection.key('session', chain, id);
    if (!connection.connected || this.fetching.has(redisKey)) return;
    this.fetching.add(redisKey);
    connection.client
      .get(redisKey)
      .then((key) => {
        if (key !== null && mirror.get(id) === undefined) mirror.set(id, key as BucketKey);
      })
      .catch(() => undefined)
      .finally(() => this.fetching.delete(redisKey));
  }

  private receive(raw: string): void {
    let message: z.infer<typeof messageSchema>;
    try {
      message = messageSchema.parse(JSON.parse(raw));
    } catch {
      return;
    }
    if (message.from === this.options.connection.instanceId) return;
    this.mirrorOf(message.chain).set(message.session, message.key as BucketKey);
  }
}

function hashOf(session: string): string {
  return createHash('sha256').update(session).digest('hex').slice(0, 32);
}
