import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { DeferredListener } from './deferred-listener.js';

let server: Server | undefined;

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

async function serve(listener: RequestListener): Promise<string> {
  server = createServer(listener);
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('DeferredListener', () => {
  it('holds requests that come before its code is loaded and answers each once it is', async () => {
    let finishLoading: (listener: RequestListener) => void = () => {};
    let loads = 0;
    const deferred = new DeferredListener(() => {
      loads += 1;
      return new Promise<RequestListener>((resolve) => (finishLoading = resolve));
    });
    // Waits for both requests to reach the listener rather than for a fixed time: on a loaded
    // machine they can take longer than any pause, and finishing early would test nothing.
    let arrived = 0;
    let bothArrived: () => void = () => {};
    const arrival = new Promise<void>((resolve) => (bothArrived = resolve));
    const url = await serve((request, response) => {
      deferred.listener(request, response);
      if (++arrived === 2) bothArrived();
    });
    const early = [fetch(`${url}/first`), fetch(`${url}/second`)];
    await arrival;
    expect(loads).toBe(1);
    finishLoading((request, response) => response.end(`answered ${request.url}`));
    const answers = await Promise.all(early.map(async (answer) => (await answer).text()));
    expect(answers).toEqual(['answered /first', 'answered /second']);
    expect(await (await fetch(`${url}/third`)).text()).toBe('answered /third');
    await deferred.start();
    expect(loads).toBe(1);
  });

  it('answers 500 with a JSON error when its code cannot be loaded', async () => {
    const deferred = new DeferredListener(() => Promise.reject(new Error('chunk missing')));
    const url = await serve(deferred.listener);
    const answer = await fetch(`${url}/anything`);
    expect(answer.status).toBe(500);
    expect(await answer.json()).toEqual({
      error: { message: 'switchyard hit an internal error; the request was not completed.', code: 'internal_error' },
    });
  });
});
