import { startSimulator } from './simulator.js';

/** `node dist/simulator/main.js --port N`: runs the simulator and prints `{"url":...}` once it listens. */
const portIndex = process.argv.indexOf('--port');
const port = portIndex === -1 ? 0 : Number(process.argv[portIndex + 1]);
const simulator = await startSimulator({ port });
process.stdout.write(`${JSON.stringify({ url: simulator.url })}\n`);
const stop = () => void simulator.close().then(() => process.exit(0));
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
