import type { ChainEntryView, PoolView, ProfileView } from './pool-view.js';

/** "1:30", "1:02:03": the time left to a reset, as the dashboard shows it. */
export function formatCountdown(seconds: number): string {
  const whole = Math.max(0, Math.ceil(seconds));
  const hours = Math.floor(whole / 3600);
  const minutes = Math.floor((whole % 3600) / 60);
  const rest = String(whole % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${rest}` : `${minutes}:${rest}`;
}

function formatAgo(seconds: number | null): string {
  if (seconds === null) return 'never';
  if (seconds < 60) return `${seconds} s ago`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min ago`;
  if (seconds < 172_800) return `${Math.round(seconds / 3600)} h ago`;
  return `${Math.round(seconds / 86_400)} days ago`;
}

function entryLine(entry: ChainEntryView, keyWidth: number): string {
  const marker = entry.takesTraffic ? '>' : ' ';
  const state = entry.state === 'needs-login' ? 'needs login' : entry.state;
  const reset =
    entry.availableInSeconds !== null
      ? `resets in ${formatCountdown(entry.availableInSeconds)}`
      : entry.state === 'needs-login'
        ? `run: switchyard auth ${entry.provider} login ${entry.bucket}`
        : '';
  const success = entry.successRate === null ? '-' : `${Math.round(entry.successRate * 1000) / 10} % ok`;
  return [
    `  ${marker} ${String(entry.position).padStart(2)} ${entry.key.padEnd(keyWidth)}`,
    state.padEnd(11),
    `${entry.requests} requests`.padEnd(14),
    success.padEnd(9),
    `tokens ${entry.inputTokens} in / ${entry.outputTokens} out`.padEnd(28),
    `last used ${formatAgo(entry.lastUsedSecondsAgo)}`.padEnd(22),
    reset,
  ]
    .join('  ')
    .trimEnd();
}

function profileLines(profile: ProfileView, keyWidth: number): string[] {
  const tags = [
    profile.active ? 'active' : undefined,
    profile.policy ?? undefined,
    profile.source === 'example' ? 'example' : undefined,
  ].filter(Boolean);
  const lines = [`${profile.name}${tags.length > 0 ? ` (${tags.join(', ')})` : ''}`];
  if (profile.error !== null) lines.push(`    cannot be used: ${profile.error}`);
  for (const entry of profile.chain) lines.push(entryLine(entry, keyWidth));
  return lines;
}

/**
 * The pool as text, for `stats buckets --watch`: the user's profiles (and the active one) with
 * their chains in order, `>` at the bucket new requests go to. Example profiles the user has not
 * made their own are only counted, to keep the view on one screen.
 */
export function renderPoolText(view: PoolView, clockTime: string): string {
  const shown = view.profiles.filter((profile) => profile.source === 'user' || profile.active);
  const hidden = view.profiles.length - shown.length;
  // Counted over what is shown, plus buckets in no profile at all (used earlier, or resting).
  const inProfiles = new Set(view.profiles.flatMap((profile) => profile.chain.map((entry) => entry.key)));
  const shownKeys = new Set(shown.flatMap((profile) => profile.chain.map((entry) => entry.key)));
  const counted = view.buckets.filter((bucket) => shownKeys.has(bucket.key) || !inProfiles.has(bucket.key));
  const count = (state: string) => counted.filter((bucket) => bucket.state === state).length;
  const keyWidth = Math.max(12, ...shown.flatMap((profile) => profile.chain.map((entry) => entry.key.length)));
  const lines = [
    `switchyard pool at ${clockTime}: ${counted.length} buckets, ${count('ready')} ` +
      `ready, ${count('cooling') + count('exhausted') + count('resting')} resting, ${count('needs-login')} ` +
      `need login; active profile: ${view.profile ?? 'none'}`,
  ];
  if (shown.length === 0)
    lines.push('', 'No profile yet: save one with `switchyard profile save model NAME BUCKET...`.');
  for (const profile of shown) lines.push('', ...profileLines(profile, keyWidth));
  if (hidden > 0)
    lines.push('', `(${hidden} example profile${hidden === 1 ? '' : 's'} not shown; see switchyard profile list)`);
  return `${lines.join('\n')}\n`;
}
