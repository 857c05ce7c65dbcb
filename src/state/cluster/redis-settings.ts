import type { Settings } from '../../config/settings.js';

/** Where the cluster's shared state lives; undefined settings mean the embedded default. */
export interface RedisSettings {
  url: string;
  /** Every key and channel starts with this (ends with `:`), so several clusters can share one Redis. */
  prefix: string;
}

export const defaultRedisPrefix = 'switchyard:';

/** SWITCHYARD_REDIS_URL / SWITCHYARD_REDIS_PREFIX, else `state.redis` / `state.prefix` from config.yaml. */
export function redisSettingsOf(settings: Settings, environment: NodeJS.ProcessEnv): RedisSettings | undefined {
  const url = nonEmpty(environment.SWITCHYARD_REDIS_URL) ?? settings.state?.redis;
  if (url === undefined) return undefined;
  const prefix = nonEmpty(environment.SWITCHYARD_REDIS_PREFIX) ?? settings.state?.prefix ?? defaultRedisPrefix;
  return { url, prefix: prefix.endsWith(':') ? prefix : `${prefix}:` };
}

/** Query parameters that may carry a secret: ioredis takes any of its options from the query (`?password=`). */
const secretParameter = /pass|secret|token|key|auth|credential/i;

/**
 * The URL without its secrets, for logs, errors and /health, in every form ioredis reads:
 * `redis://user:pass@`, `redis://:pass@`, a lone user name (older clients read it as the
 * password), `rediss://`, `//host`, `host:port`, a socket path, and secrets in the query
 * (`?password=`, `?sentinelPassword=`), percent-encoded or not.
 */
export function redactedRedisUrl(url: string): string {
  const trimmed = url.trim();
  // A socket path is no URL: only its query can hold a secret.
  if (trimmed.startsWith('/') && !trimmed.startsWith('//')) {
    const question = trimmed.indexOf('?');
    return question === -1 ? trimmed : `${trimmed.slice(0, question)}?${redactedQuery(trimmed.slice(question + 1))}`;
  }
  const withScheme = /^rediss?:\/\//i.test(trimmed)
    ? trimmed
    : trimmed.startsWith('//')
      ? `redis:${trimmed}`
      : `redis://${trimmed}`;
  try {
    const parsed = new URL(withScheme);
    if (parsed.password) parsed.password = '***';
    else if (parsed.username) parsed.username = '***';
    if (parsed.search) parsed.search = redactedQuery(parsed.search.slice(1));
    return parsed.toString();
  } catch {
    return 'redis://(unparsable URL)';
  }
}

function redactedQuery(query: string): string {
  const parameters = new URLSearchParams(query);
  for (const [name] of parameters) if (secretParameter.test(name)) parameters.set(name, '***');
  return parameters.toString();
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}
