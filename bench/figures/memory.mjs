// Figure 6: memory. RSS (from /proc) of a switchyard process holding 1,000 open streams, and
// RSS after 200,000 requests against after 20,000 (a leak would grow it). Each is measured in a
// fresh `switchyard serve`, so that neither inherits the heap the throughput runs grew.
import { Pool } from 'undici';
import { startPassthroughProcess, startSwitchyardProcess } from '../contenders.mjs';
import { measureThroughput } from '../measure-throughput.mjs';
import { residentMegabytes } from '../processes.mjs';
import { bodies, messagesViaProfile, messagesWithKey } from '../requests.mjs';
import { allCounts } from '../simulator-control.mjs';
import { median } from '../statistics.mjs';
import { atMost, exactly, failed } from '../targets.mjs';

const openStreams = 1_000;
/** Issue 22's target for RSS with `openStreams` open (issue 3's was 150 MB). */
const openStreamsMegabytes = 120;
/** Streams and turns of the long-conversation reference (about 200 KB a request). */
const conversationStreams = 200;
const conversationTurns = 200;

/** A streamed request carrying a conversation of `turns` turns of about 1 KB, as a coding agent sends. */
function conversationBody(turns) {
  const messages = Array.from({ length: turns }, (_, turn) => ({
    role: turn % 2 === 0 ? 'user' : 'assistant',
    content: [{ type: 'text', text: `${'word '.repeat(200)}${turn}` }],
  }));
  return JSON.stringify({
    model: 'claude-sonnet-4-6',
    max_tokens: 64,
    stream: true,
    messages: [...messages, { role: 'user', content: 'Go on.' }],
  });
}
const sleep = (milliseconds) => new Promise((resolve) => setTimeout(resolve, milliseconds));

/** Polls until `condition()` holds; false if `timeoutMs` passed first. */
async function waitFor(condition, timeoutMs, everyMs = 100) {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if (await condition()) return true;
    await sleep(everyMs);
  }
  return false;
}

/** A few RSS readings 100 ms apart. */
async function readings(pid, count) {
  const values = [];
  for (let index = 0; index < count; index += 1) {
    if (index > 0) await sleep(100);
    values.push(residentMegabytes(pid));
  }
  return values;
}

/**
 * V8's heap by space from switchyard's own /metrics (prom-client's default gauges), in MB:
 * what the RSS figure is made of. `young` is the young generation's reserved size, mostly
 * empty between collections; `oldUsed` is what lives in old space.
 */
async function heapSpaces(url) {
  const text = await (await fetch(`${url}/metrics`)).text();
  const read = (metric, space) => {
    const line = text.split('\n').find((candidate) => candidate.startsWith(`${metric}{space="${space}"}`));
    return line === undefined ? Number.NaN : Number(line.slice(line.lastIndexOf(' ') + 1)) / 1024 / 1024;
  };
  return {
    young: read('switchyard_nodejs_heap_space_size_total_bytes', 'new'),
    oldUsed: read('switchyard_nodejs_heap_space_size_used_bytes', 'old'),
    oldTotal: read('switchyard_nodejs_heap_space_size_total_bytes', 'old'),
  };
}

/**
 * Opens `openStreams` held streams to `target` (`batch` at a time, each batch answered before the
 * next) and resolves with the peak of five RSS readings of `pid` once every one is open upstream;
 * then the clients leave, and it reports how long the upstream streams took to close.
 */
async function holdStreams({ simulator, target, pid, batch, count = openStreams }) {
  const pool = new Pool(target.url, { connections: count, pipelining: 1 });
  try {
    let answered = 0;
    const inFlight = async () => (await allCounts(simulator.url)).hold1?.inFlight ?? 0;
    for (let opened = 0; opened < count; opened += batch) {
      for (let index = 0; index < batch; index += 1) {
        pool
          .request({
            path: target.path,
            method: 'POST',
            headers: { 'content-type': 'application/json', ...target.headers },
            body: target.body,
          })
          .then((answer) => {
            if (answer.statusCode === 200) answered += 1;
            return answer.body.text();
          })
          .catch(() => undefined);
      }
      if (!(await waitFor(() => answered >= opened + batch, 30_000, 5))) break;
    }
    const allOpen = await waitFor(async () => (await inFlight()) >= count && answered >= count, 30_000);
    const upstream = await inFlight();
    if (!allOpen) throw new Error(`only ${upstream} upstream streams open and ${answered} answered after 30 s`);
    const peak = Math.max(...(await readings(pid, 5)));
    const heap = target.metricsUrl === undefined ? undefined : await heapSpaces(target.metricsUrl);
    const leftAt = performance.now();
    await pool.destroy();
    const closed = await waitFor(async () => (await inFlight()) === 0, 10_000, 20);
    return { peak, heap, closedAfterMs: closed ? performance.now() - leftAt : undefined };
  } finally {
    await pool.destroy().catch(() => undefined);
  }
}

