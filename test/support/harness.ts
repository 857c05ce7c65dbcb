import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolvePaths, type SwitchyardPaths, tokenFilePath } from '../../src/config/paths.js';
import { writePrivateFile, writePrivateJson } from '../../src/config/secure-files.js';
import { ManualClock } from '../../src/core/manual-clock.js';
import type { ProviderName } from '../../src/core/types.js';
import { type Simulator, startSimulator } from '../../src/provider-simulator/index.js';
import type { RequestObserver } from '../../src/router/router-observer.js';
import { type RunningServer, startServer } from '../../src/server/start-server.js';

/** A switchyard home, a simulator and (once started) a router, all on loopback. */
export interface Harness {
  home: string;
  paths: SwitchyardPaths;
  simulator: Simulator;
  clock: ManualClock;
  /** Creates a simulator account and stores its tokens as bucket `name` of `provider`. */
  addBucket(
    provider: ProviderName,
    name: string,
    options?: { expiresInSeconds?: number; apiKey?: boolean },
  ): Promise<{ accessToken: string; refreshToken: string }>;
  writeProfile(name: string, yaml: string): Promise<void>;
  /** `warn` receives the server's warnings (by default they are dropped). */
  startRouter(options?: {
    profile?: string;
    environment?: NodeJS.ProcessEnv;
    observers?: RequestObserver[];
    warn?: (message: string) => void;
  }): Promise<RunningServer>;
  router(): RunningServer;
  close(): Promise<void>;
}

/** config.yaml that points every provider at the simulator, with fast retries for tests. */
export function simulatorConfig(simulatorUrl: string, extra = ''): string {
  const providers = ['anthropic', 'openai', 'codex', 'gemini', 'qwen']
    .map((name) => {
      const baseUrl =
        name === 'openai' || name === 'qwen'
          ? `${simulatorUrl}/v1`
          : name === 'codex'
            ? `${simulatorUrl}/backend-api/codex`
            : simulatorUrl;
      return `  ${name}:\n    baseUrl: ${baseUrl}\n    tokenUrl: ${simulatorUrl}/oauth/token\n`;
    })
    .join('');
  return `providers:\n${providers}routing:\n  retryBackoffMs: 0\n  serverErrorRetries: 2\n${extra}`;
}

export async function createHarness(options: { configExtra?: string } = {}): Promise<Harness> {
  const home = await mkdtemp(join(tmpdir(), 'switchyard-test-'));
  const paths = resolvePaths({ SWITCHYARD_HOME: home });
  const clock = new ManualClock(Date.parse('2026-11-23T10:00:00.000Z'));
  const simulator = await startSimulator({ clock });
  await writePrivateFile(paths.config, simulatorConfig(simulator.url, options.configExtra));
  let running: RunningServer | undefined;
  const apiKeys = new Map<string, string>();

  return {
    home,
    paths,
    simulator,
    clock,
    async addBucket(provider, name, bucketOptions = {}) {
      const account = simulator.addAccount(`${provider}-${name}`, {
        ...(bucketOptions.expiresInSeconds !== undefined ? { expiresInSeconds: bucketOptions.expiresInSeconds } : {}),
      });
      if (bucketOptions.apiKey) {
        const variable = `TEST_KEY_${provider}_${name}`.replace(/[^A-Za-z0-9_]/g, '_').toUpperCase();
        apiKeys.set(variable, account.apiKey);
        await writePrivateJson(tokenFilePath(paths, provider, name), { type: 'api_key', env: variable });
      } else {
        await writePrivateJson(tokenFilePath(paths, provider, name), {
          access_token: account.accessToken,
          refresh_token: account.refreshToken,
          expires_at: account.expiresAt,
          token_type: 'Bearer',
          account_id: account.accountId,
        });
      }
      return { accessToken: account.accessToken, refreshToken: account.refreshToken };
    },
    async writeProfile(name, yaml) {
      await writePrivateFile(join(paths.profiles, `${name}.yaml`), yaml);
    },
    async startRouter(routerOptions = {}) {
      running = await startServer({
        paths,
        clock,
        port: 0,
        announce: false,
        environment: { ...Object.fromEntries(apiKeys), ...routerOptions.environment },
        ...(routerOptions.profile !== undefined ? { profile: routerOptions.profile } : {}),
        ...(routerOptions.observers !== undefined ? { observers: routerOptions.observers } : {}),
        warn: routerOptions.warn ?? (() => undefined),
      });
      return running;
    },
    router() {
      if (!running) throw new Error('startRouter() first');
      return running;
    },
    async close() {
      await running?.close();
      await simulator.close();
      await rm(home, { recursive: true, force: true });
    },
  };
}
