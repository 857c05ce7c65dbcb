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

/** The URL without its password, for logs and /health. */
export function redactedRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'redis://(unparsable URL)';
  }
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}
