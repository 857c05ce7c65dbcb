import type { BucketKey } from '../core/types.js';
import type { Chain, Target } from '../profiles/types.js';
import { type BucketStateStore, isSelectable } from '../state/bucket-state-store.js';
import type { QuotaStore } from '../state/quota-store.js';
import { SessionAffinity, type SessionStickiness } from '../state/session-affinity.js';
import { BalanceSelection, pastThreshold } from './balance-selection.js';

/** What selection remembers per chain: the round-robin cursor, stickiness, and a failover cache. */
interface ChainMemory {
  cursor: number;
  affinity: SessionStickiness;
  /** Index of the first selectable target, valid while the states are unchanged and before `validUntil`. */
  firstReady: { index: number; version: number; validUntil: number } | undefined;
}

/**
 * Picks the bucket for the next attempt. Failover takes the first selectable bucket in priority
 * order (so traffic returns to the primary once its reset passes); round robin rotates across the
 * selectable ones, optionally keeping a client session on one bucket.
 */
export class TargetSelector {
  private readonly memory = new WeakMap<Chain, ChainMemory>();
  private readonly balance: BalanceSelection;

  /** `sessions` gives a chain its stickiness (shared in cluster mode); default: this process's memory. */
  constructor(
    private readonly states: BucketStateStore,
    private readonly sessions?: (chain: string) => SessionStickiness,
    quota?: QuotaStore,
  ) {
    this.balance = new BalanceSelection(quota);
  }

  /**
   * `excluded` leaves out buckets that cannot take this request though they are ready (a model window spent for the
   * request's model family).
   */
  select(
    chain: Chain,
    now: number,
    tried: readonly BucketKey[],
    sessionKey: string | undefined,
    excluded?: (target: Target) => boolean,
    clientModel?: string,
  ): Target | undefined {
    const memory = this.memoryOf(chain);
    const passed = (target: Target) => tried.includes(target.key) || excluded?.(target) === true;
    if (chain.policy === 'balance') return this.balanced(chain, memory, now, passed, sessionKey, clientModel);
    if (chain.sticky && sessionKey !== undefined) {
      const stuck = memory.affinity.get(sessionKey);
      const target = stuck === undefined ? undefined : chain.targets.find((candidate) => candidate.key === stuck);
      if (target && !passed(target) && isSelectable(this.states.get(target.key), now)) return target;
    }
    const chosen =
      chain.policy === 'roundrobin'
        ? this.nextInRotation(chain, memory, now, passed)
        : this.firstReady(chain, memory, now, passed);
    if (chosen && chain.sticky && sessionKey !== undefined) memory.affinity.set(sessionKey, chosen.key);
    return chosen;
  }

  /**
   * `balance`: the session's bucket while it is ready and under the threshold, else the ready
   * bucket with the most headroom (ties to the soonest reset), remembered for the session.
   */
  private balanced(
    chain: Chain,
    memory: ChainMemory,
    now: number,
    passed: (target: Target) => boolean,
    sessionKey: string | undefined,
    clientModel: string | undefined,
  ): Target | undefined {
    const ready = chain.targets.filter((target) => !passed(target) && isSelectable(this.states.get(target.key), now));
    if (ready.length === 0) return undefined;
    const reserve = chain.reserve ?? 0;
    if (sessionKey !== undefined) {
      const stuck = memory.affinity.get(sessionKey);
      const target = stuck === undefined ? undefined : ready.find((candidate) => candidate.key === stuck);
      if (target && !pastThreshold(this.balance.standing(target, clientModel, now, reserve), chain.threshold)) {
        this.balance.working(target.key, sessionKey);
        return target;
      }
    }
    const chosen = this.balance.pick(ready, clientModel, now, { threshold: chain.threshold, reserve });
    if (chosen && sessionKey !== undefined) {
      memory.affinity.set(sessionKey, chosen.key);
      this.balance.working(chosen.key, sessionKey);
    }
    return chosen;
  }

  private memoryOf(chain: Chain): ChainMemory {
    let memory = this.memory.get(chain);
    if (!memory) {
      memory = { cursor: 0, affinity: this.sessions?.(chain.name) ?? new SessionAffinity(), firstReady: undefined };
      this.memory.set(chain, memory);
    }
    return memory;
  }

  private firstReady(
    chain: Chain,
    memory: ChainMemory,
    now: number,
    passed: (target: Target) => boolean,
  ): Target | undefined {
    const targets = chain.targets;
    let start = 0;
    const cached = memory.firstReady;
    // A chain of 1,000 buckets with 999 cooling must not scan 999 states per request.
    if (cached && cached.version === this.states.version && now < cached.validUntil) start = cached.index;
    let validUntil = Number.POSITIVE_INFINITY;
    let firstSelectable = -1;
    for (let index = start; index < targets.length; index += 1) {
      const target = targets[index]!;
      const state = this.states.get(target.key);
      if (!isSelectable(state, now)) {
        if (firstSelectable === -1 && state?.until !== undefined && state.until < validUntil) validUntil = state.until;
        continue;
      }
      if (firstSelectable === -1) {
        firstSelectable = index;
        if (start === 0 || cached === undefined)
          memory.firstReady = { index, version: this.states.version, validUntil };
      }
      if (!passed(target)) return target;
    }
    if (firstSelectable === -1 && start === 0)
      memory.firstReady = { index: targets.length, version: this.states.version, validUntil };
    return undefined;
  }

  private nextInRotation(
    chain: Chain,
    memory: ChainMemory,
    now: number,
    passed: (target: Target) => boolean,
  ): Target | undefined {
    const targets = chain.targets;
    const count = targets.length;
    const start = memory.cursor % count;
    for (let offset = 0; offset < count; offset += 1) {
      const target = targets[(start + offset) % count]!;
      if (passed(target) || !isSelectable(this.states.get(target.key), now)) continue;
      memory.cursor = (start + offset + 1) % count;
      return target;
    }
    return undefined;
  }
}
