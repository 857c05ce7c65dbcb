import type { BucketKey, Clock } from '../core/types.js';
import { type BucketAvailability, renderExhausted } from '../formats/index.js';
import type { Chain, Target } from '../profiles/types.js';
import { type BucketStateStore, effectiveState } from '../state/bucket-state-store.js';
import { type AttemptOutcome, renderCauses, renderTrail, renderTrailHeader } from './attempt-outcome.js';
import type { ProxyRequest } from './proxy-request.js';
import { writeError, writeWhole } from './response-writer.js';

/** What the "nothing left" answer reads: bucket states, the time, and what the router learnt of unusable buckets. */
export interface NothingLeftSources {
  states: BucketStateStore;
  clock: Clock;
  /** The fix for each bucket needing login, when the router knows better than "log in". */
  needsLoginAdvice: ReadonlyMap<BucketKey, string>;
  /** OAuth buckets whose provider is turned off (`switchyard auth <provider> disable`). */
  disabled: ReadonlySet<BucketKey>;
  /** Buckets paused by hand (`switchyard bucket pause`): passed over until resumed. */
  paused?: { has(key: BucketKey): boolean } | undefined;
}

/** How one bucket of the chain stands when nothing answered. */
interface Standing {
  target: Target;
  /** `disabled` (its provider's OAuth is turned off) and `paused`: nothing but the user brings it back. */
  state: BucketAvailability['state'];
  availableAt: number | undefined;
  advice: string | undefined;
}

/**
 * Nothing answered. When some bucket comes back by itself: the exhausted answer (429,
 * Retry-After). When none does (each needs a login, has no key, or its provider is disabled):
 * 503 `no_usable_bucket`, naming the fix. When buckets failed while others are still ready: 502.
 */
export function answerWhenNothingIsLeft(
  request: ProxyRequest,
  chain: Chain,
  trail: readonly AttemptOutcome[],
  lastFailure: string | undefined,
  sources: NothingLeftSources,
): void {
  const now = sources.clock.now();
  const standings = chain.targets.map((target) => standingOf(target, now, sources));
  // A bucket this request has just put to rest failed it too: the answer is the failure's.
  const failedOrReady = (standing: Standing) => standing.state === 'ready' || standing.state === 'resting';
  if (lastFailure !== undefined && standings.some(failedOrReady)) {
    writeError(
      request.response,
      request.format,
      {
        status: 502,
        message:
          `Every bucket that could serve this request failed (attempts: ${renderTrail(trail, ', ')}).` +
          causesSentence(trail),
        code: 'upstream_failed',
      },
      {},
      trail,
    );
    return;
  }
  if (standings.every(needsPerson)) {
    const fixes = fixesFor(standings);
    writeError(
      request.response,
      request.format,
      {
        status: 503,
        message: `No bucket of profile "${chain.name}" can serve, and none comes back by itself: ${fixes}`,
        code: 'no_usable_bucket',
        details: {
          buckets: standings.map((standing) => ({
            key: standing.target.key,
            state: standing.state,
            availableAt: null,
          })),
        },
      },
      {},
      trail,
    );
    return;
  }
  if (standings.some((standing) => standing.state === 'resting') && !standings.some(resetsByItself)) {
    answerResting(request, chain, trail, standings, now);
    return;
  }
  // A disabled bucket beside others that reset is listed as disabled, with its fix in the message.
  const availability: BucketAvailability[] = standings.map((standing) => ({
    key: standing.target.key,
    state: standing.state,
    availableAt: standing.availableAt,
    ...(standing.advice === undefined ? {} : { advice: standing.advice }),
  }));
  const exhausted = renderExhausted(request.format, availability, now);
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'x-switchyard-attempts': renderTrailHeader(trail),
  };
  if (exhausted.retryAfterSeconds !== undefined) headers['retry-after'] = String(exhausted.retryAfterSeconds);
  writeWhole(request.response, exhausted.status, headers, exhausted.body);
}

/** Only a person brings it back: a login, its provider enabled, or a resume. */
function needsPerson(standing: Standing): boolean {
  return standing.state === 'needs-login' || standing.state === 'disabled' || standing.state === 'paused';
}

/** A bucket resting after a 429, a 402 or a spent quota: the exhausted answer speaks of these. */
function resetsByItself(standing: Standing): boolean {
  return standing.state === 'cooling' || standing.state === 'exhausted';
}

