import { resolveChain } from '../profiles/index.js';
import type { Chain, ProfileLocations } from '../profiles/types.js';

/**
 * The profile requests go to, and the chains of every profile asked for so far. Chains are
 * resolved from disk once and cached; switching profiles or reloading drops the cache.
 */
export class ActiveProfiles {
  private readonly chains = new Map<string, Chain>();
  /** Profiles being read now, so that concurrent requests share one read. */
  private readonly loading = new Map<string, Promise<Chain>>();
  /** Bumped whenever the cache is dropped. */
  private generation = 0;
  private readonly activationListeners: ((chain: Chain) => void)[] = [];

  constructor(
    private readonly locations: ProfileLocations,
    private active: string | undefined,
  ) {}

  get current(): string | undefined {
    return this.active;
  }

  /** The cached chain of a profile, without touching the disk (hot path). */
  cached(name: string): Chain | undefined {
    return this.chains.get(name);
  }

  /**
   * The chain of a profile, read once however many requests ask at the same moment: a burst of
   * 1,000 requests to a profile not yet cached used to read and validate its file 1,000 times.
   */
  chain(name: string): Promise<Chain> {
    const cached = this.chains.get(name);
    if (cached) return Promise.resolve(cached);
    let loading = this.loading.get(name);
    if (!loading) {
      const generation = this.generation;
      loading = resolveChain(this.locations, name)
        .then((chain) => {
          // A reload or switch meanwhile may have changed the file: do not cache what was read before it.
          if (generation === this.generation) this.chains.set(name, chain);
          return chain;
        })
        .finally(() => {
          if (this.loading.get(name) === loading) this.loading.delete(name);
        });
      this.loading.set(name, loading);
    }
    return loading;
  }

  /** Every chain resolved so far (the bucket list of metrics and the dashboard). */
  loaded(): IterableIterator<Chain> {
    return this.chains.values();
  }

  /** Where profile files are looked up, for listing every profile. */
  get profileLocations(): ProfileLocations {
    return this.locations;
  }

  /** Validates a profile and makes it the active one; the next request already uses it. */
  async activate(name: string): Promise<Chain> {
    this.forget();
    const chain = await this.chain(name);
    this.active = name;
    for (const listener of this.activationListeners) listener(chain);
    return chain;
  }

  /** Hears every profile made active from now on (the start-up warnings about buckets that cannot serve). */
  onActivate(listener: (chain: Chain) => void): void {
    this.activationListeners.push(listener);
  }

  /**
   * Reads every profile in use again after an edit of the profile files. A profile whose file no
   * longer reads keeps the chain it had (the last good one), so a broken edit never stops a running
   * server; the caller says why. Returns the profiles whose chain changed and those kept.
   */
  async refresh(): Promise<{ changed: Chain[]; kept: { name: string; error: unknown }[] }> {
    const names = new Set(this.chains.keys());
    if (this.active !== undefined) names.add(this.active);
    const next = new Map<string, Chain>();
    const changed: Chain[] = [];
    const kept: { name: string; error: unknown }[] = [];
    for (const name of names) {
      const before = this.chains.get(name);
      try {
        const chain = await resolveChain(this.locations, name);
        next.set(name, chain);
        if (before === undefined || JSON.stringify(before) !== JSON.stringify(chain)) changed.push(chain);
      } catch (error) {
        kept.push({ name, error });
        if (before !== undefined) next.set(name, before);
      }
    }
    this.forget();
    for (const [name, chain] of next) this.chains.set(name, chain);
    return { changed, kept };
  }

  /** Forgets cached chains so edited profile files are read again. */
  reload(): void {
    this.forget();
  }

  private forget(): void {
    this.chains.clear();
    this.loading.clear();
    this.generation += 1;
  }
}
