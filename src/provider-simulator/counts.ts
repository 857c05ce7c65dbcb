import type { AccountCounts } from './types.js';

/** Requests with credentials no account knows are counted under this name. */
export const unknownAccount = 'unknown';

function emptyCounts(): AccountCounts {
  return {
    requests: 0,
    byStatus: {},
    refreshes: 0,
    invalidGrants: 0,
    logins: 0,
    aborted: 0,
    maxConcurrent: 0,
    inFlight: 0,
  };
}

/** Per-account request counters, in-flight gauge and its peak. */
export class CountsBook {
  readonly #counts = new Map<string, AccountCounts>();
  #total = 0;

  #of(name: string): AccountCounts {
    let counts = this.#counts.get(name);
    if (!counts) {
      counts = emptyCounts();
      this.#counts.set(name, counts);
    }
    return counts;
  }

  /** A request reached the account; pair with `finished`. */
  started(name: string): void {
    const counts = this.#of(name);
    counts.requests += 1;
    counts.inFlight += 1;
    if (counts.inFlight > counts.maxConcurrent) counts.maxConcurrent = counts.inFlight;
    this.#total += 1;
  }

  finished(name: string): void {
    const counts = this.#of(name);
    counts.inFlight -= 1;
  }

  status(name: string, status: number): void {
    const byStatus = this.#of(name).byStatus;
    byStatus[status] = (byStatus[status] ?? 0) + 1;
  }

  /** The client of a request went away before its answer was complete. */
  aborted(name: string): void {
    this.#of(name).aborted += 1;
  }

  refreshed(name: string): void {
    this.#of(name).refreshes += 1;
  }

  loggedIn(name: string): void {
    this.#of(name).logins += 1;
  }

  invalidGrant(name: string): void {
    this.#of(name).invalidGrants += 1;
  }

  /** A copy, so callers can keep it while counting goes on. */
  get(name: string): AccountCounts {
    const counts = this.#counts.get(name);
    return counts ? { ...counts, byStatus: { ...counts.byStatus } } : emptyCounts();
  }

  names(): string[] {
    return [...this.#counts.keys()];
  }

  total(): number {
    return this.#total;
  }

  /** Zeroes every counter; requests still in flight stay counted as in flight. */
  reset(): void {
    for (const counts of this.#counts.values()) {
      const inFlight = counts.inFlight;
      Object.assign(counts, emptyCounts(), { inFlight, maxConcurrent: inFlight });
    }
    this.#total = 0;
  }
}
