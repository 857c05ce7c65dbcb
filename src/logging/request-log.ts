import type { Logger } from 'pino';
import type { Target } from '../profiles/types.js';
import { renderAttempt, renderCauses } from '../router/attempt-outcome.js';
import type { ProxyRequest } from '../router/proxy-request.js';
import type { FailoverReason, RefusedRequest, RequestObserver } from '../router/router-observer.js';

type LineLevel = 'debug' | 'info' | 'warn';

/**
 * One structured line per request: who, which profile, the bucket trail, status, durations and
 * token usage. Built from the request record only, which holds no header, key or token, so a
 * credential cannot reach the log. Written after the client has its answer, through pino's
 * asynchronous destination.
 */
export class RequestLog implements RequestObserver {
  private logger: Logger | undefined;
  /** Lines of requests that ended before the logger was attached, in order. */
  private readonly waiting: [LineLevel, object, string][] = [];

  /** Without a logger, lines wait (built when their request ends) until `attach` gives one. */
  constructor(logger?: Logger) {
    this.logger = logger;
  }

  /** Starts writing to `logger`, first the lines that waited for it. */
  attach(logger: Logger): void {
    this.logger = logger;
    for (const [level, line, message] of this.waiting.splice(0))
      if (logger.isLevelEnabled(level)) logger[level](line, message);
  }

  attemptFinished(): void {}

  failover(request: ProxyRequest, target: Target, reason: FailoverReason): void {
    if (!this.enabled('debug')) return;
    this.write(
      'debug',
      { client: request.record.client ?? null, profile: request.chain.name, bucket: target.key, reason },
      `failover from ${target.key} (${reason})`,
    );
  }

  firstByte(): void {}

  requestFinished(request: ProxyRequest): void {
    const status = request.response.headersSent ? request.response.statusCode : 499;
    const level = status >= 500 ? 'warn' : 'info';
    if (!this.enabled(level)) return;
    const record = request.record;
    const now = performance.now();
    const bucket = record.servedBy?.key ?? null;
    const durationMs = Math.round(now - record.startedAt);
    const causes = renderCauses(record.trail);
    this.write(
      level,
      {
        client: record.client ?? null,
        profile: request.chain.name,
        format: request.format,
        path: request.path,
        model: request.clientModel ?? null,
        stream: request.stream,
        status,
        bucket,
        attempts: record.trail.map(renderAttempt),
        // Why connections failed (`anthropic/a ECONNREFUSED 127.0.0.1:9000`): the attempts say only "network".
        ...(causes === '' ? {} : { causes }),
        durationMs,
        firstByteMs: record.firstByteAt === undefined ? null : Math.round(record.firstByteAt - record.startedAt),
        inputTokens: record.inputTokens,
        outputTokens: record.outputTokens,
      },
      `${request.path} ${status} ${bucket ?? '-'} ${durationMs} ms${causes === '' ? '' : ` (${causes})`}`,
    );
  }

  requestRefused(refused: RefusedRequest): void {
    if (!this.enabled('info')) return;
    const durationMs = Math.round(performance.now() - refused.startedAt);
    this.write(
      'info',
      {
        client: refused.client ?? null,
        profile: refused.profile ?? null,
        format: refused.format,
        path: refused.path,
        status: refused.status,
        code: refused.code,
        attempts: [],
        durationMs,
      },
      `${refused.path} ${refused.status} refused (${refused.code})`,
    );
  }

  /** Before a logger is attached every line is kept: its level is checked when it is written. */
  private enabled(level: LineLevel): boolean {
    return this.logger === undefined || this.logger.isLevelEnabled(level);
  }

  private write(level: LineLevel, line: object, message: string): void {
    if (this.logger === undefined) this.waiting.push([level, line, message]);
    else this.logger[level](line, message);
  }
}
