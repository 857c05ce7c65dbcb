import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from './support/harness.js';
import { postRaw } from './support/raw-requests.js';

/** Usage and cost are counted since the first start: kept in usage.json (0600) across restarts. */
let harness: Harness;
afterEach(async () => {
  await harness.close();
});

const adminKey = 'usage-history-admin-key';
const message = JSON.stringify({
  model: 'claude-sonnet-4-6',
  max_tokens: 16,
  messages: [{ role: 'user', content: 'Hi' }],
});

interface Line {
  name: string;
  requests: number;
  inputTokens: number;
  outputTokens: number;
  cost: number | null;
}
interface UsageAnswer {
  since: string;
  buckets: Line[];
}

async function start(): Promise<string> {
  return (await harness.startRouter({ profile: 'pool', environment: { SWITCHYARD_ADMIN_KEY: adminKey } })).url;
}

async function usageOf(url: string): Promise<UsageAnswer> {
  const answer = await fetch(`${url}/dashboard/data/usage`, { headers: { authorization: `Bearer ${adminKey}` } });
  expect(answer.status).toBe(200);
  return (await answer.json()) as UsageAnswer;
}

const send = async (url: string) =>
  expect((await postRaw(url, '/v1/messages', message, { 'anthropic-version': '2023-06-01' })).status).toBe(200);

describe('usage across restarts', () => {
  it('keeps tokens and cost in usage.json when the server stops, and adds to them after the next start', async () => {
    harness = await createHarness();
    await harness.addBucket('anthropic', 'a');
    await harness.writeProfile('pool', 'type: model\nprovider: anthropic\nbuckets: [a]\n');
    let url = await start();
    await send(url);
    await send(url);
    const before = await usageOf(url);
    const bucket = before.buckets.find((line) => line.name === 'anthropic/a')!;
    expect(bucket.requests).toBe(2);
    await harness.router().close();

    const path = join(harness.home, 'usage.json');
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    // No prompt or answer text in the file: only names and counts.
    expect(await readFile(path, 'utf8')).not.toMatch(/"Hi"|sim-o[ar]t-/);

    url = await start();
    const after = await usageOf(url);
    expect(after.since).toBe(before.since);
    expect(after.buckets.find((line) => line.name === 'anthropic/a')).toEqual(bucket);
    await send(url);
    const more = (await usageOf(url)).buckets.find((line) => line.name === 'anthropic/a')!;
    expect(more.requests).toBe(3);
    expect(more.inputTokens).toBe(bucket.inputTokens + bucket.inputTokens / 2);
  });

  it('starts over, saying why, when usage.json cannot be read', async () => {
    harness = await createHarness();
    await harness.addBucket('anthropic', 'a');
    await harness.writeProfile('pool', 'type: model\nprovider: anthropic\nbuckets: [a]\n');
    await writeFile(join(harness.home, 'usage.json'), '{"version":1,"rows":[', { mode: 0o600 });
    const warnings: string[] = [];
    const { url } = await harness.startRouter({
      profile: 'pool',
      environment: { SWITCHYARD_ADMIN_KEY: adminKey },
      warn: (message: string) => warnings.push(message),
    });
    expect((await usageOf(url)).buckets).toEqual([]);
    expect(
      warnings.some((warning) => warning.startsWith('the usage history in ') && warning.includes('starts over')),
    ).toBe(true);
  });
});
