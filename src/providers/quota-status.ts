import type { QuotaStatus } from '../core/quota.js';

const statuses: ReadonlySet<string> = new Set(['allowed', 'allowed_warning', 'rejected']);

/** A provider's window status text, when it is one switchyard knows. */
export function quotaStatusOf(text: string | undefined): QuotaStatus | undefined {
  const trimmed = text?.trim();
  return trimmed !== undefined && statuses.has(trimmed) ? (trimmed as QuotaStatus) : undefined;
}

/** Share of a window at which a provider without statuses is taken to warn, as Anthropic's warning comes near it. */
export const warningShare = 0.9;

/** A status for a provider that gives only the used share. */
export function statusFromShare(used: number, spent: boolean): QuotaStatus {
  if (spent || used >= 1) return 'rejected';
  return used >= warningShare ? 'allowed_warning' : 'allowed';
}
