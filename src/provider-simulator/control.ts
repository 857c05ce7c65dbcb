import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseJsonObject, readBody, sendJson } from './http-io.js';
import { parseStep } from './parse-step.js';
import { parseUsageWindows } from './parse-usage-windows.js';
import type { AccountOptions, Simulator } from './types.js';

type ControlAction = (body: Record<string, unknown>, simulator: Simulator) => unknown;

function accountName(body: Record<string, unknown>, field: string): string {
  const value = body[field];
  if (typeof value !== 'string' || value.length === 0)
    throw new TypeError(`Expected \`${field}\` to be an account name`);
  return value;
}

function accountOptions(body: Record<string, unknown>): AccountOptions {
  const options: AccountOptions = {};
  const { accountId, expiresInSeconds, tokenDelayMs } = body;
  if (accountId !== undefined) {
    if (typeof accountId !== 'string') throw new TypeError('Expected `accountId` to be a string');
    options.accountId = accountId;
  }
  if (expiresInSeconds !== undefined) {
    if (typeof expiresInSeconds !== 'number') throw new TypeError('Expected `expiresInSeconds` to be a number');
    options.expiresInSeconds = expiresInSeconds;
  }
  if (tokenDelayMs !== undefined) {
    if (typeof tokenDelayMs !== 'number') throw new TypeError('Expected `tokenDelayMs` to be a number');
    options.tokenDelayMs = tokenDelayMs;
  }
  return options;
}

// `METHOD name` after `/__sim/`.
const actions: Record<string, ControlAction> = {
  'POST accounts': (body, simulator) => simulator.addAccount(accountName(body, 'name'), accountOptions(body)),
  'POST script': (body, simulator) => {
    const steps = body.steps;
    if (!Array.isArray(steps)) throw new TypeError('Expected `steps` to be an array of steps');
    simulator.script(accountName(body, 'account'), steps.map(parseStep));
    return { ok: true };
  },
  'POST behavior': (body, simulator) => {
    const step = body.step;
    simulator.setBehavior(
      accountName(body, 'account'),
      step === null || step === undefined ? undefined : parseStep(step),
    );
    return { ok: true };
  },
  'POST device-polls': (body, simulator) => {
    const outcomes = body.outcomes;
    if (
      !Array.isArray(outcomes) ||
      !outcomes.every((outcome) => outcome === 'authorization_pending' || outcome === 'slow_down')
    ) {
      throw new TypeError('Expected `outcomes` to be an array of "authorization_pending" and "slow_down"');
    }
    simulator.scriptDevicePolls(outcomes as ('authorization_pending' | 'slow_down')[]);
    return { ok: true };
  },
  'POST usage-windows': (body, simulator) => {
    const account = accountName(body, 'account');
    simulator.setUsageWindows(account, body.windows === null ? undefined : parseUsageWindows(body));
    return { account, windows: simulator.usageWindows(account) };
  },
  'GET usage-windows': (_body, simulator) => usageWindowsOfAll(simulator),
  'POST advance': (body, simulator) => {
    const seconds = body.seconds;
    if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds <= 0)
      throw new TypeError('Expected `seconds` to be a positive number of seconds to move the usage windows on');
    simulator.advanceUsageWindows(seconds);
    return usageWindowsOfAll(simulator);
  },
  'GET counts': (_body, simulator) => ({ accounts: simulator.allCounts() }),
  'POST reset-counts': (_body, simulator) => {
    simulator.resetCounts();
    return { ok: true };
  },
};

/** Every metered account's windows, with the time scale they pass at. */
function usageWindowsOfAll(simulator: Simulator) {
  const accounts: Record<string, ReturnType<Simulator['usageWindows']>> = {};
  for (const name of simulator.meteredAccounts()) accounts[name] = simulator.usageWindows(name);
  return { timeScale: simulator.timeScale, accounts };
}

/** `/__sim/*`: the control API that child processes (demo, benchmarks, CLI tests) drive. */
export async function handleControl(
  name: string,
  request: IncomingMessage,
  response: ServerResponse,
  simulator: Simulator,
): Promise<void> {
  const action = actions[name];
  const bodyBuffer = await readBody(request);
  if (!action) {
    sendJson(response, 404, {
      error:
        `No control route ${name}; see /__sim/accounts, script, behavior, usage-windows, advance, ` +
        'device-polls, counts, reset-counts',
    });
    return;
  }
  const body = bodyBuffer.length === 0 ? {} : parseJsonObject(bodyBuffer);
  if (!body) {
    sendJson(response, 400, { error: 'Expected a JSON object body' });
    return;
  }
  try {
    sendJson(response, 200, action(body, simulator));
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
    sendJson(response, 400, { error: error.message });
  }
}
