import type { OverageView, PoolWindow, WindowView } from '../state/quota-summary.js';

/** Time until a reset as people say it: `45 s`, `12 min`, `2 h 10 min`, `3 d`. */
export function describeUntil(then: number, now: number): string {
  const seconds = Math.max(0, Math.round((then - now) / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  if (minutes < 48 * 60) {
    const hours = Math.floor(minutes / 60);
    const rest = minutes % 60;
    return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
  }
  return `${Math.round(minutes / 1440)} d`;
}

function percent(share: number): string {
  return `${Math.round(share * 100)} %`;
}

/** A reset as a UTC minute, short enough for a line. */
function utcMinute(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

/** One window: `5h 42 % (2 h 10 min)`, a spent one `7d_opus 100 % until 2026-11-26 10:00 UTC (3 d)`. */
function windowText(window: WindowView, now: number): string {
  const share = window.used === null ? (window.status ?? 'seen') : percent(window.used);
  if (window.resetsAt === null) return `${window.name} ${share}`;
  const reset = Date.parse(window.resetsAt);
  if (window.status === 'rejected')
    return `${window.name} ${share} until ${utcMinute(window.resetsAt)} (${describeUntil(reset, now)})`;
  return `${window.name} ${share} (${describeUntil(reset, now)})`;
}

/**
 * Every window of a bucket on one line, joined by ` · `, then extra usage (billed, never spent);
 * empty when no answer described any.
 */
export function windowsText(windows: readonly WindowView[], overage: OverageView | null, now: number): string {
  const parts = windows.map((window) => windowText(window, now));
  if (overage !== null) parts.push(`overage ${overage.status}`);
  return parts.join(' · ');
}

/** `stats quota`: per provider and window, the pool's share used, spent buckets, next reset, and when it runs dry. */
export function formatPoolQuota(pool: readonly PoolWindow[], now: number): string {
  const lines = ['Quota by provider and window:'];
  if (pool.length === 0) lines.push('  (no answer has described a usage window yet)');
  for (const window of pool) {
    const parts = [
      `${window.buckets} bucket${window.buckets === 1 ? '' : 's'}`,
      `${percent(window.used)} used`,
      `${window.rejected} spent`,
    ];
    if (window.warning > 0) parts.push(`${window.warning} near the limit`);
    if (window.nextResetAt !== null) parts.push(`next reset in ${describeUntil(Date.parse(window.nextResetAt), now)}`);
    parts.push(
      window.runsDryAt === null
        ? 'not running dry at the current rate'
        : `runs dry in ${describeUntil(Date.parse(window.runsDryAt), now)} at the current rate`,
    );
    lines.push(`  ${window.provider} ${window.window}: ${parts.join(', ')}`);
  }
  return `${lines.join('\n')}\n`;
}
