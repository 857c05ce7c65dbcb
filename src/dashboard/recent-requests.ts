import type { Clock } from '../core/types.js';
import { type AttemptOutcome, renderAttempt } from '../router/attempt-outcome.js';

/** One request as the Requests view lists it. Built from the request record: no header, body or key. */
export interface RecentRequest {
  id: number;
  /** ISO 8601, when it ended. */
  time: string;
  client: string | null;
  profile: string | null;
  model: string | null;
  format: string;
  path: string;
  stream: boolean;
  /** The bucket trail, as `x-switchyard-attempts` shows it (`anthropic/a:429`). */
  attempts: string[];
  bucket: string | null;
  status: number;
  /** The refusal's error code, for requests answered before routing. */
  code: string | null;
  inputTokens: number;
  outputTokens: number;
  firstByteMs: number | null;
  durationMs: number;
  /** Whether its bodies were captured (`dashboard.captureBodies`): `/dashboard/data/requests/{id}/bodies`. */
  bodies: boolean;
}

/** How much of the log is kept: whichever limit comes first. */
export interface RecentRequestsLimits {
  keepMinutes: number;
  keepRequests: number;
}

export const defaultRecentRequestsLimits: RecentRequestsLimits = { keepMinutes: 60, keepRequests: 5_000 };

/** What the Requests view asks for. */
export interface RecentRequestsQuery {
  /** Words that must all appear in the client, profile, model, path, bucket, trail or status. */
  search?: string;
  client?: string;
  profile?: string;
  /** The model the client asked for. */
  model?: string;
  /** `ok` (2xx), `error` (everything else), or one status code. */
  status?: string;
  limit?: number;
}

/** What the log is given per request: the trail as the router kept it, rendered only when asked for. */
export type RequestToLog = Omit<RecentRequest, 'id' | 'time' | 'bodies' | 'attempts'> & {
  attempts: readonly AttemptOutcome[];
};

/** What the log keeps of a request: its time as a number, turned into ISO 8601 only when asked for. */
type LoggedRequest = RequestToLog & { id: number; endedAt: number; bodies: boolean };

/** The last requests in memory, newest last, trimmed by age and count as new ones come. */
export class RecentRequests {
  private readonly entries: LoggedRequest[] = [];
  private nextId = 1;

  /** `onDrop`: told the id of each entry that leaves the log (its captured bodies go with it). */
  constructor(
    private readonly clock: Clock,
    readonly limits: RecentRequestsLimits = defaultRecentRequestsLimits,
    private readonly onDrop?: (id: number) => void,
  ) {}

  /** Adds an entry and returns its id. */
  add(entry: RequestToLog): number {
    const id = this.nextId++;
    // Kept as given (the caller builds it for this call), not copied, with the time as a number and
    // the trail unrendered: a copy, an ISO string and the trail's strings per request were the
    // costliest part of a request's observers.
    const logged = entry as LoggedRequest;
    logged.id = id;
    logged.endedAt = this.clock.now();
    logged.bodies = false;
    this.entries.push(logged);
    // Trimmed in batches: one splice per request moved the whole log down every time (the costliest
    // step of a request's observers once the log was full). Queries read only the newest keepRequests.
    const keep = this.limits.keepRequests;
    if (this.entries.length >= keep + Math.max(1, Math.ceil(keep / 8))) this.drop(this.entries.length - keep);
    return id;
  }

  /** Marks entry `id` (the last one added) as having captured bodies. */
  markBodies(id: number): void {
    const last = this.entries.at(-1);
    if (last?.id === id) last.bodies = true;
  }

  /** Matching requests, newest first. */
  query(query: RecentRequestsQuery): RecentRequest[] {
    this.trimByAge();
    const words = (query.search ?? '').toLowerCase().split(/\s+/).filter(Boolean);
    const limit = query.limit ?? 500;
    const found: RecentRequest[] = [];
    const first = Math.max(0, this.entries.length - this.limits.keepRequests);
    for (let index = this.entries.length - 1; index >= first && found.length < limit; index -= 1) {
      const entry = this.entries[index]!;
      if (query.client !== undefined && entry.client !== query.client) continue;
      if (query.profile !== undefined && entry.profile !== query.profile) continue;
      if (query.model !== undefined && entry.model !== query.model) continue;
      if (query.status !== undefined && !statusMatches(entry.status, query.status)) continue;
      if (words.length > 0) {
        const text = [
          entry.client,
          entry.profile,
          entry.model,
          entry.path,
          entry.bucket,
          entry.code,
          String(entry.status),
          ...entry.attempts.map(renderAttempt),
        ]
          .join(' ')
          .toLowerCase();
        if (!words.every((word) => text.includes(word))) continue;
      }
      found.push(presented(entry));
    }
    return found;
  }

  private trimByAge(): void {
    const oldest = this.clock.now() - this.limits.keepMinutes * 60_000;
    let drop = 0;
    while (drop < this.entries.length && this.entries[drop]!.endedAt < oldest) drop += 1;
    if (drop > 0) this.drop(drop);
  }

  private drop(count: number): void {
    const dropped = this.entries.splice(0, count);
    if (this.onDrop !== undefined) for (const entry of dropped) this.onDrop(entry.id);
  }
}

/** A logged request as the Requests view and its data route show it (a copy: the log's own stays as it is). */
function presented(entry: LoggedRequest): RecentRequest {
  const { endedAt, id, attempts, ...rest } = entry;
  return { id, time: new Date(endedAt).toISOString(), ...rest, attempts: attempts.map(renderAttempt) };
}

function statusMatches(status: number, wanted: string): boolean {
  if (wanted === 'ok') return status >= 200 && status < 300;
  if (wanted === 'error') return status < 200 || status >= 300;
  return String(status) === wanted;
}
