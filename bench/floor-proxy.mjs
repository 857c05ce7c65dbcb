// The least a model router must do per plain request, as a proxy of its own: read the whole body,
// parse it (the model decides the route), forward it with undici (switchyard's HTTP client), read
// the whole answer and parse it (a 2xx that does not parse must fail over; usage is counted from
// it), then answer with a content-length. No state, no observers, no checks: what is left between
// this and switchyard is switchyard's own work. Run as `node bench/floor-proxy.mjs <upstreamUrl>`.
import http from 'node:http';
import { Agent, request } from 'undici';

const upstreamUrl = process.argv[2];
const dispatcher = new Agent({ keepAliveTimeout: 60_000 });
/** Hop-by-hop and recomputed headers, which undici refuses or sets itself. */
const dropped = new Set(['host', 'connection', 'keep-alive', 'content-length', 'transfer-encoding']);

function readWhole(stream) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    stream.on('data', (chunk) => chunks.push(chunk));
    stream.once('end', () => resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)));
    stream.once('error', reject);
  });
}

async function relay(incoming, response) {
  const body = await readWhole(incoming);
  const parsed = JSON.parse(body.toString('utf8'));
  if (typeof parsed.model !== 'string') throw new Error('the request names no model');
  const headers = {};
  for (const [name, value] of Object.entries(incoming.headers)) if (!dropped.has(name)) headers[name] = value;
  const answer = await request(new URL(incoming.url, upstreamUrl), { method: 'POST', headers, body, dispatcher });
  const bytes = Buffer.from(await answer.body.arrayBuffer());
  const usage = JSON.parse(bytes.toString('utf8')).usage;
  response.writeHead(answer.statusCode, {
    'content-type': 'application/json',
    'content-length': bytes.length,
    'x-output-tokens': String(usage?.output_tokens ?? 0),
  });
  response.end(bytes);
}

const server = http.createServer((incoming, response) => {
  relay(incoming, response).catch((error) => {
    if (!response.headersSent) response.writeHead(502, { 'content-type': 'text/plain' });
    response.end(String(error));
  });
});
server.keepAliveTimeout = 65_000;
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${server.address().port}` })}\n`);
});
process.once('SIGTERM', () => server.close(() => process.exit(0)));
