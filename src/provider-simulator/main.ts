import { parseArgs } from 'node:util';
import { startSimulator } from './simulator.js';

/** `node dist/provider-simulator/main.js [--port N] [--host H]`: prints `{"url":...}` once ready. */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { port: { type: 'string', default: '0' }, host: { type: 'string', default: '127.0.0.1' } },
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new TypeError(`Expected \`--port\` to be a port number, got ${values.port}`);
  }
  const simulator = await startSimulator({ host: values.host, port });
  process.stdout.write(`${JSON.stringify({ url: simulator.url })}\n`);
  const stop = (): void => {
    simulator.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`provider simulator: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
