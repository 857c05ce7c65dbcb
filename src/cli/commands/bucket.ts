import { defineCommand } from 'citty';
import { readJsonOrNull, writePrivateJson } from '../../config/secure-files.js';
import { type BucketAction, bucketActionDone } from '../../core/bucket-actions.js';
import { isValidName } from '../../core/names.js';
import { resolveProviderName } from '../../core/provider-names.js';
import { type BucketKey, bucketKey } from '../../core/types.js';
import { RedisBucketStateStore } from '../../state/cluster/redis-bucket-state-store.js';
import { RedisPausedBuckets } from '../../state/cluster/redis-paused-buckets.js';
import { RedisQuotaStore } from '../../state/cluster/redis-quota-store.js';
import { FilePausedBuckets } from '../../state/paused-buckets.js';
import { clusterSettingsOf, withCluster } from '../cluster-access.js';
import { CliError, type CliIo } from '../io.js';
import { findRunningServer, refusalOf } from '../running-server.js';

/** `<provider>/<bucket>` as the user typed it, checked (`claude` is accepted for anthropic). */
export function parseBucketArgument(text: string): BucketKey {
  const slash = text.indexOf('/');
  if (slash === -1)
    throw new CliError(`Name the bucket as <provider>/<bucket>, e.g. anthropic/work1@company.com (not "${text}").`);
  const provider = resolveProviderName(text.slice(0, slash));
  if (provider === undefined)
    throw new CliError(`Unknown provider "${text.slice(0, slash)}": use anthropic, openai, codex, gemini or qwen.`);
  const bucket = text.slice(slash + 1);
  if (!isValidName(bucket)) throw new CliError(`Invalid bucket name "${bucket}": use 1-64 of A-Z a-z 0-9 . _ @ + -.`);
  return bucketKey(provider, bucket);
}

const done = bucketActionDone;

async function run(io: CliIo, action: BucketAction, key: BucketKey): Promise<void> {
  const server = await findRunningServer(io.paths, io.environment);
  if (server) {
    const [provider, bucket] = [key.slice(0, key.indexOf('/')), key.slice(key.indexOf('/') + 1)];
    const answer = await server.request(
      'POST',
      `/buckets/${encodeURIComponent(provider)}/${encodeURIComponent(bucket)}/${action}`,
    );
    if (answer.status !== 200)
      throw new CliError(`The running server refused to ${action} ${key}: ${refusalOf(answer)}`);
    io.stdout(`${done[action](key)} (server at ${server.url})\n`);
    return;
  }
  const cluster = await clusterSettingsOf(io);
  if (cluster) {
    await withCluster(
      cluster,
      `${key} cannot be ${action === 'reset' ? 'reset' : `${action}d`}`,
      async (connection) => {
        if (action === 'reset') {
          const states = new RedisBucketStateStore({ connection, now: () => Date.now() });
          const quota = new RedisQuotaStore({ connection });
          try {
            await states.reload();
            await quota.reload();
            states.clear(key);
            quota.clear(key);
            await states.idle();
            await quota.idle();
          } finally {
            await states.close();
            await quota.close();
          }
          return;
        }
        const paused = new RedisPausedBuckets(connection);
        try {
          if (action === 'pause') await paused.pause(key);
          else await paused.resume(key);
        } finally {
          await paused.close();
        }
      },
    );
    io.stdout(`${done[action](key)} (every instance sharing Redis)\n`);
    return;
  }
  if (action === 'reset') await resetInFiles(io, key);
  else {
    const paused = await FilePausedBuckets.open(io.paths.paused).catch((error: unknown) => {
      throw new CliError(error instanceof Error ? error.message : String(error));
    });
    if (action === 'pause') await paused.pause(key);
    else await paused.resume(key);
    await paused.close();
  }
  io.stdout(`${done[action](key)} (no server runs here: the next \`switchyard serve\` starts so)\n`);
}

/** With no server running, a rest lives in stats.json and the windows in quota.json: both forget the bucket's. */
async function resetInFiles(io: CliIo, key: BucketKey): Promise<void> {
  const stats = (await readJsonOrNull(io.paths.stats).catch(() => null)) as {
    buckets?: Record<string, Record<string, unknown>>;
  } | null;
  const record = stats?.buckets?.[key];
  if (stats && record && 'state' in record) {
    delete record.state;
    delete record.availableAt;
    delete record.reason;
    await writePrivateJson(io.paths.stats, stats);
  }
  const quota = (await readJsonOrNull(io.paths.quota).catch(() => null)) as {
    buckets?: Record<string, unknown>;
  } | null;
  if (quota?.buckets?.[key] !== undefined) {
    delete quota.buckets[key];
    await writePrivateJson(io.paths.quota, quota);
  }
}

function actionCommand(io: CliIo, action: BucketAction, description: string) {
  return defineCommand({
    meta: { name: action, description },
    args: { bucket: { type: 'positional', required: true, description: '<provider>/<bucket>, e.g. anthropic/work1' } },
    async run({ args }) {
      await run(io, action, parseBucketArgument(String(args.bucket)));
    },
  });
}

export const bucketCommand = (io: CliIo) =>
  defineCommand({
    meta: { name: 'bucket', description: 'Pause, resume or reset one bucket by hand' },
    subCommands: {
      pause: actionCommand(io, 'pause', 'Stop sending requests to a bucket until it is resumed'),
      resume: actionCommand(io, 'resume', 'Send requests to a paused bucket again'),
      reset: actionCommand(io, 'reset', "Clear a bucket's rest (and its windows' spent status) by hand"),
    },
  });
