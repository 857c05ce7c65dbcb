import { type BucketQuota, currentWindow, modelFamilyOf } from '../core/quota.js';
import type { BucketKey } from '../core/types.js';
import type { Target } from '../profiles/types.js';
import type { QuotaStore } from '../state/quota-store.js';
import { targetModel } from './target-model.js';

/** The share of a window past which a session moves when the provider gives no warning of its own. */
export const defaultThreshold = 0.9;
/** Headrooms this close are a tie: the soonest reset decides (capacity that would expire unused goes first). */
const tieMargin = 0.01;

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
  /** Some answer described the bucket's windows; a bucket never heard from is tried first, to learn them. */
  known: boolean;
}

/** A bucket's standing for a request of `family`: shared windows and that family's own. */
export function standingOf(
  quota: BucketQuota | undefined,
  family: string | undefined,
  now: number,
  reserve: number,
): Standing {
  const standing: Standing = {
    headroom: 1 - reserve,
    used: 0,
    resetsAt: Number.POSITIVE_INFINITY,
    warning: false,
    known: quota !== undefined,
  };
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
 * A session that asked within the last this many requests placed by balance counts as still
 * working on its bucket: measured in requests rather than time, so it holds at any pace of traffic.
 */
const workingWithinRequests = 64;
/** Answers each working session is expected to ask for still: its bucket's headroom is that much less. */
const answersAheadPerSession = 4;

/**
 * The `balance` policy: a session stays on its bucket for its prompt cache until that bucket
 * passes the threshold or fails; a new session goes to the bucket with the most headroom, ties
 * to the soonest reset, then to priority order. Sessions already working on a bucket will spend
 * more of it: its headroom counts net of what they are expected to ask (their number, times a
 * few answers, times the share one answer was seen to cost), so new sessions do not pile onto
 * the bucket that was emptiest a moment ago.
 */
export class BalanceSelection {
  /** Per bucket, the sessions that asked lately and when. */
  private readonly workingOn = new Map<BucketKey, Map<string, number>>();
  /** Per bucket, the smallest rise of its used share seen between two readings: about one answer's cost. */
  private readonly answerCost = new Map<
    BucketKey,
    { used: number; resetsAt: number; seenAt: number; cost: number | undefined }
  >();

  /** Which bucket each working session is on, so a move takes it off the old one. */
  private readonly sessionBucket = new Map<string, BucketKey>();
  /** Requests placed so far (the clock `working` is measured on). */
  private placed = 0;
  /** Per bucket, requests placed on it whose attempt is not over: their cost is not in any reading yet. */
  private readonly inFlight = new Map<BucketKey, number>();

  constructor(private readonly quota: QuotaStore | undefined) {}

  /** Notes that a request was placed on `key`; `settled` when its attempt is over. */
  sent(key: BucketKey): void {
    this.inFlight.set(key, (this.inFlight.get(key) ?? 0) + 1);
  }

  settled(key: BucketKey): void {
    const count = (this.inFlight.get(key) ?? 0) - 1;
    if (count > 0) this.inFlight.set(key, count);
    else this.inFlight.delete(key);
  }

  /** Notes that `session` works on `key` now. */
  working(key: BucketKey, session: string): void {
    this.placed += 1;
    const previous = this.sessionBucket.get(session);
    if (previous !== undefined && previous !== key) this.workingOn.get(previous)?.delete(session);
    this.sessionBucket.set(session, key);
    let sessions = this.workingOn.get(key);
    if (sessions === undefined) {
      sessions = new Map();
      this.workingOn.set(key, sessions);
    }
    sessions.delete(session);
    sessions.set(session, this.placed);
  }

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
      // A bucket never heard from is tried by one session; the others wait for its first answer.
      const probing = !standing.known && this.workingCount(target.key) > 0;
      // Under the threshold, what the sessions working on a bucket will ask spreads new sessions.
      // Past it (the pool's end) a bucket is worth the answers it has left beyond those already on
      // their way to it: counted in answers, not shares, so that a big bucket's last percent is not
      // taken for a tie with a small bucket's last answer.
      const cost = below ? undefined : this.costOf(target.key, standing);
      const room = below
        ? standing.headroom - this.spokenFor(target.key, standing)
        : cost === undefined
          ? standing.headroom
          : (standing.headroom - (this.inFlight.get(target.key) ?? 0) * cost) / cost;
      const expected = probing
        ? { ...standing, known: true, headroom: Number.NEGATIVE_INFINITY }
        : { ...standing, headroom: room };
      if (best === undefined || better({ standing: expected, below }, best))
        best = { target, standing: expected, below };
    }
    return best?.target;
  }

  /** The share of a bucket its working sessions are expected to spend still. */
  private spokenFor(key: BucketKey, standing: Standing): number {
    const cost = this.costOf(key, standing);
    return cost === undefined ? 0 : this.workingCount(key) * answersAheadPerSession * cost;
  }

  /** Sessions that asked of the bucket lately (older ones are forgotten as they are met). */
  private workingCount(key: BucketKey): number {
    const sessions = this.workingOn.get(key);
    if (sessions === undefined) return 0;
    let count = 0;
    for (const [session, at] of sessions) {
      if (this.placed - at <= workingWithinRequests) count += 1;
      else {
        sessions.delete(session);
        if (this.sessionBucket.get(session) === key) this.sessionBucket.delete(session);
      }
    }
    return count;
  }

  /** One answer's share of the bucket's binding window, from the rises seen between readings. */
  private costOf(key: BucketKey, standing: Standing): number | undefined {
    const quota = this.quota?.get(key);
    if (quota === undefined) return undefined;
    let seenAt = 0;
    for (const window of Object.values(quota.windows)) seenAt = Math.max(seenAt, window.seenAt);
    const known = this.answerCost.get(key);
    if (known === undefined) {
      this.answerCost.set(key, { used: standing.used, resetsAt: standing.resetsAt, seenAt, cost: undefined });
      return undefined;
    }
    if (seenAt > known.seenAt) {
      // Only a rise within one cycle of one window is what answers cost: across a reset, or from a
      // window that had ended to the next binding one, the share jumps by much more than one answer.
      const sameCycle = Number.isFinite(standing.resetsAt) && standing.resetsAt === known.resetsAt;
      const rise = standing.used - known.used;
      if (sameCycle && rise > 0 && (known.cost === undefined || rise < known.cost)) known.cost = rise;
      known.used = standing.used;
      known.resetsAt = standing.resetsAt;
      known.seenAt = seenAt;
    }
    return known.cost;
  }
}

/**
 * Below the threshold first, then a bucket not heard from yet (its windows are learnt from its first
 * answer), then the most headroom (past the threshold: the most answers left beyond those in flight),
 * a tie going to the soonest reset (earlier targets win ties).
 */
function better(
  candidate: { standing: Standing; below: boolean },
  best: { standing: Standing; below: boolean },
): boolean {
  if (candidate.below !== best.below) return candidate.below;
  if (candidate.standing.known !== best.standing.known) return !candidate.standing.known;
  const difference = candidate.standing.headroom - best.standing.headroom;
  // Past the threshold headroom is counted in answers left: only an exact tie goes to the soonest reset.
  if (Math.abs(difference) > (candidate.below ? tieMargin : 0)) return difference > 0;
  return candidate.standing.resetsAt < best.standing.resetsAt;
}
