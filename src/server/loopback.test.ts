import { describe, expect, it } from 'vitest';
import { bindReach, isLoopbackAddress } from './loopback.js';

const resolverOf =
  (answers: Record<string, string[]>) =>
  async (host: string): Promise<string[]> => {
    const addresses = answers[host];
    if (addresses === undefined) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
    return addresses;
  };

describe('loopback binds', () => {
  it('knows loopback addresses from the others', () => {
    for (const address of ['127.0.0.1', '127.8.9.10', '::1', '[::1]', '::ffff:127.0.0.1', '0:0:0:0:0:0:0:1'])
      expect(isLoopbackAddress(address), address).toBe(true);
    for (const address of ['0.0.0.0', '::', '10.0.0.1', '::ffff:10.0.0.1', '127.0.0.1.nip.io', 'localhost', '1270::1'])
      expect(isLoopbackAddress(address), address).toBe(false);
  });

  it('takes a name as loopback only when every address it resolves to is loopback', async () => {
    const resolve = resolverOf({
      localhost: ['127.0.0.1', '::1'],
      '127.0.0.1.nip.io': ['203.0.113.7'],
      'mixed.example': ['127.0.0.1', '10.0.0.7'],
      'nothing.example': [],
    });
    expect(await bindReach('localhost', resolve)).toEqual({ loopback: true });
    expect(await bindReach('127.0.0.1', resolve)).toEqual({ loopback: true });
    expect(await bindReach('[::1]', resolve)).toEqual({ loopback: true });
    expect(await bindReach('127.0.0.1.nip.io', resolve)).toEqual({
      loopback: false,
      why: '127.0.0.1.nip.io resolves to 203.0.113.7, which is not loopback',
    });
    expect(await bindReach('mixed.example', resolve)).toEqual({
      loopback: false,
      why: 'mixed.example resolves to 10.0.0.7, which is not loopback',
    });
    expect(await bindReach('nothing.example', resolve)).toEqual({
      loopback: false,
      why: 'nothing.example resolves to no address',
    });
    expect(await bindReach('127.unknown.example', resolve)).toEqual({
      loopback: false,
      why: '127.unknown.example could not be resolved (ENOTFOUND), so it is not known to be loopback',
    });
    expect(await bindReach('0.0.0.0', resolve)).toEqual({ loopback: false, why: '0.0.0.0 is not a loopback address' });
  });
});
