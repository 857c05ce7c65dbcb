// The measured servers, each started as its own child process on loopback: the provider
// simulator (the upstream, and the "direct" contender), the raw passthrough and switchyard.
// Portkey has its own file, as it is installed on first use.
import { fileURLToPath } from 'node:url';
import { startProcess } from './processes.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
export const switchyardBin = `${root}bin/switchyard.js`;

/** `node dist/provider-simulator/main.js --port 0`; resolves with { url, pid, stop }. */
export async function startSimulatorProcess() {
  const started = await startProcess([`${root}dist/provider-simulator/main.js`, '--port', '0'], {
    pattern: /"url":"([^"]+)"/,
    label: 'provider simulator',
  });
  return { url: started.match[1], pid: started.pid, stop: started.stop };
}

/** The raw node:http passthrough (bench/passthrough.mjs) in front of `upstreamUrl`. */
export async function startPassthroughProcess(upstreamUrl) {
  const started = await startProcess([`${root}bench/passthrough-main.mjs`, upstreamUrl], {
    pattern: /"url":"([^"]+)"/,
    label: 'passthrough',
  });
  return { url: started.match[1], pid: started.pid, stop: started.stop };
}

/** The floor proxy (bench/floor-proxy.mjs: only what any router must do) with `client`'s upstream client. */
export async function startFloorProcess(upstreamUrl, client = 'undici') {
  const started = await startProcess([`${root}bench/floor-proxy.mjs`, upstreamUrl, client], {
    pattern: /"url":"([^"]+)"/,
    label: `floor proxy (${client})`,
  });
  return { url: started.match[1], pid: started.pid, stop: started.stop };
}

/** The arguments and environment of `switchyard serve` on `port` (0: any) with `home` (`bin`: another build's). */
export function switchyardCommand({ home, environment, port = 0, profile = 'bench', bin = switchyardBin }) {
  return {
    // The per-request log line is a feature users can turn down; the benchmark measures routing, so
    // it runs at warn (RESULTS.md says so, with what the default info log costs per request).
    args: [bin, 'serve', '--port', String(port), '--profile', profile, '--log-level', 'warn'],
    env: { SWITCHYARD_HOME: home, ...environment },
  };
}

/** `switchyard serve`; resolves once it prints its URL, with { url, pid, stop }. */
export async function startSwitchyardProcess(options) {
  const { args, env } = switchyardCommand(options);
  const started = await startProcess(args, { env, pattern: /listening on (http:\/\/\S+)/, label: 'switchyard serve' });
  return { url: started.match[1], pid: started.pid, stop: started.stop };
}
