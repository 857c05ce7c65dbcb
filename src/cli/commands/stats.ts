import { defineCommand } from 'citty';
import type { ClientStatistics } from '../../clients/client-statistics.js';
import type { PoolView } from '../../dashboard/pool-view.js';
import { readClusterQuota } from '../../state/cluster/read-cluster-quota.js';
import { readClusterStatistics } from '../../state/cluster/read-cluster-statistics.js';
import { readQuotaFile } from '../../state/quota-file.js';
import {
  type OverageView,
  overageView,
  type PoolWindow,
  summarizePool,
  type WindowView,
  windowViews,
} from '../../state/quota-summary.js';
import { type BucketStatistics, emptyStatistics } from '../../state/statistics.js';
import { readStatsFile } from '../../state/stats-file.js';
import { clusterSettingsOf, withCluster } from '../cluster-access.js';
import { CliError, type CliIo, printJson } from '../io.js';
import { loadPausedKeys } from '../paused-from-files.js';
import { poolFromFiles } from '../pool-from-files.js';
import { formatPoolQuota, windowsText } from '../quota-text.js';
import { describeAgo, describeIn } from '../relative-time.js';
import { findRunningServer, refusalOf } from '../running-server.js';
import { watchPool } from '../watch-pool.js';

export interface BucketRow extends BucketStatistics {
  key: string;
  state: string;
  availableAt: string | null;
  /** Why the bucket is in its state (the running server says; stats.json too). */
  reason?: string | null;
  /** Each usage window as the provider's answers described it (absent from an older server). */
  windows?: WindowView[];
  overage?: OverageView | null;
  /** Paused by hand (`switchyard bucket pause`). */
  paused?: boolean;
}

/** Every bucket's usage windows when no server runs here: the cluster's Redis, else quota.json. */
async function loadQuotaEntries(io: CliIo) {
  const cluster = await clusterSettingsOf(io);
  return cluster
    ? await withCluster(cluster, 'the quota cannot be read', readClusterQuota)
    : await readQuotaFile(io.paths.quota);
}

/** `stats quota`: the running server's GET /quota, else the pool summed from the persisted quota. */
async function loadPoolQuota(io: CliIo): Promise<{ generatedAt: string; pool: PoolWindow[]; buckets: unknown[] }> {
  const server = await findRunningServer(io.paths, io.environment);
  if (server) {
    const answer = await server.request('GET', '/quota');
    if (answer.status !== 200) throw new CliError(`The running server refused the quota: ${refusalOf(answer)}`);
    return answer.body as { generatedAt: string; pool: PoolWindow[]; buckets: unknown[] };
  }
  const now = Date.now();
  const entries = (await loadQuotaEntries(io)).sort(([left], [right]) => left.localeCompare(right));
  return {
    generatedAt: new Date(now).toISOString(),
    pool: summarizePool(entries, now),
    buckets: entries.map(([key, quota]) => ({ key, windows: windowViews(quota, now), overage: overageView(quota) })),
  };
}

/** Statistics from the running server when there is one, else from the persisted stats.json. */
export async function loadBucketRows(io: CliIo): Promise<{ rows: BucketRow[]; source: 'server' | 'cluster' | 'file' }> {
  const server = await findRunningServer(io.paths, io.environment);
  if (server) {
    const answer = await server.request('GET', '/stats/buckets');
    if (answer.status !== 200) throw new CliError(`The running server refused the statistics: ${refusalOf(answer)}`);
    return { rows: (answer.body as { buckets: BucketRow[] }).buckets, source: 'server' };
  }
  const cluster = await clusterSettingsOf(io);
  const persisted = cluster
    ? await withCluster(cluster, 'the statistics cannot be read', readClusterStatistics)
    : await readStatsFile(io.paths.stats, Date.now());
  const states = new Map(persisted.states);
  const rows: BucketRow[] = Object.entries(persisted.statistics).map(([key, statistics]) => {
    const state = states.get(key as `anthropic/${string}`);
    return {
      key,
      ...emptyStatistics(),
      ...statistics,
      state: state?.status ?? 'ready',
      availableAt: state?.until !== undefined ? new Date(state.until).toISOString() : null,
    };
  });
  for (const [key, state] of states) {
    if (!persisted.statistics[key])
      rows.push({
        key,
        ...emptyStatistics(),
        state: state.status,
        availableAt: state.until !== undefined ? new Date(state.until).toISOString() : null,
      });
  }
  const now = Date.now();
  for (const [key, quota] of await loadQuotaEntries(io)) {
    let row = rows.find((candidate) => candidate.key === key);
    if (row === undefined) {
      row = { key, ...emptyStatistics(), state: 'ready', availableAt: null };
      rows.push(row);
    }
    row.windows = windowViews(quota, now);
    row.overage = overageView(quota);
  }
  for (const key of await loadPausedKeys(io, cluster)) {
    const row = rows.find((candidate) => candidate.key === key);
    if (row === undefined) rows.push({ key, ...emptyStatistics(), state: 'ready', availableAt: null, paused: true });
    else row.paused = true;
  }
  return { rows, source: cluster ? 'cluster' : 'file' };
}

