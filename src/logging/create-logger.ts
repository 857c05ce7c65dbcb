import type { DestinationStream, Logger } from 'pino';

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
 * Both are imported here, on demand: `serve` creates its logger once it listens (issue 3's
 * start-up target), and pino-pretty, a large module, only for a terminal.
 */
export async function createLogger(options: LoggerOptions): Promise<Logger> {
  // The default export: the bundle hands a CommonJS module's exports over as `default` only.
  const { default: pino } = await import('pino');
  let destination = options.destination;
  if (destination === undefined && options.pretty) {
    const { default: pinoPretty } = await import('pino-pretty');
    destination = pinoPretty({
      colorize: true,
      translateTime: 'SYS:HH:MM:ss.l',
      ignore: 'pid,hostname',
      destination: 1,
      sync: false,
    });
  }
  destination ??= pino.destination({ dest: 1, sync: false });
  return pino({ level: options.level, base: null, timestamp: pino.stdTimeFunctions.isoTime }, destination);
}
