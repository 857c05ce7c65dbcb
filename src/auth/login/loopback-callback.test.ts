import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type LoopbackCallback, startLoopbackCallback } from './loopback-callback.js';

describe('loopback callback', () => {
  const opened: (LoopbackCallback | Server)[] = [];
  afterEach(async () => {
    for (const item of opened.splice(0)) {
      if ('redirectUri' in item) await item.close();
      else await new Promise((resolve) => item.close(resolve));
    }
  });

  async function occupiedPort(): Promise<number> {
    const server = createServer();
    opened.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return (server.address() as AddressInfo).port;
  }

  it('receives the first callback on its path, answers the browser, and ignores other paths', async () => {
    const callback = await startLoopbackCallback({ port: 0, path: '/auth/callback' });
    opened.push(callback);
    expect(callback.redirectUri).toBe(`http://localhost:${callback.port}/auth/callback`);
    expect((await fetch(`http://127.0.0.1:${callback.port}/favicon.ico`)).status).toBe(404);
    const answer = await fetch(`http://127.0.0.1:${callback.port}/auth/callback?code=c&state=s`);
    expect(answer.status).toBe(200);
    expect(await answer.text()).toContain('Login complete');
    expect(Object.fromEntries((await callback.received).searchParams)).toEqual({ code: 'c', state: 's' });
    expect((await fetch(`http://127.0.0.1:${callback.port}/auth/callback?code=again`)).status).toBe(404);
  });

  it('moves to the next port when the provider port is taken (Codex: 1455, 1456, ...)', async () => {
    const taken = await occupiedPort();
    const callback = await startLoopbackCallback({ port: taken, path: '/auth/callback', extraPorts: 10 });
    opened.push(callback);
    expect(callback.port).toBeGreaterThan(taken);
    expect(callback.port).toBeLessThanOrEqual(taken + 10);
  });

  it('says which port is taken when it may not move', async () => {
    const taken = await occupiedPort();
    await expect(startLoopbackCallback({ port: taken, path: '/callback' })).rejects.toThrow(
      `Cannot listen for the login callback on 127.0.0.1:${taken} (EADDRINUSE); pass --port with a free port.`,
    );
  });
});