/** DESIGN's shape: `  provider/bucket: N requests (last used: ...)`, then more columns on the same line. */
export function formatBucketRows(rows: BucketRow[], now: number): string {
  const lines = ['OAuth Bucket Statistics:'];
  if (rows.length === 0) lines.push('  (no bucket has been used yet)');
  const sorted = [...rows].sort((left, right) => left.key.localeCompare(right.key));
  for (const row of sorted) {
    const lastUsed = row.lastUsed === null ? 'never' : describeAgo(row.lastUsed, now);
    const extra = [
      `${row.successes} ok`,
      `${row.rateLimited} rate-limited`,
      `${row.paymentRequired} payment`,
      `${row.unauthorized} unauthorized`,
      `${row.refreshes} refreshes`,
      `${row.otherErrors} other errors`,
      `tokens ${row.inputTokens} in / ${row.outputTokens} out`,
      stateText(row, now) + (row.paused ? ', paused by hand' : ''),
    ];
    const windows = windowsText(row.windows ?? [], row.overage ?? null, now);
    lines.push(
      `  ${row.key}: ${row.requests} requests (last used: ${lastUsed}); ${extra.join(', ')}` +
        (windows === '' ? '' : `; ${windows}`),
    );
  }
  return `${lines.join('\n')}\n`;
}

function stateText(row: BucketRow, now: number): string {
  if (row.state === 'ready') return 'ready';
  if (row.availableAt === null) return row.state;
  const why = row.state === 'resting' && row.reason ? `, after failures: ${row.reason}` : '';
  return `${row.state} until ${row.availableAt} (${describeIn(Date.parse(row.availableAt), now)}${why})`;
}

/** The pool view for `--watch`: from the running server's /dashboard/data, else from the files. */
async function loadPool(io: CliIo): Promise<PoolView> {
  const server = await findRunningServer(io.paths, io.environment);
  if (!server) return poolFromFiles(io, Date.now());
  const answer = await server.request('GET', '/dashboard/data');
  if (answer.status !== 200) throw new CliError(`The running server refused the pool view: ${refusalOf(answer)}`);
  return answer.body as PoolView;
}

/** `stats clients`: per-client counts, which only a running server keeps. */
async function loadClientStatistics(io: CliIo): Promise<ClientStatisticsAnswer> {
  const server = await findRunningServer(io.paths, io.environment);
  if (!server)
    throw new CliError(
      'Per-client statistics live in the running server, and none runs from ' +
        'this SWITCHYARD_HOME: start one with `switchyard serve`.',
    );
  const answer = await server.request('GET', '/stats/clients');
  if (answer.status !== 200)
    throw new CliError(`The running server refused the client statistics: ${refusalOf(answer)}`);
  return answer.body as ClientStatisticsAnswer;
}

interface ClientStatisticsAnswer {
  clients: (Omit<ClientStatistics, 'lastUsed'> & { lastUsed: string | null })[];
}

/** One line per client: requests, outcome, refusals, tokens, last use. */
export function formatClientStatistics(answer: ClientStatisticsAnswer, now: number): string {
  const lines = ['Client Statistics (since the server started):'];
  if (answer.clients.length === 0) lines.push('  (no client keys are configured: see `switchyard client add`)');
  for (const client of answer.clients) {
    const lastUsed = client.lastUsed === null ? 'never' : describeAgo(Date.parse(client.lastUsed), now);
    const profiles =
      Object.entries(client.profiles)
        .map(([profile, count]) => `${profile} ${count}`)
        .join(', ') || 'none';
    lines.push(
      `  ${client.name}: ${client.requests} requests (last used: ${lastUsed}); ${client.successes} ` +
        `ok, ${client.failures} failed, ${client.forbidden} forbidden, ${client.rateLimited} ` +
        `rate-limited, tokens ${client.inputTokens} in / ${client.outputTokens} ` +
        `out; profiles: ${profiles}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

export const statsCommand = (io: CliIo) =>
  defineCommand({
    meta: { name: 'stats', description: 'Usage statistics' },
    subCommands: {
      buckets: defineCommand({
        meta: {
          name: 'buckets',
          description: 'Per-bucket statistics, from the running server or the persisted stats.json',
        },
        args: {
          json: { type: 'boolean', description: 'Print machine-readable JSON (with --watch: one object per line)' },
          watch: {
            type: 'boolean',
            description: "Live view of every profile's chain, redrawn each interval until Ctrl-C",
          },
          interval: { type: 'string', valueHint: 'S', description: 'Seconds between redraws with --watch (default 1)' },
        },
        async run({ args }) {
          if (args.watch) {
            const seconds = args.interval === undefined ? 1 : Number(args.interval);
            if (!Number.isFinite(seconds) || seconds < 0.1 || seconds > 3600)
              throw new CliError(`--interval must be a number of seconds from 0.1 to 3600, not "${args.interval}".`);
            const controller = new AbortController();
            const stop = () => controller.abort();
            process.once('SIGINT', stop);
            process.once('SIGTERM', stop);
            try {
              await watchPool(io, {
                load: () => loadPool(io),
                intervalMs: seconds * 1000,
                signal: controller.signal,
                json: Boolean(args.json),
              });
            } finally {
              process.off('SIGINT', stop);
              process.off('SIGTERM', stop);
            }
            return;
          }
          const { rows } = await loadBucketRows(io);
          if (args.json) printJson(io, { buckets: rows });
          else io.stdout(formatBucketRows(rows, Date.now()));
        },
      }),
      quota: defineCommand({
        meta: {
          name: 'quota',
          description:
            "Per provider and window, the pool's used share, resets, and when it runs dry at the current rate",
        },
        args: { json: { type: 'boolean', description: 'Print machine-readable JSON' } },
        async run({ args }) {
          const answer = await loadPoolQuota(io);
          if (args.json) printJson(io, answer);
          else io.stdout(formatPoolQuota(answer.pool, Date.now()));
        },
      }),
      clients: defineCommand({
        meta: {
          name: 'clients',
          description: 'Per-client statistics from the running server (client keys in config.yaml)',
        },
        args: { json: { type: 'boolean', description: 'Print machine-readable JSON' } },
        async run({ args }) {
          const answer = await loadClientStatistics(io);
          if (args.json) printJson(io, answer);
          else io.stdout(formatClientStatistics(answer, Date.now()));
        },
      }),
    },
  });
