import type { Duplex, Readable } from 'node:stream';
import type { TranslatedRequest } from '../formats/translate-exchange.js';
import { createStreamTranslator } from '../formats/translate-stream.js';
import type { AttemptRecorder } from './attempt-recorder.js';
import type { AnsweredAttempt, AttemptResult } from './attempt-result.js';
import type { RequestDeadline } from './deadline.js';
import { relayStream } from './relay-stream.js';

/**
 * A 2xx event stream: held until its first real event, then relayed (translated into the
 * client's format when the bucket speaks another), and counted with the usage it reported.
 */
export async function deliverStream(
  recorder: AttemptRecorder,
  attempt: AnsweredAttempt,
  body: Readable,
  headers: Record<string, string | string[]>,
  translation: TranslatedRequest | undefined,
): Promise<AttemptResult> {
  const { request, target, credential, status, trail, timing } = attempt;
  const { clock, providers, routing } = recorder.dependencies;
  const unwrapper = providers[target.provider].definition.responseUnwrapper?.(credential);
  const source = unwrapper ? unwrapped(body, unwrapper.stream(routing.eventLimitBytes)) : body;
  const upstreamFormat = translation?.format ?? request.format;
  const translator = translation
    ? createStreamTranslator(upstreamFormat, request.format, Math.floor(clock.now() / 1000))
    : undefined;
  const outcome = await relayStream(
    source,
    request.response,
    upstreamFormat,
    () => {
      timing.timer.reached();
      trail.push({ target, status, reason: 'served' });
      recorder.writeHead(request, status, target, trail, headers);
    },
    {
      translator,
      describeBreak: () => (timing.deadline.expired ? deadlineStreamError(timing.deadline) : undefined),
      eventLimitBytes: routing.eventLimitBytes,
    },
  );
  if (outcome.kind === 'delivered' || outcome.kind === 'broken') {
    const broken = outcome.kind === 'broken';
    recorder.recordCall(request, target, {
      status,
      failed: broken,
      timedOut: broken && timing.deadline.expired,
      cancelled: broken && timing.deadline.clientGone,
      inputTokens: outcome.usage.inputTokens,
      outputTokens: outcome.usage.outputTokens,
      cachedInputTokens: outcome.usage.cachedInputTokens,
      cacheWriteTokens: outcome.usage.cacheWriteTokens,
    });
    return { kind: 'done' };
  }
  const interrupted = recorder.interrupted(request, target, timing, trail, status);
  if (interrupted) return interrupted;
  if (outcome.kind === 'error-event')
    return recorder.streamStartFailed(request, target, credential, status, outcome.error, trail);
  if (outcome.kind === 'too-large-before-start') return recorder.tooLarge(request, target, status, trail);
  recorder.recordCall(request, target, { status, failed: true });
  trail.push({ target, status, reason: 'stream-failed' });
  return { kind: 'retry', reason: outcome.reason };
}

/**
 * Pipes the upstream body through an unwrapper; `pipe` alone would leave the relay waiting forever on an upstream
 * error, and would keep the upstream request open when the relay stops reading early (an error event, a limit).
 */
function unwrapped(body: Readable, transform: Duplex): Duplex {
  body.once('error', (error) => transform.destroy(error));
  transform.once('close', () => body.destroy());
  return body.pipe(transform);
}

/** The error event that ends a stream the deadline cut off. */
function deadlineStreamError(deadline: RequestDeadline): { status: number; message: string; code: string } {
  return {
    status: 504,
    message:
      `The request deadline of ${deadline.milliseconds} ms passed while the ` +
      `answer was streaming; the answer is incomplete.`,
    code: 'deadline_exceeded',
  };
}
