import { type BucketQuota, currentWindow, modelFamilyOf } from '../core/quota.js';
import type { Target } from '../profiles/types.js';
import type { QuotaStore } from '../state/quota-store.js';
import { targetModel } from './target-model.js';

/** The share of a window past which a session moves when the provider gives no warning of its own. */
export const defaultThreshold = 0.9;
/** Headrooms this close are a tie: the soonest reset decides (capacity that would expire unused goes first). */
const tieMargin = 0.02;

/** Where a bucket stands for one request: its binding window's headroom and reset, and whether it warns. */
export interface Standing {
  /** The least share left among the windows that apply, after the reserve (may be negative). */
  headroom: number;
  /** The most used share among them. */
  used: number;
  /** Unix ms of the binding window's reset; infinite when unknown. */
  resetsAt: number;
  /** The provider says a window that applies is near its limit (`allowed_warning`). */
  warning: boolean;
}

/** A bucket's standing for a request of `family`: shared windows and that family's own. */
export function standingOf(
  quota: BucketQuota | undefined,
  family: string | undefined,
  now: number,
  reserve: number,
): Standing {
  const standing: Standing = { headroom: 1 - reserve, used: 0, resetsAt: Number.POSITIVE_INFINITY, warning: false };
  if (quota === undefined) return standing;
  let binding = Number.POSITIVE_INFINITY;
  for (const stored of Object.values(quota.windows)) {
    if (stored.family !== undefined && stored.family !== family) continue;
    const window = currentWindow(stored, now);
    const used = window.used ?? (window.status === 'rejected' ? 1 : 0);
    const headroom = 1 - reserve - used;
    const resetsAt = window.resetsAt ?? Number.POSITIVE_INFINITY;
    if (window.status === 'allowed_warning') standing.warning = true;
    standing.used = Math.max(standing.used, used);
    // The window with the least headroom binds; among near-equal ones, the soonest reset.
    if (headroom < binding - tieMargin || (Math.abs(headroom - binding) <= tieMargin && resetsAt < standing.resetsAt))
      standing.resetsAt = resetsAt;
    binding = Math.min(binding, headroom);
  }
  if (binding !== Number.POSITIVE_INFINITY) standing.headroom = binding;
  return standing;
}

/**
 * Whether a session should leave its bucket: past the profile's threshold (a used share), or by
 * default at the provider's warning or 90 % of any window; always once its reserve is reached.
 */
export function pastThreshold(standing: Standing, threshold: number | undefined): boolean {
  if (standing.headroom <= 0) return true;
  if (threshold !== undefined) return standing.used >= threshold;
  return standing.warning || standing.used >= defaultThreshold;
}

/**
 * The `balance` policy: a session stays on its bucket for its prompt cache until that bucket
 * passes the threshold or fails; a new session goes to the bucket with the most headroom, ties
 * to the soonest reset, then to priority order.
 */
export class BalanceSelection {
  constructor(private readonly quota: QuotaStore | undefined) {}

  standing(target: Target, clientModel: string | undefined, now: number, reserve: number): Standing {
    const quota = this.quota?.get(target.key);
    if (quota === undefined) return standingOf(undefined, undefined, now, reserve);
    return standingOf(quota, modelFamilyOf(targetModel(target, clientModel)), now, reserve);
  }

  /** The bucket for a new session (or one that must move) among `ready`, priority ordered. */
  pick(
    ready: readonly Target[],
    clientModel: string | undefined,
    now: number,
    options: { threshold: number | undefined; reserve: number },
  ): Target | undefined {
    let best: { target: Target; standing: Standing; below: boolean } | undefined;
    for (const target of ready) {
      const standing = this.standing(target, clientModel, now, options.reserve);
      const below = !pastThreshold(standing, options.threshold);
      if (best === undefined || better({ standing, below }, best)) best = { target, standing, below };
    }
    return best?.target;
  }
}

/** Below the threshold first, then the most headroom, a tie going to the soonest reset (earlier targets win ties). */
function better(
  candidate: { standing: Standing; below: boolean },
  best: { standing: Standing; below: boolean },
): boolean {
  if (candidate.below !== best.below) return candidate.below;
  const difference = candidate.standing.headroom - best.standing.headroom;
  if (Math.abs(difference) > tieMargin) return difference > 0;
  return candidate.standing.resetsAt < best.standing.resetsAt;
}
