import { describe, expect, it } from 'vitest';
import { settingsSchema } from '../config/settings.js';
import { browserPolicyOf } from './browser-guard.js';

describe('the browser policy', () => {
  it('answers to the bind name and the configured names, and knows configured origins', () => {
    const policy = browserPolicyOf('Devbox.Example.', {
      allowedHosts: ['switchyard.internal', 'LB.example:8443'],
      allowedOrigins: ['http://localhost:5173/'],
    });
    expect([...policy.allowedHosts]).toEqual(['switchyard.internal', 'lb.example', 'devbox.example']);
    expect([...policy.allowedOrigins]).toEqual(['http://localhost:5173']);
    expect([...browserPolicyOf('0.0.0.0', {}).allowedHosts]).toEqual([]);
  });

  it('refuses config.yaml entries that are not a host name or an origin', () => {
    const server = (extra: Record<string, unknown>) => settingsSchema.safeParse({ server: extra }).success;
    expect(server({ allowedHosts: ['switchyard.internal', '[::1]', 'host:8790'] })).toBe(true);
    expect(server({ allowedHosts: ['http://switchyard.internal'] })).toBe(false);
    expect(server({ allowedHosts: ['a/b'] })).toBe(false);
    expect(server({ allowedOrigins: ['https://app.example.com', 'http://localhost:5173'] })).toBe(true);
    expect(server({ allowedOrigins: ['https://app.example.com/path'] })).toBe(false);
    expect(server({ allowedOrigins: ['app.example.com'] })).toBe(false);
    expect(server({ allowedOrigins: ['*'] })).toBe(false);
  });
});
