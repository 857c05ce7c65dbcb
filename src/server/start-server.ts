import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type ProactiveRefresh, startProactiveRefresh } from '../auth/proactive-refresh.js';
// Each from its own module, not the auth index: the index also brings the import formats (their
// zod schemas), which serving never uses.
import { type SeedOutcome, seedFromEnvironment } from '../auth/seed-from-environment.js';
import { readTokenKey } from '../auth/token-key.js';
import { createTokenManager } from '../auth/token-manager.js';
import { ClientStatisticsStore } from '../clients/client-statistics.js';
import { loadSettings } from '../config/load-settings.js';
import type { SwitchyardPaths } from '../config/paths.js';
import { refuseSymbolicLink } from '../config/secure-files.js';
import { providerNames } from '../core/provider-names.js';
import { bucketKey, type Clock, type ProviderName, systemClock } from '../core/types.js';
import { SwitchyardMetrics } from '../metrics/switchyard-metrics.js';
import { defaultExampleDirectory } from '../profiles/index.js';
import type { Chain } from '../profiles/types.js';
import { createProviderRegistry } from '../providers/registry.js';
import { Router } from '../router/router.js';
import { combineObservers, type RequestObserver } from '../router/router-observer.js';
import { UpstreamClient } from '../router/upstream-client.js';
import { redisSettingsOf } from '../state/cluster/redis-settings.js';
import { openEmbeddedState } from '../state/embedded-state.js';
import type { StateBackend } from '../state/state-backend.js';
import { ActiveProfiles } from './active-profiles.js';
import { createAuthAdministration } from './auth-administration.js';
import { browserPolicyOf, withBrowserGuard } from './browser-guard.js';
import { DashboardServices } from './dashboard-services.js';
import { DeferredListener } from './deferred-listener.js';
import { exposureProblem } from './exposure-check.js';
import { withFastRoutes } from './fast-routes.js';
import { followHomeEdits } from './follow-home-edits.js';
import { knownBuckets } from './known-buckets.js';
import { absentLoginRereadMs, startLoginRecheck } from './login-recheck.js';
import type { ResolveHost } from './loopback.js';
import { defaultBodyLimitBytes } from './read-request-body.js';
import type { ServerContext } from './server-context.js';
import { removeServerFile, writeServerFile } from './server-file.js';
import { warnAboutUnusableBuckets } from './setup-warnings.js';
import { listen, nonEmpty, openClientDirectory, refuseBesideAnotherServer } from './startup-checks.js';
import { StartupError } from './startup-error.js';
import { tokenExpiries } from './token-expiries.js';
import { packageVersion } from './version.js';
import { WarmUp } from './warm-up.js';
import { WebLogins } from './web-logins.js';

export interface StartServerOptions {
  paths: SwitchyardPaths;
  environment?: NodeJS.ProcessEnv;
  /** Overrides the loaded/default profile. */
  profile?: string;
  host?: string;
  port?: number;
  clock?: Clock;
  /** Record the server in SWITCHYARD_HOME/server.json so the CLI can find it (default true). */
  announce?: boolean;
  /** Where warnings go (corrupt stats file, failed stats writes). */
  warn?: (message: string) => void;
  /** More observers of every request, e.g. the request log. */
  observers?: RequestObserver[];
  /** Take edits of config.yaml and profiles/ while running (default: when announced, as `serve` is). */
  watch?: boolean;
  /** How a host name is resolved to check that a bind is loopback (default: the system's resolver). */
  resolveHost?: ResolveHost;
}

