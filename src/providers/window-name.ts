/** A window's name from its length, as people say it: 300 minutes is `5h`, 10080 is `7d`, 1 is `1min`. */
export function windowNameOfMinutes(minutes: number): string {
  if (minutes % 1440 === 0) return `${minutes / 1440}d`;
  if (minutes % 60 === 0) return `${minutes / 60}h`;
  return `${Math.round(minutes)}min`;
}
