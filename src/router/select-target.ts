import type { BucketKey } from '../core/types.js';
import type { Chain, Target } from '../profiles/types.js';
import { type BucketStateStore, isSelectable, selectableFrom } from '../state/bucket-state-store.js';
import { ChangeLog } from '../state/change-log.js';
import type { QuotaStore } from '../state/quota-store.js';
import { SessionAffinity, type SessionStickiness } from '../state/session-affinity.js';
import { BalanceSelection, pastThreshold } from './balance-selection.js';
import { ReadyTimes } from './ready-times.js';

/** What selection remembers per chain: the round-robin cursor, stickiness, and when each bucket may be taken. */
export interface ChainMemory {
  cursor: number;
  affinity: SessionStickiness;
  /** Failover: built at the chain's first walk, then kept up to date one changed bucket at a time. */
  readiness: ChainReadiness | undefined;
}

/** A failover chain's ready times, as of the state store's and the checks' versions it has seen. */
interface ChainReadiness {
  times: ReadyTimes;
  /** Where each bucket stands in the chain (a bucket listed twice stands at two positions). */
  positions: Map<BucketKey, number[]>;
  stateVersion: number;
  checksVersion: number;
}

/**
 * One request's way through its chain. Each `next` goes on from where the last one stopped, so a
 * request looks at each bucket at most once however many it tries: choosing costs linear time in
 * the chain per request, not per attempt (a 20,000-bucket chain of buckets needing login cost
 * 20,000 x 20,000 state reads when every attempt scanned from the top).
 */
export interface ChainWalk {
  /** The next bucket to try, or undefined when none is left for this request. */
  next(now: number): Target | undefined;
  /** Call when the attempt on `target` is over: a bucket this request was checking is free for others again. */
  finished(target: Target): void;
}

/**
 * Picks the buckets for a request's attempts. Failover takes the selectable buckets in priority
 * order (so traffic returns to the primary once its reset passes); round robin rotates across
 * the selectable ones, optionally keeping a client session on one bucket. A bucket due for a
 * re-check (needing login, or resting after failures, whose time has come) goes to one request at
 * a time, its probe: the others pass it by while that request checks it.
 */
