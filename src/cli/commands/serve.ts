import { resolve } from 'node:path';
import { defineCommand } from 'citty';
import { createLogger, isLogLevel, logLevels } from '../../logging/create-logger.js';
import { RequestLog } from '../../logging/request-log.js';
import { administrators } from '../../server/client-auth.js';
import { type RunningServer, startServer } from '../../server/start-server.js';
import { CliError, type CliIo } from '../io.js';
import { untilStopped } from '../until-stopped.js';

export interface ServeArguments {
  profile?: string | undefined;
  host?: string | undefined;
  port?: string | undefined;
  /** pino level of the request log (default info); pretty lines when stdout is a terminal. */
  logLevel?: string | undefined;
  /** Where this server records itself for the CLI, instead of SWITCHYARD_HOME/server.json. */
  serverFile?: string | undefined;
}

/** Starts the router and says where it listens. */
export async function startFromArguments(io: CliIo, args: ServeArguments): Promise<RunningServer> {
  const port = args.port === undefined ? undefined : Number(args.port);
  if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) {
    throw new CliError(`--port must be a whole number from 0 to 65535, not "${args.port}".`);
  }
  const level = args.logLevel ?? 'info';
  if (!isLogLevel(level)) throw new CliError(`--log-level must be one of ${logLevels.join(', ')}, not "${level}".`);
  // The logger (pino) is created once the server listens, with its other deferred loading:
  // requests that end before it is ready keep their lines in the request log, which writes them first.
  const requestLog = new RequestLog();
  const server = await startServer({
    paths: args.serverFile === undefined ? io.paths : { ...io.paths, server: resolve(args.serverFile) },
    environment: io.environment,
    ...(args.profile !== undefined ? { profile: args.profile } : {}),
    ...(args.host !== undefined ? { host: args.host } : {}),
    ...(port !== undefined ? { port } : {}),
    warn: (message) => io.stderr(`switchyard: ${message}\n`),
    observers: [requestLog],
  });
  const profile = server.context.profiles.current;
  io.stdout(
    `switchyard listening on ${server.url} (profile: ${profile ?? 'none — run `switchyard profile load NAME`'})\n` +
      `  Claude Code:  ANTHROPIC_BASE_URL=${server.url}\n` +
      `  OpenAI SDKs:  OPENAI_BASE_URL=${server.url}/v1\n` +
      `  Administration (/auth/*, profile switching, /metrics, dashboard data): ` +
      `${administrators(server.context.adminKey, server.context.clients)}\n`,
  );
  const logger = await server
    .warmUp(() => createLogger({ level, pretty: io.interactive }))
    .catch(async (error: unknown) => {
      await server.close();
      throw error;
    });
  requestLog.attach(logger);
  const close = server.close;
  // Lines still buffered in the asynchronous destination are written before the server says it is done.
  server.close = async () => {
    await close();
    await new Promise<void>((resolve) => logger.flush(() => resolve()));
  };
  return server;
}

export const serveCommand = (io: CliIo) =>
  defineCommand({
    meta: { name: 'serve', description: 'Run the router (default host 127.0.0.1)' },
    args: {
      profile: { type: 'string', description: 'Profile to route to (default: the loaded or default profile)' },
      host: {
        type: 'string',
        description: 'Address to bind (non-loopback needs a client key of 32+ random characters)',
      },
      port: { type: 'string', description: 'Port to listen on (default 8790)' },
      'log-level': { type: 'string', description: `Request log level: ${logLevels.join(', ')} (default info)` },
      'server-file': {
        type: 'string',
        description:
          'Where this server records itself for the CLI (default SWITCHYARD_HOME/server.json, or ' +
          'SWITCHYARD_SERVER_FILE): a second server on one home needs its own',
      },
    },
    async run({ args }) {
      // Listened for before starting: serve answers before its logger is ready, and a stop asked
      // for meanwhile must not be lost (it is handled, gracefully, once the start is complete).
      const stopped = untilStopped();
      const server = await startFromArguments(io, {
        profile: args.profile,
        host: args.host,
        port: args.port,
        logLevel: args['log-level'],
        serverFile: args['server-file'],
      });
      const signal = await stopped;
      io.stderr(`switchyard: ${signal} received, finishing open requests and saving statistics\n`);
      await server.close();
    },
  });
