// Issue 19's figures: four Anthropic buckets of unequal remaining capacity and reset times, 200
// sessions, served under failover, roundrobin (sticky) and balance, side by side:
// `npm run build && node bench/quota-balance.mjs`. Prints the figures; bench/RESULTS.md records them.
// The simulator meters each account in a 5-hour window and sends Anthropic's unified headers on
// every answer; the router runs in this process (both loopback), so throughput is a relative figure.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolvePaths, tokenFilePath } from '../dist/config/paths.js';
import { writePrivateFile, writePrivateJson } from '../dist/config/secure-files.js';
import { startSimulator } from '../dist/provider-simulator/index.js';
import { startServer } from '../dist/server/start-server.js';

const log = (text) => process.stdout.write(`${text}\n`);
/** Capacity, units already used, and hours to the window's reset: unequal on purpose. */
const buckets = [
  { name: 'a', capacity: 1000, used: 0, resetHours: 4 },
  { name: 'b', capacity: 1000, used: 250, resetHours: 1 },
  { name: 'c', capacity: 800, used: 400, resetHours: 3 },
  { name: 'd', capacity: 600, used: 420, resetHours: 2 },
];
const sessions = 200;
/** Sessions open at once; each asks `turns` questions, then the next session starts (as a team's day goes). */
const concurrency = 16;
const turns = 12;
const threshold = 0.9;
const poolLeft = buckets.reduce((total, bucket) => total + bucket.capacity - bucket.used, 0);

