import { setImmediate as nextTurn } from 'node:timers/promises';
import v8 from 'node:v8';
import vm from 'node:vm';
import { Agent, request } from 'undici';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { ProxyRequest } from '../src/router/proxy-request.js';
import type { RequestObserver } from '../src/router/router-observer.js';
import { createHarness, type Harness } from './support/harness.js';

/**
 * Once an answer is committed, no other bucket will be asked: the router lets go of the request's
 * body, so that a stream lasting minutes does not hold a coding agent's conversation of megabytes
 * (as text, parsed and translated) for as long as it lasts. Checked with the collector itself: weak
 * references to the parsed body (and its translation) taken when the head is written are cleared by
 * a full collection while the stream is still open.
 */

v8.setFlagsFromString('--expose-gc');
const collectGarbage = vm.runInNewContext('gc') as () => void;

let harness: Harness;
let client: Agent;
/** Clients of the streams opened, left before the harness closes (a held stream would keep it open). */
let leaving: AbortController[];
/** Weak references to what each committed request held when its head was written. */
let held: { body: WeakRef<object>; translated: WeakRef<object> | undefined }[];

const observer: RequestObserver = {
  attemptFinished() {},
  failover() {},
  firstByte(committed: ProxyRequest) {
    held.push({
      body: new WeakRef(committed.body),
      translated: committed.translated === undefined ? undefined : new WeakRef(committed.translated.internal),
    });
  },
  requestFinished() {},
  requestRefused() {},
};

beforeEach(async () => {
  held = [];
  leaving = [];
  harness = await createHarness();
  client = new Agent();
});

afterEach(async () => {
  for (const controller of leaving) controller.abort();
  await client.close();
  await harness.close();
});

/** A conversation of `turns` turns of about 2 KB, as a coding agent sends on every turn. */
function conversation(turns: number): Record<string, unknown> {
  const messages = Array.from({ length: turns }, (_, turn) => ({
    role: turn % 2 === 0 ? 'user' : 'assistant',
    content: [{ type: 'text', text: `turn ${turn}: ${'context '.repeat(250)}` }],
  }));
  return {
    model: 'claude-sonnet-4-6',
    max_tokens: 64,
    stream: true,
    messages: [...messages, { role: 'user', content: 'Go on.' }],
  };
}

/** Opens a held stream through `profile` (left after the test) and returns its first chunk. */
async function openStream(profile: string): Promise<string> {
  const { url } = harness.router();
  const leave = new AbortController();
  leaving.push(leave);
  const answer = await request(`${url}/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-switchyard-profile': profile },
    body: JSON.stringify(conversation(60)),
    dispatcher: client,
    signal: leave.signal,
  });
  expect(answer.statusCode).toBe(200);
  const chunks = answer.body[Symbol.asyncIterator]();
  const first = await chunks.next();
  answer.body.on('error', () => undefined);
  return Buffer.from(first.value as Uint8Array).toString('utf8');
}

/** Full collections, each from a turn of its own: a weakly held target lives until the turn that made it ends. */
async function collectedAll(): Promise<void> {
  for (let round = 0; round < 3; round += 1) {
    await nextTurn();
    collectGarbage();
  }
}

/**
 * One bucket of `provider` that holds its stream open after the first event, behind a profile of its
 * own; opens a stream through it, waits until it is open upstream, then collects garbage.
 */
async function holdStreamThrough(provider: 'anthropic' | 'openai', options: { apiKey?: boolean } = {}): Promise<void> {
  await harness.addBucket(provider, 'held', options);
  await harness.writeProfile('held', `type: model\nprovider: ${provider}\nbuckets: [held]\n`);
  harness.simulator.script(`${provider}-held`, [{ kind: 'ok', holdOpenMs: 600_000 }]);
  await harness.startRouter({ observers: [observer] });
  expect(await openStream('held')).toContain('event: message_start');
  expect(harness.simulator.counts(`${provider}-held`).inFlight).toBe(1);
  await collectedAll();
  expect(held).toHaveLength(1);
}

it('lets go of the parsed body while a same-format stream is still open', async () => {
  await holdStreamThrough('anthropic');
  expect(held[0]?.body.deref()).toBeUndefined();
});

it('lets go of the parsed body and its translation while a translated stream is still open', async () => {
  // An Anthropic client on an OpenAI bucket.
  await holdStreamThrough('openai', { apiKey: true });
  expect(held[0]?.translated).toBeDefined();
  expect(held[0]?.body.deref()).toBeUndefined();
  expect(held[0]?.translated?.deref()).toBeUndefined();
});
