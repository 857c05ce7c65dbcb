import type { Clock, ProviderName } from '../core/types.js';
import type { StoredCredential } from './token-file.js';
import type { TokenStore } from './token-store.js';

/**
 * Background re-reads in flight at most; the rest wait their turn, each bucket once. Re-checks of
 * 10,000 buckets without a login come due together after a restart: their re-reads all at once
 * (each missing file an error with its stack) cost twice the CPU of a few at a time, and held the
 * event loop while they finished.
 */
export const backgroundReadsAtOnce = 8;

interface Entry {
  value: StoredCredential | null;
  readAt: number;
  /** Bumped on every set(), so that a read that started earlier cannot undo a value written since. */
  version: number;
  /** The sequence number of the read that gave the value, so that an older read finishing late loses. */
  readSequence: number;
  reloading: boolean;
}

/**
 * The token manager's view of the store: answers from memory on the hot path and re-reads an
 * entry in the background at most every `rereadMs`, so a CLI import or another process's
 * refresh is picked up within a couple of seconds without a file read per request (a server also
 * hears of stored changes at once and calls reload(); see server/login-recheck.ts).
 */
export class CredentialCache {
  private readonly entries = new Map<string, Entry>();
  private readonly loading = new Map<string, Promise<StoredCredential | null>>();
  private reads = 0;
  private backgroundReads = 0;
  /** Background re-reads waiting for one in flight to finish, oldest first, so none waits forever. */
  private readonly waitingReads = new Map<string, () => void>();

  /**
   * `absentRereadMs`: the same for a bucket with no stored login, for an owner that hears of new
   * logins without reading (a server watching the token folders); default `rereadMs`.
   */
  constructor(
    private readonly store: TokenStore,
    private readonly clock: Clock,
    private readonly rereadMs: number,
    private readonly absentRereadMs = rereadMs,
  ) {}

  /** The cached credential, read from the store the first time (errors then propagate). */
  async get(provider: ProviderName, bucket: string): Promise<StoredCredential | null> {
    const cached = this.peek(provider, bucket);
    return cached === undefined ? this.reload(provider, bucket) : cached;
  }

  /** The cached credential without waiting; undefined when it was never read (get() reads it). */
  peek(provider: ProviderName, bucket: string): StoredCredential | null | undefined {
    const entry = this.entries.get(`${provider}/${bucket}`);
    if (!entry) return undefined;
    const rereadMs = entry.value === null ? this.absentRereadMs : this.rereadMs;
    if (!entry.reloading && this.clock.now() - entry.readAt >= rereadMs)
      this.reloadInBackground(provider, bucket, entry);
    return entry.value;
  }

  /**
   * Reads the store now and caches what it holds. `fresh`: a read already under way may predate
   * the change being reported, so it is not joined.
   */
  reload(provider: ProviderName, bucket: string, fresh = false): Promise<StoredCredential | null> {
    const key = `${provider}/${bucket}`;
    const pending = this.loading.get(key);
    if (pending && !fresh) return pending;
    const version = this.entries.get(key)?.version;
    const sequence = ++this.reads;
    const load = this.store
      .read(provider, bucket)
      .then((value) => {
        const current = this.entries.get(key);
        // Someone set a newer value meanwhile, or a later read already answered: that wins over this read.
        if (current !== undefined && (current.version !== version || current.readSequence > sequence))
          return current.value;
        this.put(key, value, current?.version ?? 0, sequence);
        return value;
      })
      .finally(() => {
        if (this.loading.get(key) === load) this.loading.delete(key);
      });
    this.loading.set(key, load);
    return load;
  }

  /** Records what was just written to (or adopted from) the store. */
  set(provider: ProviderName, bucket: string, value: StoredCredential | null): void {
    const key = `${provider}/${bucket}`;
    this.put(key, value, (this.entries.get(key)?.version ?? 0) + 1, this.reads);
  }

  private put(key: string, value: StoredCredential | null, version: number, readSequence: number): void {
    this.entries.set(key, { value, readAt: this.clock.now(), version, readSequence, reloading: false });
  }

  private reloadInBackground(provider: ProviderName, bucket: string, entry: Entry): void {
    entry.reloading = true;
    const read = () => {
      this.backgroundReads += 1;
      this.reload(provider, bucket)
        // A failed background read (a file being edited by hand) keeps the last good value.
        .catch(() => {
          entry.reloading = false;
          entry.readAt = this.clock.now();
        })
        .finally(() => {
          this.backgroundReads -= 1;
          const [next] = this.waitingReads;
          if (next === undefined) return;
          this.waitingReads.delete(next[0]);
          next[1]();
        });
    };
    if (this.backgroundReads < backgroundReadsAtOnce) read();
    else this.waitingReads.set(`${provider}/${bucket}`, read);
  }
}
