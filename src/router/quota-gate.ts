import { modelFamilyOf } from '../core/quota.js';
import type { Target } from '../profiles/types.js';
import type { PausedBuckets } from '../state/paused-buckets.js';
import type { QuotaStore } from '../state/quota-store.js';
import { targetModel } from './target-model.js';

/**
 * Which ready buckets cannot take a request: paused by hand, or a model window is spent for its model family
 * (`7d_opus` rejected: the bucket skips Opus requests only, and keeps serving Sonnet and the rest).
 * The window is read from the bucket's quota as answers left it, so another instance's answer counts too.
 */
export class QuotaGate {
  constructor(
    private readonly store: QuotaStore | undefined,
    private readonly paused?: PausedBuckets,
  ) {}

  /** The exclusion for one request, or undefined when nothing could exclude (the usual case, kept cheap). */
  excluderFor(clientModel: string | undefined, now: number): ((target: Target) => boolean) | undefined {
    const { store, paused } = this;
    if (store === undefined && paused === undefined) return undefined;
    return (target) => {
      // Paused by hand: not sent to, whatever its state.
      if (paused?.has(target.key)) return true;
      const quota = store?.get(target.key);
      if (quota === undefined) return false;
      let family: string | undefined | null = null;
      for (const window of Object.values(quota.windows)) {
        if (window.family === undefined || window.status !== 'rejected') continue;
        if ((window.resetsAt ?? Number.POSITIVE_INFINITY) <= now) continue;
        if (family === null) family = modelFamilyOf(targetModel(target, clientModel));
        if (window.family === family) return true;
      }
      return false;
    };
  }
}
