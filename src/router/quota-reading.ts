import type { ErrorFields } from '../formats/error-body.js';
import type { Target } from '../profiles/types.js';
import type { HeaderBag } from '../providers/header-bag.js';
import type { ProviderRegistry } from '../providers/registry.js';
import type { QuotaStore } from '../state/quota-store.js';

/**
 * Reads what an answer says about its bucket's usage windows into the quota store: headers on
 * every answer (a stream's come before its body), and a failed answer's body where the provider
 * speaks of quota only there (Gemini's QuotaFailure).
 */
export class QuotaReadings {
  constructor(
    private readonly providers: ProviderRegistry,
    private readonly store: QuotaStore | undefined,
  ) {}

  fromHeaders(target: Target, headers: HeaderBag, now: number): void {
    if (this.store === undefined) return;
    const reading = this.providers[target.provider].definition.quotaSignals?.headers?.(headers, now);
    if (reading !== undefined) this.store.record(target.key, reading, now);
  }

  fromError(target: Target, error: ErrorFields | undefined, now: number): void {
    if (this.store === undefined) return;
    const reading = this.providers[target.provider].definition.quotaSignals?.error?.(error, now);
    if (reading !== undefined) this.store.record(target.key, reading, now);
  }

  /** Whether the provider speaks of quota in failed bodies, so the body is worth parsing for it. */
  readsErrors(target: Target): boolean {
    return this.store !== undefined && this.providers[target.provider].definition.quotaSignals?.error !== undefined;
  }
}
