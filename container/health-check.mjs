// The image's HEALTHCHECK: healthy when the server this container runs answers GET /health.
// The server records its address in $SWITCHYARD_HOME/server.json, so the check follows --port.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const home = process.env.SWITCHYARD_HOME ?? '/data';

function fail(message) {
  process.stderr.write(`unhealthy: ${message}\n`);
  process.exit(1);
}

let address;
try {
  address = new URL(JSON.parse(readFileSync(join(home, 'server.json'), 'utf8')).url);
} catch (error) {
  fail(`no running server recorded in ${join(home, 'server.json')} (${error.message})`);
}
// A server bound to every address (0.0.0.0, ::) is asked on loopback, inside the container.
if (address.hostname === '0.0.0.0' || address.hostname === '[::]') address.hostname = '127.0.0.1';
address.pathname = '/health';
try {
  const answer = await fetch(address, { signal: AbortSignal.timeout(4000) });
  if (!answer.ok) fail(`GET ${address} answered ${answer.status}`);
  process.stdout.write(`healthy: ${(await answer.json()).status}\n`);
} catch (error) {
  fail(`GET ${address} failed: ${error.cause?.code ?? error.message}`);
}
