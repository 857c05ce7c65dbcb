import { describe, expect, it } from 'vitest';
import { defaultSettings, settingsSchema } from '../../config/settings.js';
import { redactedRedisUrl, redisSettingsOf } from './redis-settings.js';

describe('Redis settings', () => {
  it('are off unless a URL is given', () => {
    expect(redisSettingsOf(defaultSettings, {})).toBeUndefined();
  });

  it('come from config.yaml, and the environment wins', () => {
    const settings = settingsSchema.parse({ state: { redis: 'redis://config-host:6379', prefix: 'team-a' } });
    expect(redisSettingsOf(settings, {})).toEqual({ url: 'redis://config-host:6379', prefix: 'team-a:' });
    expect(
      redisSettingsOf(settings, { SWITCHYARD_REDIS_URL: 'redis://env-host:6379', SWITCHYARD_REDIS_PREFIX: 'team-b:' }),
    ).toEqual({
      url: 'redis://env-host:6379',
      prefix: 'team-b:',
    });
    expect(
      redisSettingsOf(defaultSettings, {
        SWITCHYARD_REDIS_URL: 'rediss://env-host:6380',
        SWITCHYARD_REDIS_PREFIX: ' ',
      }),
    ).toEqual({
      url: 'rediss://env-host:6380',
      prefix: 'switchyard:',
    });
  });

  it('refuse a state.redis that is not a redis URL', () => {
    const parsed = settingsSchema.safeParse({ state: { redis: 'http://example' } });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toBe('a redis:// or rediss:// URL');
  });

  it('never show a password', () => {
    expect(redactedRedisUrl('redis://user:hunter2@host:6379/0')).toBe('redis://user:***@host:6379/0');
    expect(redactedRedisUrl('not a url')).toBe('redis://(unparsable URL)');
  });

  it('never show a password in any form ioredis accepts', () => {
    const forms: [string, string][] = [
      ['redis://:hunter2@host:6379', 'redis://:***@host:6379'],
      ['rediss://user:hunter2@host:6380/1', 'rediss://user:***@host:6380/1'],
      ['redis://hunter2@host', 'redis://***@host'],
      ['redis://user:hun%40ter2@host', 'redis://user:***@host'],
      ['redis://host:6379/?password=hunter2', 'redis://host:6379/?password=***'],
      ['redis://host:6379?db=2&password=hunter2', 'redis://host:6379?db=2&password=***'],
      ['redis://host?pass%77ord=hunter2', 'redis://host?password=***'],
      ['redis://host?sentinelPassword=hunter2&name=main', 'redis://host?sentinelPassword=***&name=main'],
      ['//user:hunter2@host:6379', 'redis://user:***@host:6379'],
      ['host:6379?password=hunter2', 'redis://host:6379?password=***'],
      ['/run/redis.sock?password=hunter2&db=1', '/run/redis.sock?password=***&db=1'],
    ];
    for (const [url, shown] of forms) {
      expect(redactedRedisUrl(url)).toBe(shown);
      expect(redactedRedisUrl(url)).not.toMatch(/hunter2|hun%40ter2/);
    }
  });
});