export interface RunningServer {
  url: string;
  host: string;
  port: number;
  context: ServerContext;
  /** Client connections open right now (tests check that none is left behind). */
  connections(): Promise<number>;
  /** Keeps OAuth buckets fresh before they expire (tests call `sweep()` directly). */
  proactiveRefresh: ProactiveRefresh;
  /** Runs `task` with the server's own deferred loading, after the pause that follows listening (see WarmUp). */
  warmUp<T>(task: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
  /** What CLAUDE_ACCESS_TOKEN did at start (serve says so: the bucket is otherwise invisible until used). */
  environmentSeed: SeedOutcome;
}

/** Long enough for a readiness probe's first /health to be answered before the deferred modules load. */
const warmUpPauseMs = 100;

/** Wires stores, token manager, router and HTTP app together and starts listening. */
export async function startServer(options: StartServerOptions): Promise<RunningServer> {
  const { paths } = options;
  // A copy: nothing outside can change a running process's environment, and reading a plain
  // object costs a property load where process.env costs a getenv call (the API key of a bucket
  // is read on every request).
  const environment = { ...(options.environment ?? process.env) };
  const clock = options.clock ?? systemClock;
  const warn = options.warn ?? ((message: string) => process.stderr.write(`switchyard: ${message}\n`));
  // Before anything is opened: tokens, statistics and server.json are never written through a link.
  try {
    await refuseSymbolicLink(paths.home);
  } catch (error) {
    throw new StartupError(error instanceof Error ? error.message : String(error), { cause: error });
  }
  const settings = await loadSettings(paths);
  const host = options.host ?? settings.server.host;
  const port = options.port ?? settings.server.port;
  const clients = openClientDirectory(settings.clients, environment);
  const exposure = await exposureProblem(host, clients, settings.clients, environment, options.resolveHost);
  if (exposure !== undefined) throw new StartupError(exposure);

  if (options.announce !== false) await refuseBesideAnotherServer(paths);

  const providers = createProviderRegistry(settings);
  const encryption = readTokenKey(environment);
  if (encryption.kind === 'malformed')
    throw new StartupError(`${encryption.problem}; fix it or unset it to keep token files unencrypted.`);
  if (settings.dashboard?.captureBodies && encryption.kind !== 'key')
    throw new StartupError(
      'dashboard.captureBodies needs SWITCHYARD_TOKEN_KEY: captured bodies are kept encrypted with it ' +
        '(create one with: openssl rand -base64 32).',
    );
  // Cluster mode: state shared through Redis (SWITCHYARD_REDIS_URL or state.redis); else the embedded stores.
  const redis = redisSettingsOf(settings, environment);
  // The Redis modules (ioredis with them) load only in cluster mode: an embedded server starts without them.
  const state: StateBackend =
    redis === undefined
      ? await openEmbeddedState({ paths, clock, encryption, statsFlushMs: settings.routing.statsFlushMs, warn })
      : await (await import('../state/cluster/cluster-state.js')).openClusterState({
          settings: redis,
          paths,
          clock,
          log: warn,
          encryption,
        });
  const { tokens: store, states, statistics } = state;
  const environmentSeed = await seedFromEnvironment(store, environment);

  const tokens = createTokenManager({
    store,
    settings: (provider: ProviderName) => providers[provider].settings,
    clock,
    environment,
    refreshAheadSeconds: settings.routing.refreshAheadSeconds,
    absentRereadIntervalMs: absentLoginRereadMs,
  });
  tokens.onRefresh((provider, bucket) => statistics.recordRefresh(bucketKey(provider, bucket)));
  const refreshesOwnLogins = (provider: ProviderName) =>
    providers[provider].settings.oauthEnabled !== false && Boolean(providers[provider].settings.oauth?.tokenUrl);

  const profiles = new ActiveProfiles(
    { userDirectory: paths.profiles, exampleDirectory: defaultExampleDirectory() },
    undefined,
  );
  const metrics = new SwitchyardMetrics({
    clock,
    states,
    knownBuckets: async () => knownBuckets(statistics, states, profiles),
    tokenExpiries: () => tokenExpiries(tokens),
    quota: state.quota,
  });
  tokens.onRefresh((provider, bucket) => metrics.tokenRefreshed(provider, bucket));
  tokens.onRefreshFailure((provider, bucket, reason) => metrics.tokenRefreshFailed(provider, bucket, reason));
  const clientStatistics = new ClientStatisticsStore(clock, clients.names);
  const dashboard = await DashboardServices.open({
    paths,
    settings,
    state,
    clock,
    encryption,
    store,
    environment,
    warn,
  });
  const observer = combineObservers([metrics, clientStatistics, dashboard.observer(), ...(options.observers ?? [])]);

  const routing = { ...settings.routing };
  const upstream = new UpstreamClient({ answerLimitBytes: settings.routing.answerLimitBytes });
  const router = new Router({
    providers,
    credentials: tokens,
    states,
    statistics,
    quota: state.quota,
    paused: state.paused,
    upstream,
    clock,
    // A copy the config watcher updates in place: the router reads it at each request.
    routing,
    observer,
    limiters: state.limiters,
    sessions: (chain: string) => state.sessions(chain),
  });
  const initialProfile = options.profile ?? (await state.activeProfile()) ?? settings.defaultProfile;
  if (initialProfile !== undefined) {
    try {
      await profiles.activate(initialProfile);
    } catch (error) {
      await state.close();
      throw new StartupError(
        `Cannot start with profile "${initialProfile}": ${error instanceof Error ? error.message : String(error)}`,
        { cause: error },
      );
    }
  }
  state.followActiveProfile(profiles, warn);
  const warnAboutSetup = (chain: Chain) =>
    warnAboutUnusableBuckets(
      chain,
      {
        store,
        environment,
        nowMs: clock.now(),
        oauthDisabled: (provider) => providers[provider].settings.oauthEnabled === false,
      },
      warn,
    );
  profiles.onActivate((chain) => void warnAboutSetup(chain));

  // Logins started from the dashboard: the CLI's flows, with the settings as they are at each login.
  const logins = new WebLogins({
    oauth: (provider) => providers[provider].settings.oauth,
    save: (provider, bucket, tokens) => store.write(provider, bucket, tokens),
  });
  const context: ServerContext = {
    router,
    profiles,
    states,
    statistics,
    quota: state.quota,
    paused: state.paused,
    auth: createAuthAdministration({
      tokens,
      store,
      statistics,
      clock,
      autoRefresh: refreshesOwnLogins,
      aheadSeconds: settings.routing.refreshAheadSeconds,
      environment,
    }),
    logins,
    paths,
    clock,
    clients,
    clientStatistics,
    dashboard: dashboard.view(),
    metrics,
    observer,
    adminKey: nonEmpty(environment.SWITCHYARD_ADMIN_KEY),
    bodyLimitBytes: defaultBodyLimitBytes,
    reportError: warn,
    startedAt: clock.now(),
    version: packageVersion,
    stateHealth: () => state.health(),
    announceProfile: (name: string) => state.announceProfile(name),
  };
  // The Hono app (every route but the route table's fixed paths) loads once the server listens.
  const app = new DeferredListener(async () => (await import('./app-listener.js')).appListener(context), warn);
  const guarded = withBrowserGuard(
    browserPolicyOf(host, settings.server),
    observer,
    warn,
    withFastRoutes(context, app.listener),
  );
  const server = createServer({ keepAliveTimeout: 65_000 }, guarded);
  await listen(server, host, port);
  // What waited for the socket loads after a pause: undici's agent (see UpstreamClient), the app,
  // then prom-client (see SwitchyardMetrics.registry). A failure is reported to the requests that
  // need it, which await the same promises.
  const warmUp = new WarmUp(warmUpPauseMs);
  warmUp.add(() => upstream.prepare()).catch(() => undefined);
  warmUp.add(() => app.start()).catch(() => undefined);
  warmUp.add(() => metrics.registry()).catch(() => undefined);
  const initialChain = profiles.current === undefined ? undefined : profiles.cached(profiles.current);
  if (initialChain) warmUp.add(() => warnAboutSetup(initialChain)).catch(() => undefined);
  // Only once listening: a start-up that fails leaves no timer behind.
  dashboard.start();
  const proactiveRefresh = startProactiveRefresh({
    tokens,
    providers: () => providerNames.filter(refreshesOwnLogins),
    clock,
    aheadSeconds: settings.routing.refreshAheadSeconds,
    // Routing skips the bucket at once, as it would after a refused refresh on the request path.
    onNeedsLogin: (provider, bucket, error) =>
      states.set(bucketKey(provider, bucket), {
        status: 'needs-login',
        until: clock.now() + 5_000,
        reason: error.detail ?? error.reason,
      }),
    onError: (provider, bucket, error) =>
      warn(`proactive refresh of ${provider}/${bucket}: ${error instanceof Error ? error.message : String(error)}`),
  });
  await startLoginRecheck({ state, states, tokens, warn });
  const watcher =
    (options.watch ?? options.announce !== false)
      ? await followHomeEdits({
          paths,
          settings,
          host,
          environment,
          providers,
          routing,
          context,
          profiles,
          warnAboutSetup,
          warn,
        })
      : undefined;
  const address = server.address() as AddressInfo;
  const url = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      await warmUp.finish();
      watcher?.close();
      await logins.close();
      await new Promise<void>((resolve) => {
        proactiveRefresh.stop();
        server.close(() => resolve());
        server.closeIdleConnections();
        setTimeout(() => server.closeAllConnections(), 2_000).unref();
      });
      await router.close();
      await dashboard.close();
      await state.close();
      await upstream.close();
      if (options.announce !== false) await removeServerFile(paths, process.pid);
    })());
  if (options.announce !== false) {
    try {
      await writeServerFile(paths, { pid: process.pid, url, startedAt: new Date(context.startedAt).toISOString() });
    } catch (error) {
      // Listening already: a start-up that fails here must not leave a server nobody can find or stop.
      await close();
      const problem = error instanceof Error ? error.message : String(error);
      throw new StartupError(`Cannot record the running server in ${paths.server}: ${problem}`, { cause: error });
    }
  }
  const connections = () =>
    new Promise<number>((resolve, reject) =>
      server.getConnections((error, count) => (error ? reject(error) : resolve(count))),
    );
  return {
    url,
    host: address.address,
    port: address.port,
    context,
    proactiveRefresh,
    connections,
    warmUp: (task) => warmUp.add(task),
    close,
    environmentSeed,
  };
}