/**
 * A fresh `switchyard serve` (with `nodeOptions` in NODE_OPTIONS when given) warmed up by 1,000
 * requests, then holding `openStreams` streams opened `batch` at a time: its RSS idle and at the
 * peak, and V8's heap by space at the peak. Logs it; resolves with the peak RSS in MB.
 */
async function switchyardHoldingStreams(
  context,
  { label, batch, nodeOptions, count = openStreams, body = bodies.messagesStream },
) {
  const { log, simulator, home, environment } = context;
  const withOptions = nodeOptions === undefined ? environment : { ...environment, NODE_OPTIONS: nodeOptions };
  const server = await startSwitchyardProcess({ home, environment: withOptions, profile: 'bench' });
  try {
    // Compile the request path first, as a server that has served anything would have.
    await measureThroughput(messagesViaProfile('warm-up', server.url, 'bench'), { connections: 8, amount: 1_000 });
    const idle = residentMegabytes(server.pid);
    const target = {
      ...messagesViaProfile('hold', server.url, 'bench-hold', body),
      metricsUrl: server.url,
    };
    const { peak, heap, closedAfterMs } = await holdStreams({ simulator, target, pid: server.pid, batch, count });
    const closed = closedAfterMs === undefined ? 'NOT within 10 s' : `${closedAfterMs.toFixed(0)} ms`;
    log(
      `  switchyard, ${label}: idle after warm-up ${idle.toFixed(0)} MB, with the ` +
        `streams open ${peak.toFixed(0)} MB (${(((peak - idle) * 1024) / count).toFixed(0)} ` +
        `KB per stream; V8's young generation ${heap.young.toFixed(0)} MB reserved, old space ` +
        `${heap.oldUsed.toFixed(0)} MB used of ${heap.oldTotal.toFixed(0)}); upstream streams closed ` +
        `${closed} after the clients left`,
    );
    return { peak, heap };
  } finally {
    await server.stop();
  }
}

/** RSS of a fresh `switchyard serve` (and, for reference, of the raw passthrough) holding 1,000 open streams. */
export async function openStreamsFigure(context) {
  const { simulator, credentials } = context;
  const rows = [];
  const figure = (how) => `memory: RSS with ${openStreams.toLocaleString('en')} concurrent open streams, ${how}`;
  // Streams opened 50 at a time measure what open streams cost; all at once adds the peak of
  // a 1,000-request burst arriving in the same millisecond. Both are reported.
  for (const [how, batch] of [
    ['opened 50 at a time', 50],
    ['opened all at once', openStreams],
  ]) {
    try {
      const { peak } = await switchyardHoldingStreams(context, { label: how, batch });
      rows.push(atMost(figure(how), peak, openStreamsMegabytes, { digits: 0, unit: ' MB' }));
    } catch (error) {
      rows.push(
        failed(figure(how), `<= ${openStreamsMegabytes} MB`, error instanceof Error ? error.message : String(error)),
      );
    }
  }
  // Most of the gap to the target is V8's young generation, which grows to its 16 MB semi-spaces
  // under load and can only be capped when node starts: what the cap would give, for reference
  // (its CPU cost per request is in RESULTS.md's analysis).
  const capped = '--max-semi-space-size=4';
  try {
    const { peak } = await switchyardHoldingStreams(context, {
      label: `opened 50 at a time, NODE_OPTIONS=${capped}`,
      batch: 50,
      nodeOptions: capped,
    });
    context.info.push(
      `For reference, switchyard started with NODE_OPTIONS=${capped} (V8's young generation capped at ` +
        `8 MB) holding ${openStreams.toLocaleString('en')} streams opened 50 at a time: ${peak.toFixed(0)} MB RSS.`,
    );
  } catch (error) {
    context.info.push(
      `switchyard with NODE_OPTIONS=${capped} could not be measured: ${error instanceof Error ? error.message : error}`,
    );
  }
  // Real streams carry a conversation: a coding agent resends its whole context every turn. The router lets go
  // of it once the answer is committed, so it should cost little more than the bench's short question.
  const conversation = conversationBody(conversationTurns);
  try {
    const { peak, heap } = await switchyardHoldingStreams(context, {
      label: `${conversationStreams} streams of a ${(conversation.length / 1024).toFixed(0)} KB conversation`,
      batch: 50,
      count: conversationStreams,
      body: conversation,
    });
    context.info.push(
      `For reference, switchyard holding ${conversationStreams} streams whose requests each carry a ` +
        `${(conversation.length / 1024).toFixed(0)} KB conversation: ${peak.toFixed(0)} MB RSS, old space ` +
        `${heap.oldUsed.toFixed(0)} MB used (before 2026-12-06 the router kept each conversation about four ` +
        'times over for as long as its stream lasted).',
    );
  } catch (error) {
    context.info.push(
      'switchyard holding streams of a long conversation could not be measured: ' +
        `${error instanceof Error ? error.message : error}`,
    );
  }
  if (!context.settings.passthroughMemoryReference) return rows;
  const passthrough = await startPassthroughProcess(simulator.url);
  try {
    const target = messagesWithKey('hold', passthrough.url, credentials.hold1.apiKey, bodies.messagesStream);
    const { peak } = await holdStreams({ simulator, target, pid: passthrough.pid, batch: openStreams });
    context.info.push(
      `For reference, the raw passthrough holding ${openStreams.toLocaleString('en')} ` +
        `streams opened all at once: ${peak.toFixed(0)} MB RSS.`,
    );
  } catch (error) {
    context.info.push(
      "The raw passthrough's RSS with open streams could not be measured: " +
        `${error instanceof Error ? error.message : error}`,
    );
  } finally {
    await passthrough.stop();
  }
  return rows;
}

