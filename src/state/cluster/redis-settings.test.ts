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
});
