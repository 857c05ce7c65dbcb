import type { Chain, ProfileLocations } from '../profiles/types.js';
import { resolveChain } from '../profiles/index.js';

/**
 * The profile requests go to, and the chains of every profile asked for so far. Chains are
 * resolved from disk once and cached; switching profiles or reloading drops the cache.
 */
export class ActiveProfiles {
  private readonly chains = new Map<string, Chain>();

  constructor(private readonly locations: ProfileLocations, private active: string | undefined) {}

  get current(): string | undefined {
    return this.active;
  }

  /** The cached chain of a profile, without touching the disk (hot path). */
  cached(name: string): Chain | undefined {
    return this.chains.get(name);
  }

  async chain(name: string): Promise<Chain> {
    const cached = this.chains.get(name);
    if (cached) return cached;
    const chain = await resolveChain(this.locations, name);
    this.chains.set(name, chain);
    return chain;
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
    this.chains.clear();
    const chain = await this.chain(name);
    this.active = name;
    return chain;
  }

  /** Forgets cached chains so edited profile files are read again. */
  reload(): void {
    this.chains.clear();
  }
}
