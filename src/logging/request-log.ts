import type { Logger } from 'pino';
import type { Target } from '../profiles/types.js';
import type { ProxyRequest } from '../router/proxy-request.js';
import type { FailoverReason, RefusedRequest, RequestObserver } from '../router/router-observer.js';

/**
 * One structured line per request: who, which profile, the bucket trail, status, durations and
 * token usage. Built from the request record only, which holds no header, key or token, so a
 * credential cannot reach the log. Written after the client has its answer, through pino's
 * asynchronous destination.
 */
export class RequestLog implements RequestObserver {
  constructor(private readonly logger: Logger) {}

  attemptFinished(): void {}

  failover(request: ProxyRequest, target: Target, reason: FailoverReason): void {
    if (!this.logger.isLevelEnabled('debug')) return;
    this.logger.debug({ client: request.record.client ?? null, profile: request.chain.name, bucket: target.key, reason }, `failover from ${target.key} (${reason})`);
  }

  firstByte(): void {}

  requestFinished(request: ProxyRequest): void {
    const status = request.response.headersSent ? request.response.statusCode : 499;
    const level = status >= 500 ? 'warn' : 'info';
    if (!this.logger.isLevelEnabled(level)) return;
    const record = request.record;
    const now = performance.now();
    const bucket = record.servedBy?.key ?? null;
    const durationMs = Math.round(now - record.startedAt);
    this.logger[level](
      {
        client: record.client ?? null,
        profile: request.chain.name,
        format: request.format,
        path: request.path,
        model: request.clientModel ?? null,
        stream: request.stream,
        status,
        bucket,
        attempts: record.trail,
        durationMs,
        firstByteMs: record.firstByteAt === undefined ? null : Math.round(record.firstByteAt - record.startedAt),
        inputTokens: record.inputTokens,
        outputTokens: record.outputTokens,
      },
      `${request.path} ${status} ${bucket ?? '-'} ${durationMs} ms`,
    );
  }

  requestRefused(refused: RefusedRequest): void {
    if (!this.logger.isLevelEnabled('info')) return;
    const durationMs = Math.round(performance.now() - refused.startedAt);
    this.logger.info(
      { client: refused.client ?? null, profile: refused.profile ?? null, format: refused.format, path: refused.path, status: refused.status, code: refused.code, attempts: [], durationMs },
      `${refused.path} ${refused.status} refused (${refused.code})`,
    );
  }
}
