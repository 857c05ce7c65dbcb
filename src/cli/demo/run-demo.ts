import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolvePaths, tokenFilePath } from '../../config/paths.js';
import { writePrivateFile, writePrivateJson } from '../../config/secure-files.js';
import { startSimulator } from '../../provider-simulator/index.js';
import { startServer } from '../../server/start-server.js';
import { type BucketRow, formatBucketRows } from '../commands/stats.js';
import type { CliIo } from '../io.js';
import { controlExamples, messageExample } from '../simulator/simulator-guide.js';
import { untilStopped } from '../until-stopped.js';
import { demoTimeScale, showBalancing } from './balance-step.js';

const buckets = ['work1@company.com', 'work2@company.com', 'personal@gmail.com'] as const;

/**
 * A newcomer's tour: a simulated Anthropic with three accounts behind one failover profile.
 * Everything lives in a temporary SWITCHYARD_HOME on loopback; the user's own files are untouched.
 */
export async function runDemo(io: CliIo, options: { pauseMs: number; keep: boolean }): Promise<void> {
  const home = await mkdtemp(join(tmpdir(), 'switchyard-demo-'));
  const paths = resolvePaths({ SWITCHYARD_HOME: home });
  const simulator = await startSimulator({ timeScale: demoTimeScale });
  const pause = () => new Promise((resolve) => setTimeout(resolve, options.pauseMs));
  const say = (text: string) => io.stdout(`${text}\n`);
  try {
    await writePrivateFile(
      paths.config,
      `providers:\n  anthropic:\n    baseUrl: ${simulator.url}\n    tokenUrl: ${simulator.url}/oauth/token\n`,
    );
    for (const bucket of buckets) {
      const account = simulator.addAccount(bucket);
      await writePrivateJson(tokenFilePath(paths, 'anthropic', bucket), {
        access_token: account.accessToken,
        refresh_token: account.refreshToken,
        expires_at: account.expiresAt,
        token_type: 'Bearer',
      });
    }
    await writePrivateFile(
      join(paths.profiles, 'ha-claude.yaml'),
      `type: model\nprovider: anthropic\nmodel: claude-sonnet-4-6\nbuckets: [${buckets.join(', ')}]\n`,
    );
    const server = await startServer({
      paths,
      port: 0,
      profile: 'ha-claude',
      // Kept running, it writes server.json so that `SWITCHYARD_HOME=... switchyard stats` finds it.
      announce: options.keep,
      environment: {},
      warn: () => undefined,
    });
    try {
      say(`switchyard demo: a simulated Anthropic at ${simulator.url}, the router at ${server.url}`);
      say(`profile ha-claude: failover over ${buckets.join(' -> ')}\n`);
      const send = async (label: string) => {
        const response = await fetch(`${server.url}/v1/messages`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
          body: JSON.stringify({
            model: 'claude-sonnet-4-6',
            max_tokens: 64,
            messages: [{ role: 'user', content: 'Hello!' }],
          }),
        });
        const text = await response.text();
        const bucket = response.headers.get('x-switchyard-bucket') ?? '-';
        const attempts = response.headers.get('x-switchyard-attempts') ?? '-';
        say(`  ${label.padEnd(34)} ${response.status}  served by ${bucket.padEnd(32)} attempts: ${attempts}`);
        return { status: response.status, text, retryAfter: response.headers.get('retry-after') };
      };

      say('1. Normal traffic goes to the primary:');
      await send('request');
      await send('request');
      await pause();

      say('\n2. The primary hits its limit (429, resets in 2 s): the same request moves on at once, no sleep:');
      simulator.script(buckets[0], [{ kind: 'rate-limit', style: 'anthropic-unified', resetSeconds: 2 }]);
      await send('request meets the 429');
      const before = simulator.counts(buckets[0]).requests;
      await send('request');
      await send('request');
      say(`  calls that reached the cooling primary meanwhile: ${simulator.counts(buckets[0]).requests - before}`);
      await pause();

      say('\n3. Its reset time passes: traffic returns to the primary:');
      const resting = (await (await fetch(`${server.url}/stats/buckets`)).json()) as { buckets: BucketRow[] };
      const availableAt = Date.parse(
        resting.buckets.find((row) => row.key === `anthropic/${buckets[0]}`)?.availableAt ?? '',
      );
      if (Number.isFinite(availableAt)) {
        say(`  (the router learned its reset from the 429: ${new Date(availableAt).toISOString()}; waiting for it)`);
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, availableAt - Date.now()) + 50));
      }
      await send('request after the reset');
      await pause();

      say('\n4. Balancing (`policy: balance`): new sessions go where the most is left, ties to the soonest reset:');
      await showBalancing({ paths, simulator, serverUrl: server.url, buckets }, say);
      await pause();

      say('\n5. Every account is spent: one clear answer with the first reset time:');
      buckets.forEach((bucket, index) => {
        simulator.setBehavior(bucket, {
          kind: 'rate-limit',
          style: 'anthropic-unified',
          resetSeconds: 3600 * (index + 1),
          quota: true,
        });
      });
      const exhausted = await send('request');
      const message = (JSON.parse(exhausted.text) as { error?: { message?: string } }).error?.message ?? exhausted.text;
      say(`  Retry-After: ${exhausted.retryAfter} s`);
      say(`  ${message}`);
      await pause();

      const statistics = (await (await fetch(`${server.url}/stats/buckets`)).json()) as { buckets: BucketRow[] };
      say(`\n6. switchyard stats buckets:\n${formatBucketRows(statistics.buckets, Date.now())}`);
      if (options.keep) {
        // A fresh start for the user's own requests: no scripted failure left, no bucket resting.
        for (const bucket of buckets) {
          simulator.setBehavior(bucket, undefined);
          server.context.states.clear(`anthropic/${bucket}`);
        }
        const stopped = untilStopped();
        say(keptRunningGuide(server.url, simulator.url, home));
        const signal = await stopped;
        say(`switchyard demo: ${signal} received, stopping the router and the simulator`);
      } else {
        say(
          'Next: `switchyard auth anthropic import <bucket> --from FILE`, ' +
            '`switchyard profile load ha-claude`, `switchyard serve`; ' +
            '`switchyard demo --keep` leaves this running to try, `switchyard simulator` runs the simulator alone.',
        );
      }
    } finally {
      await server.close();
    }
  } finally {
    await simulator.close();
    await rm(home, { recursive: true, force: true });
  }
}

/** What `demo --keep` prints once the tour is over: requests to send and failures to script, as curl lines. */
function keptRunningGuide(routerUrl: string, simulatorUrl: string, home: string): string {
  const lines = [
    `\n6. The router (${routerUrl}) and the simulator (${simulatorUrl}) keep running until Ctrl-C. Try:`,
    `  ${messageExample(routerUrl)}`,
    `     (the answer's x-switchyard-bucket and x-switchyard-attempts headers say who served it)`,
    ...controlExamples(simulatorUrl, buckets[0]).flatMap((example, index) =>
      index === 0
        ? [`  ${example}`, '     (then send the message again: it moves to the next bucket)']
        : [`  ${example}`],
    ),
    `  curl -s ${routerUrl}/stats/buckets`,
    `  the dashboard: ${routerUrl}/dashboard`,
    `  SWITCHYARD_HOME=${home} switchyard stats buckets   # any command, on the demo's own home`,
    `  ANTHROPIC_BASE_URL=${routerUrl} your-anthropic-client   # any Anthropic client, the key is not checked`,
    "The simulator's control API: docs/simulator.md. The demo home is deleted when it stops.",
  ];
  return lines.join('\n');
}
