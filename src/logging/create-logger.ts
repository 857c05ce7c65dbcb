import { pino, type DestinationStream, type Logger } from 'pino';

/** The levels `serve --log-level` accepts, quietest last. */
export const logLevels = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export type LogLevel = (typeof logLevels)[number];

export function isLogLevel(value: string): value is LogLevel {
  return (logLevels as readonly string[]).includes(value);
}

export interface LoggerOptions {
  level: LogLevel;
  /** Human-readable lines (for a terminal) instead of one JSON object per line. */
  pretty: boolean;
  /** Where lines go; default stdout, written asynchronously so a slow reader never holds a request. */
  destination?: DestinationStream;
}

/**
 * The server's logger: pino, JSON lines with ISO times, or pino-pretty's form for a terminal.
 * pino-pretty is loaded only when asked for: it is a large module that a server writing JSON
 * lines (the usual case) should not pay for at start-up.
 */
export async function createLogger(options: LoggerOptions): Promise<Logger> {
  let destination = options.destination;
  if (destination === undefined && options.pretty) {
    const { default: pinoPretty } = await import('pino-pretty');
    destination = pinoPretty({ colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname', destination: 1, sync: false });
  }
  destination ??= pino.destination({ dest: 1, sync: false });
  return pino({ level: options.level, base: null, timestamp: pino.stdTimeFunctions.isoTime }, destination);
}