/**
 * RSS after `small` requests against after `large`, in steps of `small` so that the whole
 * trajectory is on record: V8 sizes its heap in steps, so one reading can sit high or low in a
 * cycle, while a leak shows as a trend across all of them.
 */
export async function leakFigure(context) {
  const { settings, log, home, environment } = context;
  const [small, large] = settings.leakRequests;
  const figure = `memory: RSS after ${large.toLocaleString('en')} requests vs after ${small.toLocaleString('en')}`;
  const server = await startSwitchyardProcess({ home, environment, profile: 'bench' });
  try {
    const target = messagesViaProfile('switchyard', server.url, 'bench');
    const trajectory = [];
    for (let served = small; served <= large; served += small) {
      await measureThroughput(target, { connections: 32, amount: small });
      trajectory.push({ served, megabytes: median(await readings(server.pid, 3)) });
    }
    const afterSmall = trajectory[0].megabytes;
    const afterLarge = trajectory.at(-1).megabytes;
    const change = (afterLarge / afterSmall - 1) * 100;
    // The first step includes warm-up (JIT, pools, the heap growing to its working size).
    const afterWarmUp = trajectory.slice(1);
    const slope = slopePerHundredThousand(afterWarmUp);
    // A trend needs two points after the first step (the quick run has one).
    const trend =
      afterWarmUp.length >= 2
        ? `; least-squares trend after the first step ${slope >= 0 ? '+' : ''}${slope.toFixed(1)} ` +
          `MB per 100,000 requests`
        : '';
    log(
      `  RSS every ${small.toLocaleString('en')} requests (MB): ` +
        trajectory.map((point) => point.megabytes.toFixed(0)).join(', '),
    );
    context.info.push(
      `RSS every ${small.toLocaleString('en')} requests up to ${large.toLocaleString('en')} ` +
        `(MB): ` +
        `${trajectory.map((point) => point.megabytes.toFixed(0)).join(', ')}${trend}.`,
    );
    const met = Math.abs(change) <= 10;
    return [
      exactly(
        figure,
        `${afterSmall.toFixed(0)} -> ${afterLarge.toFixed(0)} MB (${change >= 0 ? '+' : ''}${change.toFixed(1)} %)`,
        'within 10 %',
        met,
        met ? '' : `${(Math.abs(change) - 10).toFixed(1)} points outside`,
      ),
    ];
  } finally {
    await server.stop();
  }
}

/** Least-squares slope of RSS against requests served, in MB per 100,000 requests. */
function slopePerHundredThousand(points) {
  const meanX = points.reduce((sum, point) => sum + point.served, 0) / points.length;
  const meanY = points.reduce((sum, point) => sum + point.megabytes, 0) / points.length;
  let covariance = 0;
  let variance = 0;
  for (const point of points) {
    covariance += (point.served - meanX) * (point.megabytes - meanY);
    variance += (point.served - meanX) ** 2;
  }
  return variance === 0 ? 0 : (covariance / variance) * 100_000;
}
