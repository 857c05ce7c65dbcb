/** "2 min ago", "1 hour ago", "in 5 min": coarse, as people say it. */
export function describeAgo(then: number, now: number): string {
  return `${describeSpan(now - then)} ago`;
}

export function describeIn(then: number, now: number): string {
  return then <= now ? 'now' : `in ${describeSpan(then - now)}`;
}

function describeSpan(milliseconds: number): string {
  const seconds = Math.max(0, Math.round(milliseconds / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} hour${hours === 1 ? '' : 's'}`;
  const days = Math.round(hours / 24);
  return `${days} days`;
}