/**
 * Every bucket that could serve rests after failing again and again (5xx, network, timeouts):
 * 503 with Retry-After to the first probe, not the exhausted 429 (no quota is spent).
 */
function answerResting(
  request: ProxyRequest,
  chain: Chain,
  trail: readonly AttemptOutcome[],
  standings: readonly Standing[],
  now: number,
): void {
  const resting = standings.filter((standing) => standing.state === 'resting');
  const probeAt = Math.min(...resting.map((standing) => standing.availableAt ?? now));
  const retryAfterSeconds = Math.max(1, Math.ceil((probeAt - now) / 1000));
  const others = standings.filter((standing) => standing.state !== 'resting');
  const fixes = others.length > 0 ? ` ${fixesFor(others)}` : '';
  writeError(
    request.response,
    request.format,
    {
      status: 503,
      message:
        `Every bucket of profile "${chain.name}" that could serve is resting after failing again and ` +
        `again (5xx, network errors or timeouts); the next try is at ${new Date(probeAt).toISOString()} ` +
        `(in ${retryAfterSeconds} s).${fixes}`,
      code: 'buckets_resting',
      details: {
        buckets: standings.map((standing) => ({
          key: standing.target.key,
          state: standing.state,
          availableAt: standing.availableAt === undefined ? null : new Date(standing.availableAt).toISOString(),
        })),
      },
    },
    { 'retry-after': String(retryAfterSeconds) },
    trail,
  );
}

function standingOf(
  target: Target,
  now: number,
  { states, needsLoginAdvice, disabled, paused }: NothingLeftSources,
): Standing {
  if (disabled.has(target.key))
    return { target, state: 'disabled', availableAt: undefined, advice: enableAdvice([target]) };
  if (paused?.has(target.key))
    return { target, state: 'paused', availableAt: undefined, advice: resumeAdvice([target]) };
  const state = effectiveState(states.get(target.key), now);
  if (state.status === 'needs-login')
    return { target, state: state.status, availableAt: undefined, advice: needsLoginAdvice.get(target.key) };
  return { target, state: state.status, availableAt: state.until, advice: undefined };
}

/** `anthropic/a and anthropic/b are disabled ...; run: switchyard auth anthropic enable, ...` for one provider. */
function enableAdvice(targets: readonly Target[]): string {
  const keys = targets.map((target) => target.key);
  const names = keys.length === 1 ? `${keys[0]} is` : `${keys.slice(0, -1).join(', ')} and ${keys.at(-1)} are`;
  const provider = targets[0]!.provider;
  const fix = `switchyard auth ${provider} enable`;
  return `${names} disabled (OAuth of ${provider} is turned off); run: ${fix}.`;
}

/** `anthropic/a is paused by hand; resume it with: switchyard bucket resume anthropic/a (or POST ...).` */
function resumeAdvice(targets: readonly Target[]): string {
  const keys = targets.map((target) => target.key);
  const names = keys.length === 1 ? `${keys[0]} is` : `${keys.slice(0, -1).join(', ')} and ${keys.at(-1)} are`;
  const commands = keys.map((key) => `switchyard bucket resume ${key}`).join(', or ');
  return `${names} paused by hand; resume with: ${commands} (or POST /buckets/${keys[0]}/resume).`;
}

/** One sentence per fix: the paused buckets, each disabled provider once, then each bucket that needs a login. */
function fixesFor(standings: readonly Standing[]): string {
  const disabledByProvider = new Map<string, Target[]>();
  const paused = standings.filter((standing) => standing.state === 'paused').map((standing) => standing.target);
  const fixes: string[] = paused.length > 0 ? [resumeAdvice(paused)] : [];
  for (const standing of standings) {
    const { target } = standing;
    if (standing.state === 'paused') continue;
    if (standing.state === 'disabled') {
      const targets = disabledByProvider.get(target.provider);
      if (targets) targets.push(target);
      else disabledByProvider.set(target.provider, [target]);
    } else {
      fixes.push(
        standing.advice ??
          `${target.key} needs a new login; run: switchyard auth ${target.provider} login ${target.bucket}.`,
      );
    }
  }
  return [...[...disabledByProvider.values()].map(enableAdvice), ...new Set(fixes)].join(' ');
}

/** ` Network errors: anthropic/a ECONNREFUSED 127.0.0.1:9000.`, or nothing when no attempt failed to connect. */
function causesSentence(trail: readonly AttemptOutcome[]): string {
  const causes = renderCauses(trail);
  return causes === '' ? '' : ` Network errors: ${causes}.`;
}
