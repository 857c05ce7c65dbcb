// Runs the passthrough baseline as its own process: `node bench/passthrough-main.mjs <upstreamUrl>`.
import { startPassthrough } from './passthrough.mjs';

const proxy = await startPassthrough(process.argv[2]);
process.stdout.write(`${JSON.stringify({ url: proxy.url })}\n`);
process.once('SIGTERM', () => void proxy.close().then(() => process.exit(0)));
