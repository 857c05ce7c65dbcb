/** Seconds with at most three decimals and no trailing zeros: 38, 1.5, 0.479. */
function trimSeconds(seconds: number): string {
  return String(Math.round(seconds * 1000) / 1000);
}

/**
 * OpenAI's `x-ratelimit-reset-*` form: `6m0s`, `1h2m3s`, `1.5s`, `12ms`.
 * @see https://platform.openai.com/docs/guides/rate-limits#rate-limits-in-headers
 */
export function formatOpenAiDuration(seconds: number): string {
  if (seconds < 1) return `${Math.round(seconds * 1000)}ms`;
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const rest = trimSeconds(seconds - hours * 3600 - minutes * 60);
  if (hours > 0) return `${hours}h${minutes}m${rest}s`;
  if (minutes > 0) return `${minutes}m${rest}s`;
  return `${rest}s`;
}

/** google.protobuf.Duration in JSON: `38s`, `0.479s`. */
export function formatGoogleDuration(seconds: number): string {
  return `${trimSeconds(seconds)}s`;
}
