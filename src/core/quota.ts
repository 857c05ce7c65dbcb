/**
 * How a provider answers on a window: `allowed`, `allowed_warning` (near its limit) or `rejected`
 * (spent until its reset). Providers without a status of their own get one from the used share.
 */
export type QuotaStatus = 'allowed' | 'allowed_warning' | 'rejected';

/** One usage window of a bucket as the provider last described it (`5h`, `7d`, `7d_opus`, Codex's by length). */
export interface QuotaWindow {
  /** Used share, 0-1; undefined when the provider gave only a status. */
  used?: number;
  status?: QuotaStatus;
  /** Unix ms when the window resets. */
  resetsAt?: number;
  /**
   * The model family this window limits alone (`opus` for `7d_opus`); undefined for a window the whole account
   * shares.
   */
  family?: string;
  /** Unix ms of the answer that said this. */
  seenAt: number;
  /** The used share at the first reading of the window's current cycle, for the rate it is spent at. */
  firstUsed?: number;
  /** When that first reading was seen (Unix ms). */
  firstSeenAt?: number;
}

/** Extra usage billed beyond the subscription (Anthropic's overage): shown, never read as spent. */
export interface QuotaOverage {
  status: string;
  resetsAt?: number;
  seenAt: number;
}

/** Everything answers said about one bucket's quota. */
export interface BucketQuota {
  windows: Record<string, QuotaWindow>;
  overage?: QuotaOverage;
  /** The window the provider says binds now (Anthropic's representative claim, e.g. `five_hour`). */
  representativeClaim?: string;
}

/** What one answer says about quota, before it is stamped with the time it was seen. */
export interface QuotaReading {
  windows: Record<string, Omit<QuotaWindow, 'seenAt'>>;
  overage?: Omit<QuotaOverage, 'seenAt'>;
  representativeClaim?: string;
}

/** The window as it stands at `now`: past its reset, it starts again empty. */
export function currentWindow(window: QuotaWindow, now: number): QuotaWindow {
  if (window.resetsAt === undefined || window.resetsAt > now) return window;
  return { ...window, used: 0, status: 'allowed' };
}

/** The model family a model name belongs to, for model-only windows (`claude-opus-4-1` -> `opus`). */
export function modelFamilyOf(model: string | undefined): string | undefined {
  if (model === undefined) return undefined;
  const lower = model.toLowerCase();
  for (const family of knownFamilies) if (lower.includes(family)) return family;
  return undefined;
}

const knownFamilies = ['opus', 'sonnet', 'haiku'] as const;
