// The least a model router must do per plain request, as a proxy of its own: read the whole body,
// parse it (the model decides the route), forward it, read the whole answer and parse it (a 2xx
// that does not parse must fail over; usage is counted from it), then answer with a
// content-length. A streamed request (`"stream": true`) is relayed chunk by chunk as it arrives,
// each chunk searched for the usage key (the least a router can do to count a stream's tokens).
// No state, no observers, no checks: what is left between this and switchyard is switchyard's own
// work. `node bench/floor-proxy.mjs <upstreamUrl> [undici|http]`: the upstream
// client is undici's `request()` (switchyard's client library) or node:http's (the passthrough's).
import http from 'node:http';
import { Agent, request } from 'undici';

const [upstreamUrl, client = 'undici'] = process.argv.slice(2);
const upstream = new URL(upstreamUrl);
const dispatcher = new Agent({ keepAliveTimeout: 60_000 });
const agent = new http.Agent({ keepAlive: true });
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
  if (parsed.stream === true) {
    await relayStream(incoming.url, headers, body, response);
    return;
  }
  const answer = await open(incoming.url, headers, body);
  const bytes = await readAnswer(answer);
  const usage = JSON.parse(bytes.toString('utf8')).usage;
  response.writeHead(answer.statusCode, {
    'content-type': 'application/json',
    'content-length': bytes.length,
    'x-output-tokens': String(usage?.output_tokens ?? 0),
  });
  response.end(bytes);
}

const usageKey = Buffer.from('"usage"');

/** Relays a streamed answer chunk by chunk, counting the chunks that carry usage. */
async function relayStream(path, headers, body, response) {
  const answer = await open(path, headers, body);
  response.writeHead(answer.statusCode, { 'content-type': answer.headers['content-type'] ?? 'text/event-stream' });
  // Events, not `for await`: an async iterator's promise per chunk would make this floor dearer than need be.
  return new Promise((resolve, reject) => {
    let usageChunks = 0;
    answer.body.on('data', (chunk) => {
      if (chunk.indexOf(usageKey) !== -1) usageChunks += 1;
      if (!response.write(chunk)) {
        answer.body.pause();
        response.once('drain', () => answer.body.resume());
      }
    });
    answer.body.once('end', () => {
      response.end();
      resolve(usageChunks);
    });
    answer.body.once('error', reject);
  });
}

/** Sends the request with the chosen client; resolves at the answer's head with its status, headers and body stream. */
async function open(path, headers, body) {
  if (client !== 'http') return request(new URL(path, upstreamUrl), { method: 'POST', headers, body, dispatcher });
  return new Promise((resolve, reject) => {
    const outgoing = http.request(
      {
        hostname: upstream.hostname,
        port: upstream.port,
        path,
        method: 'POST',
        headers: { ...headers, host: upstream.host, 'content-length': body.length },
        agent,
      },
      (answer) => resolve({ statusCode: answer.statusCode, headers: answer.headers, body: answer }),
    );
    outgoing.once('error', reject);
    outgoing.end(body);
  });
}

/** The whole answer: undici's own reader for its body (what a router on undici uses), events for node:http's. */
async function readAnswer(answer) {
  return client === 'http' ? readWhole(answer.body) : Buffer.from(await answer.body.arrayBuffer());
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
