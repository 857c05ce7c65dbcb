import { join } from 'node:path';
import type { SwitchyardPaths } from '../../config/paths.js';
import { writePrivateFile } from '../../config/secure-files.js';
import type { Simulator } from '../../provider-simulator/index.js';
import type { BucketRow } from '../commands/stats.js';
import { windowsText } from '../quota-text.js';

/**
 * How many times faster than the clock the demo's accounts' windows pass: an hour of a window in a
 * second, so a 5-hour window resets while the demo runs.
 */
export const demoTimeScale = 3600;

/**
 * Each account's 5-hour and 7-day windows (of 100 and 1,000 answers) when the balancing part starts:
 * used units, and hours until the 5-hour window resets. The first is the fullest and resets first.
 */
const startingUse = [
  { fiveHours: 85, week: 500, resetInHours: 2 },
  { fiveHours: 40, week: 700, resetInHours: 4 },
  { fiveHours: 60, week: 200, resetInHours: 4.8 },
];

type Say = (text: string) => void;

/**
 * The demo's balancing part: the same accounts, metered in windows the way subscriptions are, behind a
 * `policy: balance` profile. New sessions go where the most is left; a session stays on its bucket;
 * when the fullest account's window resets, new sessions go back to it.
 */
export async function showBalancing(
  context: { paths: SwitchyardPaths; simulator: Simulator; serverUrl: string; buckets: readonly string[] },
  say: Say,
): Promise<void> {
  const { paths, simulator, serverUrl, buckets } = context;
  await writePrivateFile(
    join(paths.profiles, 'balanced.yaml'),
    `type: model\nprovider: anthropic\nmodel: claude-sonnet-4-6\nbuckets: [${buckets.join(', ')}]\npolicy: balance\n`,
  );
  buckets.forEach((bucket, index) => {
    const use = startingUse[index % startingUse.length]!;
    simulator.setUsageWindows(bucket, {
      style: 'anthropic',
      windows: [
        { seconds: 5 * 3600, capacity: 100, used: use.fiveHours, resetInSeconds: use.resetInHours * 3600 },
        { seconds: 7 * 86_400, capacity: 1000, used: use.week },
      ],
    });
  });
  say(`  (the simulated accounts' windows pass ${simulator.timeScale} times faster here: an hour in a second)`);
  const send = async (session: string) => {
    const response = await fetch(`${serverUrl}/v1/messages`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-switchyard-profile': 'balanced',
        'x-switchyard-session': session,
      },
      body: JSON.stringify({ model: 'claude-sonnet-4-6', max_tokens: 64, messages: [{ role: 'user', content: 'Hi' }] }),
    });
    await response.arrayBuffer();
    say(`  session ${session.padEnd(10)} ${response.status}  served by ${response.headers.get('x-switchyard-bucket')}`);
  };
  // The first answer of each account tells the router its windows; later sessions are placed by them.
  for (const session of ['one', 'two', 'three', 'four', 'five', 'six']) await send(session);
  say('  the first session again (its prompt cache is on that account):');
  for (let turn = 0; turn < 2; turn += 1) await send('one');
  const fullest = `anthropic/${buckets[0]}`;
  const seen = await showWindows(serverUrl, say);
  const reset = seen.find((row) => row.key === fullest)?.windows?.find((window) => window.name === '5h')?.resetsAt;
  if (reset !== null && reset !== undefined) {
    say(`  ${fullest}'s 5-hour window resets at ${reset} (its answers said so); waiting for it:`);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, Date.parse(reset) - Date.now()) + 50));
    say('  new sessions go to it again, the most left now:');
    for (const session of ['seven', 'eight']) await send(session);
    await showWindows(serverUrl, say);
  }
  for (const bucket of buckets) simulator.setUsageWindows(bucket, undefined);
}

/** What the answers said of each account, as `stats buckets` shows it; the rows, for what comes next. */
async function showWindows(serverUrl: string, say: Say): Promise<BucketRow[]> {
  const statistics = (await (await fetch(`${serverUrl}/stats/buckets`)).json()) as { buckets: BucketRow[] };
  say('  what the answers said of each account:');
  const metered = statistics.buckets.filter((entry) => (entry.windows ?? []).length > 0);
  for (const row of metered) say(`    ${row.key}: ${windowsText(row.windows ?? [], row.overage ?? null, Date.now())}`);
  return metered;
}