export class TargetSelector {
  private readonly memory = new WeakMap<Chain, ChainMemory>();
  /** Buckets some request is re-checking now. */
  private readonly checking = new Set<BucketKey>();
  /** Which buckets went into or out of `checking`, so each chain's ready times follow. */
  private readonly checks = new ChangeLog<BucketKey>();
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
   * Starts one request's walk through `chain`. `excluded` leaves out buckets that cannot take this
   * request though they are ready (a model window spent for the request's model family).
   */
  walk(
    chain: Chain,
    sessionKey: string | undefined,
    excluded?: (target: Target) => boolean,
    clientModel?: string,
  ): ChainWalk {
    return new Walk(this, chain, this.memoryOf(chain), sessionKey, excluded, clientModel);
  }

  /**
   * `balance`: the session's bucket while it is available and under the threshold, else the
   * available bucket with the most headroom (ties to the soonest reset), remembered for the session.
   * It weighs every bucket of the chain at each attempt: balance chains are a team's few accounts.
   */
  balanced(
    chain: Chain,
    memory: ChainMemory,
    now: number,
    passed: (target: Target) => boolean,
    sessionKey: string | undefined,
    clientModel: string | undefined,
  ): Target | undefined {
    const ready = chain.targets.filter((target) => !passed(target) && this.available(target.key, now));
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

  /** Whether a request may take the bucket now: selectable, and not being re-checked by another request. */
  /** Balance: a request is on its way to `key` (`balanceSettled` when its attempt is over). */
  balanceSent(key: BucketKey): void {
    this.balance.sent(key);
  }

  balanceSettled(key: BucketKey): void {
    this.balance.settled(key);
  }

  available(key: BucketKey, now: number): boolean {
    return isSelectable(this.states.get(key), now) && !this.checking.has(key);
  }

  /** A bucket due for a re-check is held by the request that takes it; a ready one is shared. */
  take(key: BucketKey): boolean {
    const state = this.states.get(key);
    if (state === undefined || (state.status !== 'needs-login' && state.status !== 'resting')) return false;
    this.checking.add(key);
    this.checks.record(key);
    return true;
  }

  release(key: BucketKey): void {
    if (this.checking.delete(key)) this.checks.record(key);
  }

  /**
   * The first available target from `from` on. A chain of 1,000 buckets with 999 cooling must not
   * scan 999 states per request, nor a chain of 10,000 whose re-checks come one after another
   * rescan it after each: the chain's ready times follow each change of one bucket.
   */
  firstReady(chain: Chain, memory: ChainMemory, now: number, from: number): number {
    return this.readinessOf(chain, memory).times.firstReady(from, now);
  }

  /** The chain's ready times, brought up to date with the buckets changed since they were last read. */
  private readinessOf(chain: Chain, memory: ChainMemory): ChainReadiness {
    const readiness = memory.readiness;
    if (readiness === undefined) return this.rebuilt(chain, memory);
    const stateVersion = this.states.version;
    const checksVersion = this.checks.version;
    if (readiness.stateVersion === stateVersion && readiness.checksVersion === checksVersion) return readiness;
    const changedStates = this.states.changedSince(readiness.stateVersion);
    const changedChecks = this.checks.since(readiness.checksVersion);
    // Too much changed since this chain was last walked to follow it change by change.
    if (changedStates === undefined || changedChecks === undefined) return this.rebuilt(chain, memory);
    const changed = new Set([...changedStates, ...changedChecks]);
    for (const key of changed) {
      const positions = readiness.positions.get(key);
      if (positions === undefined) continue;
      const from = this.selectableFrom(key);
      for (const position of positions) readiness.times.set(position, from);
    }
    readiness.stateVersion = stateVersion;
    readiness.checksVersion = checksVersion;
    return readiness;
  }

  /** Every bucket's ready time read afresh. */
  private rebuilt(chain: Chain, memory: ChainMemory): ChainReadiness {
    const targets = chain.targets;
    const times = new ReadyTimes(targets.length);
    const positions = new Map<BucketKey, number[]>();
    for (let position = 0; position < targets.length; position += 1) {
      const key = targets[position]!.key;
      const known = positions.get(key);
      if (known === undefined) positions.set(key, [position]);
      else known.push(position);
      times.set(position, this.selectableFrom(key));
    }
    memory.readiness = { times, positions, stateVersion: this.states.version, checksVersion: this.checks.version };
    return memory.readiness;
  }

  /** From when a request may take the bucket: never while another request is re-checking it. */
  private selectableFrom(key: BucketKey): number {
    return this.checking.has(key) ? Number.POSITIVE_INFINITY : selectableFrom(this.states.get(key));
  }

  private memoryOf(chain: Chain): ChainMemory {
    let memory = this.memory.get(chain);
    if (!memory) {
      memory = { cursor: 0, affinity: this.sessions?.(chain.name) ?? new SessionAffinity(), readiness: undefined };
      this.memory.set(chain, memory);
    }
    return memory;
  }
}

/** The position of one request in its chain: failover goes down the list once, round robin around it once. */
class Walk implements ChainWalk {
  /** Failover: the next index to look at. Round robin: how many positions after the start were looked at. */
  private position = 0;
  /** Round robin: where this request's turn began (the chain's cursor when it started). */
  private start = -1;
  /** The session's bucket, tried first, and so passed by later. */
  private stuck: BucketKey | undefined;
  private stuckLooked = false;
  /** Balance: the buckets this request has tried (it weighs the whole chain at each attempt). */
  private readonly tried = new Set<BucketKey>();
  /** Balance: the buckets this request's attempts are on now, counted in flight until `finished`. */
  private readonly inFlight = new Set<BucketKey>();

  constructor(
    private readonly selector: TargetSelector,
    private readonly chain: Chain,
    private readonly memory: ChainMemory,
    private readonly sessionKey: string | undefined,
    private readonly excluded: ((target: Target) => boolean) | undefined,
    private readonly clientModel: string | undefined,
  ) {}

  next(now: number): Target | undefined {
    if (this.chain.policy === 'balance') {
      const passed = (target: Target) => this.tried.has(target.key) || this.excluded?.(target) === true;
      const chosen = this.selector.balanced(this.chain, this.memory, now, passed, this.sessionKey, this.clientModel);
      if (chosen) {
        this.tried.add(chosen.key);
        this.selector.balanceSent(chosen.key);
        this.inFlight.add(chosen.key);
      }
      return chosen && this.taken(chosen);
    }
    const sticky = this.chain.sticky && this.sessionKey !== undefined;
    if (sticky && !this.stuckLooked) {
      this.stuckLooked = true;
      const target = this.stuckTarget(now);
      if (target) return target;
    }
    const chosen = this.chain.policy === 'roundrobin' ? this.nextInRotation(now) : this.nextInOrder(now);
    if (chosen && sticky) this.memory.affinity.set(this.sessionKey!, chosen.key);
    return chosen;
  }

  finished(target: Target): void {
    this.selector.release(target.key);
    if (this.inFlight.delete(target.key)) this.selector.balanceSettled(target.key);
  }

  private stuckTarget(now: number): Target | undefined {
    const key = this.memory.affinity.get(this.sessionKey!);
    if (key === undefined || !this.selector.available(key, now)) return undefined;
    const target = this.chain.targets.find((candidate) => candidate.key === key);
    if (!target || this.excluded?.(target) === true) return undefined;
    this.stuck = key;
    return this.taken(target);
  }

  private nextInOrder(now: number): Target | undefined {
    const targets = this.chain.targets;
    for (;;) {
      const index = this.selector.firstReady(this.chain, this.memory, now, this.position);
      if (index >= targets.length) {
        this.position = targets.length;
        return undefined;
      }
      this.position = index + 1;
      const target = targets[index]!;
      if (target.key !== this.stuck && this.excluded?.(target) !== true) return this.taken(target);
    }
  }

  private nextInRotation(now: number): Target | undefined {
    const targets = this.chain.targets;
    const count = targets.length;
    if (this.start === -1) this.start = this.memory.cursor % count;
    while (this.position < count) {
      const index = (this.start + this.position) % count;
      this.position += 1;
      const target = targets[index]!;
      if (target.key === this.stuck || this.excluded?.(target) === true || !this.selector.available(target.key, now))
        continue;
      this.memory.cursor = (index + 1) % count;
      return this.taken(target);
    }
    return undefined;
  }

  private taken(target: Target): Target {
    this.selector.take(target.key);
    return target;
  }
}
