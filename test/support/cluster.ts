import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInProcessRefreshLock } from '../../src/auth/refresh-lock.js';
import { resolvePaths } from '../../src/config/paths.js';
import { writePrivateFile } from '../../src/config/secure-files.js';
import type { ProviderName } from '../../src/core/types.js';
import { type Simulator, startSimulator } from '../../src/provider-simulator/index.js';
import { RedisTokenStore } from '../../src/state/cluster/redis-token-store.js';
import { simulatorConfig } from './harness.js';
import { deletePrefix, openConnection, randomPrefix } from './redis.js';
import { type BinaryResult, runBinary, startServeProcess } from './run-binary.js';

export interface Instance {
  url: string;
  home: string;
  environment: NodeJS.ProcessEnv;
  /** What the instance wrote to stderr so far (Redis losses and recoveries are logged there). */
  stderr(): string;
  stop(): Promise<void>;
}

/** N `switchyard serve` processes, each with its own SWITCHYARD_HOME, sharing one Redis prefix and one simulator. */
export interface Cluster {
  simulator: Simulator;
  prefix: string;
  instances: Instance[];
  /** Writes a profile into every instance's home (profiles are files, not shared state). */
  writeProfile(name: string, yaml: string): Promise<void>;
  /**
   * Creates a simulator account and stores its tokens in the cluster: with the real `auth import`
   * when `viaCli`, else straight into Redis (a process start saved per bucket).
   */
  addBucket(provider: ProviderName, name: string, options?: { expired?: boolean; viaCli?: boolean }): Promise<void>;
  /** Runs the CLI as instance `index`'s host would. */
  cli(args: string[], index?: number): Promise<BinaryResult>;
  close(): Promise<void>;
}

export async function startCluster(options: {
  redisUrl: string;
  instances: number;
  profiles: Record<string, string>;
  profile: string;
}): Promise<Cluster> {
  const simulator = await startSimulator();
  const prefix = randomPrefix();
  const homes: string[] = [];
  const scratch = await mkdtemp(join(tmpdir(), 'switchyard-cluster-'));
  for (let index = 0; index < options.instances; index += 1) {
    const home = await mkdtemp(join(tmpdir(), 'switchyard-instance-'));
    homes.push(home);
    await writePrivateFile(resolvePaths({ SWITCHYARD_HOME: home }).config, simulatorConfig(simulator.url));
  }
  const environmentOf = (index: number): NodeJS.ProcessEnv => ({
    SWITCHYARD_HOME: homes[index]!,
    HOME: homes[index]!,
    SWITCHYARD_REDIS_URL: options.redisUrl,
    SWITCHYARD_REDIS_PREFIX: prefix,
  });
  const writeProfile = async (name: string, yaml: string) => {
    for (const home of homes)
      await writePrivateFile(join(resolvePaths({ SWITCHYARD_HOME: home }).profiles, `${name}.yaml`), yaml);
  };
  for (const [name, yaml] of Object.entries(options.profiles)) await writeProfile(name, yaml);
  const instances: Instance[] = [];
  const cluster: Cluster = {
    simulator,
    prefix,
    instances,
    writeProfile,
    async addBucket(provider, name, bucketOptions = {}) {
      const account = simulator.addAccount(`${provider}-${name}`);
      const expiresAt = bucketOptions.expired ? Math.floor(Date.now() / 1000) - 60 : account.expiresAt;
      const tokens = {
        access_token: account.accessToken,
        refresh_token: account.refreshToken,
        expires_at: expiresAt,
        account_id: account.accountId,
      };
      if (!bucketOptions.viaCli) {
        const connection = await openConnection(options.redisUrl, prefix);
        try {
          await new RedisTokenStore({
            connection,
            fallBackToMemory: false,
            fallbackLock: createInProcessRefreshLock(),
            encryption: { kind: 'none' },
          }).write(provider, name, tokens);
        } finally {
          await connection.close();
        }
        return;
      }
      const file = join(scratch, `${provider}-${name}.json`);
      await writeFile(file, JSON.stringify(tokens));
      const imported = await cluster.cli(['auth', provider, 'import', name, '--from', file]);
      if (imported.code !== 0) throw new Error(`auth import failed: ${imported.stderr}`);
    },
    cli: (args, index = 0) => runBinary(args, environmentOf(index)),
    async close() {
      await Promise.all(instances.map((instance) => instance.stop()));
      await simulator.close();
      await deletePrefix(options.redisUrl, prefix);
      for (const home of [...homes, scratch]) await rm(home, { recursive: true, force: true });
    },
  };
  try {
    // Started together: a process start is the slowest part of these tests.
    const started = await Promise.allSettled(
      homes.map(async (home, index) => {
        const environment = environmentOf(index);
        const process = await startServeProcess(['--port', '0', '--profile', options.profile], environment);
        let stderr = '';
        process.child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
        const instance: Instance = { url: process.url, home, environment, stderr: () => stderr, stop: process.stop };
        return instance;
      }),
    );
    for (const result of started) if (result.status === 'fulfilled') instances.push(result.value);
    const failed = started.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
  } catch (error) {
    await cluster.close();
    throw error;
  }
  return cluster;
}

/** One Anthropic Messages request; resolves with status, the bucket that answered and the attempts trail. */
export async function sendMessage(
  url: string,
  profile?: string,
  session?: string,
): Promise<{ status: number; bucket: string | null; attempts: string | null }> {
  const response = await fetch(`${url}/v1/messages`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(profile !== undefined ? { 'x-switchyard-profile': profile } : {}),
      ...(session !== undefined ? { 'x-switchyard-session': session } : {}),
    },
    body: JSON.stringify({ model: 'claude-sonnet-4-6', max_tokens: 16, messages: [{ role: 'user', content: 'Hi' }] }),
  });
  await response.arrayBuffer();
  return {
    status: response.status,
    bucket: response.headers.get('x-switchyard-bucket'),
    attempts: response.headers.get('x-switchyard-attempts'),
  };
}
