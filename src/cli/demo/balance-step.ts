import { join } from 'node:path';
import type { SwitchyardPaths } from '../../config/paths.js';
import { writePrivateFile } from '../../config/secure-files.js';
import type { Simulator } from '../../provider-simulator/index.js';
import type { BucketRow } from '../commands/stats.js';
import { windowsText } from '../quota-text.js';

/** Used units of each account's 5-hour and 7-day windows (of 100 and 1,000) when the balancing part starts. */
const startingUse = [
  { fiveHours: 85, week: 500 },
  { fiveHours: 40, week: 700 },
  { fiveHours: 60, week: 200 },
];

/**
 * The demo's balancing part: the same accounts, metered in windows the way subscriptions are, behind a
 * `policy: balance` profile. New sessions go where the most is left; a session stays on its bucket.
 */
export async function showBalancing(
  context: { paths: SwitchyardPaths; simulator: Simulator; serverUrl: string; buckets: readonly string[] },
  say: (text: string) => void,
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
        { seconds: 5 * 3600, capacity: 100, used: use.fiveHours, resetInSeconds: 3600 * (index + 1) },
        { seconds: 7 * 86_400, capacity: 1000, used: use.week },
      ],
    });
  });
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
  const statistics = (await (await fetch(`${serverUrl}/stats/buckets`)).json()) as { buckets: BucketRow[] };
  say('  what the answers said of each account:');
  for (const row of statistics.buckets.filter((entry) => (entry.windows ?? []).length > 0))
    say(`    ${row.key}: ${windowsText(row.windows ?? [], row.overage ?? null, Date.now())}`);
  for (const bucket of buckets) simulator.setUsageWindows(bucket, undefined);
}
