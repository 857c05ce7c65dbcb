import { windowNameOfMinutes } from '../providers/window-name.js';
import type { SimulatorClock, Step, UsageWindowsOptions } from './types.js';

/** One usage window of a simulated account, as the provider keeps it. */
interface WindowState {
  name: string;
  /** The window's length as the provider names it (5 hours, 7 days), whatever the time scale. */
  nominalMs: number;
  /** Its length on the wall clock: the nominal length divided by the time scale. */
  lengthMs: number;
  capacity: number;
  family: string | undefined;
  used: number;
  /** Unix ms; the window starts again empty at its end. */
  resetsAt: number;
}

/** The share at which Anthropic answers `allowed_warning` (it warns before the wall). */
const warningShare = 0.9;

/**
 * An account's usage windows, the way subscriptions meter them: each answer spends `cost` in every
 * window that applies (shared windows, and the model family's own), a full window refuses with a
 * 429 until its end, and every answer carries the provider's headers saying how much is used.
 * With a time scale of N, windows pass N times faster than the wall clock (3600: a 5-hour window
 * lasts 5 s), so tests and the demo see resets in seconds; the reset times in the headers are
 * wall-clock times, as the router reads them.
 */
export class UsageWindows {
  private readonly windows: WindowState[];

  constructor(
    private readonly options: UsageWindowsOptions,
    private readonly clock: SimulatorClock,
    private readonly timeScale = 1,
  ) {
    const now = clock.now();
    this.windows = options.windows.map((window) => ({
      name:
        window.family === undefined
          ? windowNameOfMinutes(window.seconds / 60)
          : `${windowNameOfMinutes(window.seconds / 60)}_${window.family}`,
      nominalMs: window.seconds * 1000,
      lengthMs: (window.seconds * 1000) / timeScale,
      capacity: window.capacity,
      family: window.family,
      used: window.used ?? 0,
      resetsAt: now + ((window.resetInSeconds ?? window.seconds) * 1000) / timeScale,
    }));
  }

  /** Moves every window `seconds` of the account's (scaled) time on: those whose end passes start again empty. */
  advance(seconds: number): void {
    for (const window of this.windows) window.resetsAt -= (seconds * 1000) / this.timeScale;
    this.renew(this.clock.now());
  }

  /** Windows past their end start again, empty, as long as before. */
  private renew(now: number): void {
    for (const window of this.windows) {
      if (window.resetsAt > now) continue;
      const periods = Math.ceil((now - window.resetsAt + 1) / window.lengthMs);
      window.resetsAt += periods * window.lengthMs;
      window.used = 0;
    }
  }

  /** The answer to one request for `model`: the step with the provider's headers, or the 429 of a full window. */
  stepFor(step: Step, model: string | undefined): Step {
    if (step.kind !== 'ok') return step;
    const now = this.clock.now();
    this.renew(now);
    const lower = model?.toLowerCase() ?? '';
    const applying = this.windows.filter((window) => window.family === undefined || lower.includes(window.family));
    const cost = this.options.cost ?? 1;
    const full = applying.filter((window) => window.used + cost > window.capacity);
    if (full.length > 0) {
      const resetsAt = Math.max(...full.map((window) => window.resetsAt));
      return {
        kind: 'rate-limit',
        style: this.options.style === 'codex' ? 'codex' : 'none',
        resetSeconds: Math.max(0, (resetsAt - now) / 1000),
        quota: true,
        headers: this.headers(now, new Set(full)),
      };
    }
    for (const window of applying) window.used += cost;
    return { ...step, headers: { ...this.headers(now, new Set()), ...step.headers } };
  }

  /** Used share and remaining capacity of each window, for tests and the demo. */
  snapshot(): { name: string; used: number; capacity: number; resetsAt: number }[] {
    this.renew(this.clock.now());
    return this.windows.map(({ name, used, capacity, resetsAt }) => ({ name, used, capacity, resetsAt }));
  }

  private headers(now: number, rejected: ReadonlySet<WindowState>): Record<string, string> {
    switch (this.options.style) {
      case 'anthropic':
        return this.anthropicHeaders(rejected);
      case 'codex':
        return this.codexHeaders(now);
      case 'openai':
        return this.openaiHeaders(now);
    }
  }

  /** @see https://docs.anthropic.com/en/api/rate-limits#response-headers */
  private anthropicHeaders(rejected: ReadonlySet<WindowState>): Record<string, string> {
    const headers: Record<string, string> = {};
    let overall: 'allowed' | 'allowed_warning' | 'rejected' = 'allowed';
    let binding: WindowState | undefined;
    for (const window of this.windows) {
      const share = Math.min(1, window.used / window.capacity);
      const status = rejected.has(window) ? 'rejected' : share >= warningShare ? 'allowed_warning' : 'allowed';
      const prefix = `anthropic-ratelimit-unified-${window.name}`;
      headers[`${prefix}-status`] = status;
      headers[`${prefix}-reset`] = String(Math.ceil(window.resetsAt / 1000));
      headers[`${prefix}-utilization`] = share.toFixed(4);
      if (status === 'rejected' || (status === 'allowed_warning' && overall === 'allowed')) overall = status;
      if (binding === undefined || share > Math.min(1, binding.used / binding.capacity)) binding = window;
    }
    headers['anthropic-ratelimit-unified-status'] = overall;
    if (binding !== undefined) {
      headers['anthropic-ratelimit-unified-reset'] = String(Math.ceil(binding.resetsAt / 1000));
      headers['anthropic-ratelimit-unified-representative-claim'] = claimOf(binding);
    }
    return headers;
  }

  /** Primary: the shortest shared window; secondary: the next. @see codex-rs/codex-api/src/rate_limits.rs */
  private codexHeaders(now: number): Record<string, string> {
    const shared = this.windows
      .filter((window) => window.family === undefined)
      .sort((a, b) => a.nominalMs - b.nominalMs);
    const headers: Record<string, string> = {};
    shared.slice(0, 2).forEach((window, index) => {
      const prefix = index === 0 ? 'x-codex-primary' : 'x-codex-secondary';
      headers[`${prefix}-used-percent`] = String(
        Math.min(100, Math.round((window.used / window.capacity) * 1000) / 10),
      );
      headers[`${prefix}-window-minutes`] = String(Math.round(window.nominalMs / 60_000));
      headers[`${prefix}-reset-after-seconds`] = String(Math.max(0, Math.ceil((window.resetsAt - now) / 1000)));
      headers[`${prefix}-reset-at`] = String(Math.ceil(window.resetsAt / 1000));
    });
    return headers;
  }

  /** The first shared window as OpenAI's request limit. @see https://platform.openai.com/docs/guides/rate-limits */
  private openaiHeaders(now: number): Record<string, string> {
    const window = this.windows.find((candidate) => candidate.family === undefined);
    if (window === undefined) return {};
    const seconds = Math.max(0, Math.ceil((window.resetsAt - now) / 1000));
    return {
      'x-ratelimit-limit-requests': String(window.capacity),
      'x-ratelimit-remaining-requests': String(Math.max(0, window.capacity - window.used)),
      'x-ratelimit-reset-requests': `${seconds}s`,
    };
  }
}

/** Anthropic's name for the window that binds (`five_hour`, `seven_day`, `seven_day_opus`). */
function claimOf(window: WindowState): string {
  const days = window.nominalMs / 86_400_000;
  const length =
    days >= 1
      ? days === 7
        ? 'seven_day'
        : `${days}_day`
      : window.nominalMs === 18_000_000
        ? 'five_hour'
        : window.name;
  return window.family === undefined ? length : `${length}_${window.family}`;
}
