import { defineCommand } from 'citty';
import { readStatsFile } from '../../state/stats-file.js';
import { emptyStatistics, type BucketStatistics } from '../../state/statistics.js';
import { readClusterStatistics } from '../../state/redis/read-cluster-statistics.js';
import { clusterSettingsOf, withCluster } from '../cluster-access.js';
import { CliError, printJson, type CliIo } from '../io.js';
import { describeAgo, describeIn } from '../relative-time.js';
import { findRunningServer, refusalOf } from '../running-server.js';

export interface BucketRow extends BucketStatistics {
  key: string;
  state: string;
  availableAt: string | null;
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
  const rows = Object.entries(persisted.statistics).map(([key, statistics]) => {
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
    if (!persisted.statistics[key]) rows.push({ key, ...emptyStatistics(), state: state.status, availableAt: state.until !== undefined ? new Date(state.until).toISOString() : null });
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
      stateText(row, now),
    ];
    lines.push(`  ${row.key}: ${row.requests} requests (last used: ${lastUsed}); ${extra.join(', ')}`);
  }
  return `${lines.join('\n')}\n`;
}

function stateText(row: BucketRow, now: number): string {
  if (row.state === 'ready') return 'ready';
  if (row.availableAt === null) return row.state;
  return `${row.state} until ${row.availableAt} (${describeIn(Date.parse(row.availableAt), now)})`;
}

export const statsCommand = (io: CliIo) =>
  defineCommand({
    meta: { name: 'stats', description: 'Usage statistics' },
    subCommands: {
      buckets: defineCommand({
        meta: { name: 'buckets', description: 'Per-bucket statistics, from the running server or the persisted stats.json' },
        args: { json: { type: 'boolean', description: 'Print machine-readable JSON' } },
        async run({ args }) {
          const { rows } = await loadBucketRows(io);
          if (args.json) printJson(io, { buckets: rows });
          else io.stdout(formatBucketRows(rows, Date.now()));
        },
      }),
    },
  });
