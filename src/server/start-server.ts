import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startProactiveRefresh } from '../auth/proactive-refresh.js';
// Each from its own module, not the auth index: the index also brings the import formats (their
// zod schemas), which serving never uses.
import { seedFromEnvironment } from '../auth/seed-from-environment.js';
import { readTokenKey } from '../auth/token-key.js';
import { createTokenManager } from '../auth/token-manager.js';
import { loadSettings } from '../config/load-settings.js';
import { refuseSymbolicLink } from '../config/secure-files.js';
import { providerNames } from '../core/provider-names.js';
import { bucketKey, type ProviderName, systemClock } from '../core/types.js';
import { defaultExampleDirectory } from '../profiles/index.js';
import type { Chain } from '../profiles/types.js';
import { createProviderRegistry } from '../providers/registry.js';
import { Router } from '../router/router.js';
import { UpstreamClient } from '../router/upstream-client.js';
import { ActiveProfiles } from './active-profiles.js';
import { createAuthAdministration } from './auth-administration.js';
import { browserPolicyOf, withBrowserGuard } from './browser-guard.js';
import { DeferredListener } from './deferred-listener.js';
import { exposureProblem } from './exposure-check.js';
import { withFastRoutes } from './fast-routes.js';
import { listen } from './listen.js';
import { startLoginRecheck } from './login-recheck.js';
import { openState } from './open-state.js';
import { defaultBodyLimitBytes } from './read-request-body.js';
import { createRequestObservers } from './request-observers.js';
import type { ServerContext } from './server-context.js';
import { removeServerFile, writeServerFile } from './server-file.js';
import { warnAboutUnusableBuckets } from './setup-warnings.js';
import type { RunningServer, StartServerOptions } from './start-server-options.js';
import { nonEmpty, openClientDirectory, refuseBesideAnotherServer } from './startup-checks.js';
import { StartupError } from './startup-error.js';
import { packageVersion } from './version.js';
import { WarmUp } from './warm-up.js';
import { watchEdits } from './watch-edits.js';
import { WebLogins } from './web-logins.js';

export type { RunningServer, StartServerOptions };
export { StartupError };

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
  const state = await openState({ settings, environment, paths, clock, encryption, warn });
  const { tokens: store, states, statistics } = state;
  const environmentSeed = await seedFromEnvironment(store, environment);

  const tokens = createTokenManager({
    store,
    settings: (provider: ProviderName) => providers[provider].settings,
    clock,
    environment,
    refreshAheadSeconds: settings.routing.refreshAheadSeconds,
  });
  tokens.onRefresh((provider, bucket) => statistics.recordRefresh(bucketKey(provider, bucket)));
  const refreshesOwnLogins = (provider: ProviderName) =>
    providers[provider].settings.oauthEnabled !== false && Boolean(providers[provider].settings.oauth?.tokenUrl);

  const profiles = new ActiveProfiles(
    { userDirectory: paths.profiles, exampleDirectory: defaultExampleDirectory() },
    undefined,
  );
  const { metrics, clientStatistics, series, seriesFile, sharedSeries, recent, usage, observer } =
    await createRequestObservers({
      paths,
      settings,
      clock,
      state,
      tokens,
      profiles,
      clientNames: clients.names,
      extra: options.observers ?? [],
      warn,
    });

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
    dashboard: {
      series,
      seriesView: (range, by) => sharedSeries?.view(range, by) ?? Promise.resolve(series.view(range, by)),
      recent,
      usage,
    },
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
  seriesFile?.startWriting();
  sharedSeries?.startSharing();
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
      ? await watchEdits({
          paths,
          settings,
          host,
          environment,
          warn,
          providers,
          routing,
          context,
          profiles,
          warnAboutSetup,
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
      await seriesFile?.close();
      await sharedSeries?.close();
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
