import type { BucketKey } from '../core/types.js';

/** Where selection remembers a session's bucket: this process (SessionAffinity) or the cluster (Redis). */
export interface SessionStickiness {
  get(session: string): BucketKey | undefined;
  set(session: string, key: BucketKey): void;
}

/**
 * Which bucket a client session last used, so round robin keeps a session on one account
 * (prompt caches are per account). Bounded: the oldest sessions are forgotten first.
 */
export class SessionAffinity implements SessionStickiness {
  private readonly sessions = new Map<string, BucketKey>();

  constructor(private readonly capacity = 10_000) {}

  get(session: string): BucketKey | undefined {
    return this.sessions.get(session);
  }

  set(session: string, key: BucketKey): void {
    if (this.sessions.get(session) === key) return;
    this.sessions.delete(session);
    this.sessions.set(session, key);
    if (this.sessions.size > this.capacity) {
      const oldest = this.sessions.keys().next().value;
      if (oldest !== undefined) this.sessions.delete(oldest);
    }
  }
}
