import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AccountRegistry } from './accounts.js';
import { type ApiState, handleApi } from './api-handler.js';
import { handleControl } from './control.js';
import { CountsBook } from './counts.js';
import { sendJson } from './http-io.js';
import type { GrantState } from './oauth/grant.js';
import { LoginBook } from './oauth/login-book.js';
import { handleLoginRoute } from './oauth/login-routes.js';
import { handleTokenRequest } from './oauth/token-endpoint.js';
import { matchRoute } from './routes.js';
import type { AccountCounts, Simulator, SimulatorOptions, Step } from './types.js';
import { UsageWindows } from './usage-windows.js';

/** Starts the provider simulator on loopback (port 0: any free port). */
export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const host = options.host ?? '127.0.0.1';
  const clock = options.clock ?? { now: () => Date.now() };
  const timeScale = options.timeScale ?? 1;
  if (!(timeScale > 0 && Number.isFinite(timeScale))) throw new RangeError('The time scale must be a positive number');
  const registry = new AccountRegistry(clock);
  const counts = new CountsBook();
  const apiState: ApiState = { registry, counts, clock };
  const logins = new LoginBook(registry, clock, options.login);
  const grantState: GrantState = { registry, counts, clock, logins, baseUrl: '' };

  const simulator: Simulator = {
    url: '',
    port: 0,
    timeScale,
    addAccount: (name, accountOptions) => registry.add(name, accountOptions),
    script: (account, steps) => {
      registry.require(account).steps.push(...steps);
    },
    setBehavior: (account, step: Step | undefined) => {
      registry.require(account).behavior = step;
    },
    setUsageWindows: (account, windowOptions) => {
      registry.require(account).windows =
        windowOptions === undefined ? undefined : new UsageWindows(windowOptions, clock, timeScale);
    },
    usageWindows: (account) => registry.require(account).windows?.snapshot() ?? [],
    advanceUsageWindows: (seconds) => {
      for (const name of registry.names()) registry.require(name).windows?.advance(seconds);
    },
    meteredAccounts: () => registry.names().filter((name) => registry.require(name).windows !== undefined),
    counts: (account) => counts.get(account),
    allCounts: () => {
      const all: Record<string, AccountCounts> = {};
      for (const name of new Set([...registry.names(), ...counts.names()])) all[name] = counts.get(name);
      return all;
    },
    totalRequests: () => counts.total(),
    resetCounts: () => counts.reset(),
    scriptDevicePolls: (outcomes) => logins.scriptDevicePolls(outcomes),
    close: () => Promise.resolve(),
  };

  async function route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const target = request.url ?? '/';
    const queryStart = target.indexOf('?');
    const path = queryStart === -1 ? target : target.slice(0, queryStart);
    const query = queryStart === -1 ? undefined : new URLSearchParams(target.slice(queryStart + 1));
    const matched = matchRoute(request.method ?? 'GET', path);
    switch (matched.kind) {
      case 'api':
        return handleApi(matched.api, request, response, query, apiState);
      case 'token':
        return handleTokenRequest(request, response, grantState);
      case 'control':
        return handleControl(matched.name, request, response, simulator);
      case 'login':
        return handleLoginRoute(matched.name, request, response, query, grantState);
      case 'not-found':
        request.resume();
        sendJson(response, 404, { error: { message: `The simulator has no route ${request.method} ${path}` } });
    }
  }

  const server = createServer({ keepAliveTimeout: 30_000 }, (request, response) => {
    route(request, response).catch((error: unknown) => {
      // A bug in the simulator must show up as a 500 in the test, not as a hung request.
      if (!response.headersSent) sendJson(response, 500, { error: { message: String(error) } });
      else response.destroy();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  grantState.baseUrl = url;

  // Idempotent: tests and signal handlers may both close.
  let closing: Promise<void> | undefined;
  return Object.assign(simulator, {
    url,
    port,
    close: () =>
      (closing ??= new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      })),
  });
}