/** One policy's run from a fresh pool until every bucket is spent. */
async function run(policy) {
  const home = mkdtempSync(join(tmpdir(), 'switchyard-quota-bench-'));
  const paths = resolvePaths({ SWITCHYARD_HOME: home });
  const simulator = await startSimulator();
  let server;
  try {
    await writePrivateFile(
      paths.config,
      `providers:\n  anthropic:\n    baseUrl: ${simulator.url}\n    tokenUrl: ${simulator.url}/oauth/token\n`,
    );
    for (const bucket of buckets) {
      const account = simulator.addAccount(bucket.name);
      simulator.setUsageWindows(bucket.name, {
        style: 'anthropic',
        windows: [
          { seconds: 5 * 3600, capacity: bucket.capacity, used: bucket.used, resetInSeconds: bucket.resetHours * 3600 },
        ],
      });
      await writePrivateJson(tokenFilePath(paths, 'anthropic', bucket.name), {
        access_token: account.accessToken,
        refresh_token: account.refreshToken,
        expires_at: account.expiresAt,
        token_type: 'Bearer',
      });
    }
    const sticky = policy === 'roundrobin' ? 'sticky: true\n' : '';
    await writePrivateFile(
      join(paths.profiles, 'pool.yaml'),
      `type: model\nprovider: anthropic\nmodel: claude-sonnet-4-6\nbuckets: [a, b, c, d]\npolicy: ${policy}\n${sticky}`,
    );
    server = await startServer({
      paths,
      port: 0,
      profile: 'pool',
      announce: false,
      environment: {},
      warn: () => undefined,
    });
    const shares = () =>
      Object.fromEntries(
        buckets.map((bucket) => {
          const window = simulator.usageWindows(bucket.name)[0];
          return [bucket.name, window.used / window.capacity];
        }),
      );
    let served = 0;
    let upstream429 = 0;
    let spentAt;
    let spreadAtHalf;
    let halfServedMs;
    const lastBucket = new Map();
    let movedUnderThreshold = 0;
    let moves = 0;
    const startedAt = performance.now();
    // CPU time (router and simulator share this process) holds still on a loaded machine; wall time does not.
    const cpuAtStart = process.cpuUsage();
    let cpuAtHalf;
    let nextSession = 0;
    const ask = async (session) => {
      const before = shares();
      const response = await fetch(`${server.url}/v1/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-switchyard-session': session },
        body: JSON.stringify({
          model: 'claude-sonnet-4-6',
          max_tokens: 16,
          messages: [{ role: 'user', content: 'Hi' }],
        }),
      });
      await response.arrayBuffer();
      const attempts = response.headers.get('x-switchyard-attempts') ?? '';
      if (response.status !== 200) {
        // Every bucket refused: the pool is spent; 429s on the way were met at the wall.
        spentAt ??= served;
        return;
      }
      upstream429 += (attempts.match(/:429/g) ?? []).length;
      if (process.env.QUOTA_BENCH_DEBUG && attempts.includes(':429'))
        log(
          `${policy} 429: ${attempts} served ${served} ` +
            `before ${JSON.stringify(before)} now ${JSON.stringify(shares())}`,
        );
      served += 1;
      const bucket = (response.headers.get('x-switchyard-bucket') ?? '').split('/')[1];
      const previous = lastBucket.get(session);
      if (previous !== undefined && previous !== bucket) {
        moves += 1;
        // Moved while its bucket was under the threshold, and not because that bucket refused.
        if (before[previous] < threshold && !attempts.includes(`anthropic/${previous}:`)) movedUnderThreshold += 1;
      }
      lastBucket.set(session, bucket);
      if (spreadAtHalf === undefined && served >= poolLeft / 2) {
        const values = Object.values(shares());
        spreadAtHalf = Math.max(...values) - Math.min(...values);
        if (process.env.QUOTA_BENCH_DEBUG) log(`${policy} at half: ${JSON.stringify(shares())}`);
        halfServedMs = performance.now() - startedAt;
        const cpu = process.cpuUsage(cpuAtStart);
        cpuAtHalf = cpu.user + cpu.system;
      }
    };
    const worker = async () => {
      // Sessions beyond the 200th reuse the first ids: the pool outlasts 200 x turns only when nothing balances.
      while (spentAt === undefined) {
        const session = `session-${nextSession % sessions}`;
        nextSession += 1;
        for (let turn = 0; turn < turns && spentAt === undefined; turn += 1) await ask(session);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    return {
      policy,
      served,
      spreadAtHalf,
      upstream429,
      movedUnderThreshold,
      moves,
      throughput: (poolLeft / 2 / halfServedMs) * 1000,
      cpuPerAnswer: cpuAtHalf / (poolLeft / 2),
      finalShares: shares(),
    };
  } finally {
    await server?.close();
    await simulator.close();
    rmSync(home, { recursive: true, force: true });
  }
}

const rounds = Number(process.argv[2] ?? 3);
const results = { failover: [], roundrobin: [], balance: [] };
for (let round = 0; round < rounds; round += 1) {
  // Alternated, so no policy always runs on a warmer process.
  const order = round % 2 === 0 ? ['failover', 'roundrobin', 'balance'] : ['balance', 'roundrobin', 'failover'];
  for (const policy of order) results[policy].push(await run(policy));
}
const median = (values) => {
  const sorted = [...values].sort((left, right) => left - right);
  return sorted[Math.floor(sorted.length / 2)];
};
const pool = buckets.map(
  (bucket) => `${bucket.name} ${bucket.used}/${bucket.capacity} used, resets in ${bucket.resetHours} h`,
);
log(`pool: ${pool.join('; ')}`);
log(`${sessions} sessions of ${turns} turns, ${concurrency} at once, ${rounds} rounds (medians)`);
log(`${poolLeft} answers left in the pool`);
for (const policy of ['failover', 'roundrobin', 'balance']) {
  const runs = results[policy];
  const figure = (name) => median(runs.map((run) => run[name]));
  log(
    `${policy}: served ${figure('served')}, spread of used share at half the pool ` +
      `${figure('spreadAtHalf').toFixed(3)}, upstream 429s before the pool was spent ${figure('upstream429')}, ` +
      `sessions moved ${figure('moves')} (under the threshold ${figure('movedUnderThreshold')}), ` +
      `throughput to half the pool ${figure('throughput').toFixed(0)} requests/s, ` +
      `CPU per answer ${figure('cpuPerAnswer').toFixed(0)} µs`,
  );
}
const ratios = results.balance.map((run, index) => run.throughput / results.failover[index].throughput);
log(`balance / failover throughput (median of the rounds' own ratios): ${median(ratios).toFixed(2)}`);
const cpuRatios = results.balance.map((run, index) => results.failover[index].cpuPerAnswer / run.cpuPerAnswer);
log(
  "balance / failover throughput by CPU time per answer (median of the rounds' ratios): " +
    median(cpuRatios).toFixed(2),
);
