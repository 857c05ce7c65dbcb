// The provider simulator's HTTP control API (/__sim/*), as the benchmark drives it from outside
// the simulator's process.

async function call(simulatorUrl, method, name, body) {
  const answer = await fetch(`${simulatorUrl}/__sim/${name}`, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const json = await answer.json();
  if (!answer.ok)
    throw new Error(`simulator ${method} /__sim/${name} answered ${answer.status}: ${JSON.stringify(json)}`);
  return json;
}

/** Creates an account; resolves with its credentials ({ apiKey, accessToken, ... }). */
export function addAccount(simulatorUrl, name, options = {}) {
  return call(simulatorUrl, 'POST', 'accounts', { name, ...options });
}

/** Sets the step every request of `account` gets (null: a plain success). */
export function setBehavior(simulatorUrl, account, step) {
  return call(simulatorUrl, 'POST', 'behavior', { account, step });
}

/** Every account's counts: { requests, byStatus, maxConcurrent, inFlight, ... } by name. */
export async function allCounts(simulatorUrl) {
  return (await call(simulatorUrl, 'GET', 'counts')).accounts;
}

/** Requests that reached `account` so far (0 for an account never called). */
export async function requestsOf(simulatorUrl, account) {
  return (await allCounts(simulatorUrl))[account]?.requests ?? 0;
}

export function resetCounts(simulatorUrl) {
  return call(simulatorUrl, 'POST', 'reset-counts', {});
}
