import { parseJson } from '../core/json.js';
import type { Credential } from '../core/types.js';
import { readUsage, usageOfAnswer } from '../formats/index.js';
import type { TranslatedRequest } from '../formats/translate-exchange.js';
import type { Target } from '../profiles/types.js';
import { AnswerTooLargeError } from './answer-too-large.js';
import type { AttemptOutcome } from './attempt-outcome.js';
import { AttemptRecorder } from './attempt-recorder.js';
import type { AnsweredAttempt, AttemptResult, AttemptTiming } from './attempt-result.js';
import type { ProxyRequest } from './proxy-request.js';
import { headerValue, relayedHeaders } from './response-headers.js';
import { endBody } from './response-writer.js';
import { deliverStream } from './stream-delivery.js';
import { deliverTranslated } from './translated-delivery.js';
import type { UpstreamClient } from './upstream-client.js';

export type { DeliveryDependencies } from './attempt-recorder.js';
export { type AttemptResult, type AttemptTiming, attemptReasonOf } from './attempt-result.js';

/**
 * What becomes of one upstream answer: it is counted, relayed to the client (whole, streamed or
 * translated into the client's format), or turned into the attempt loop's next move (another
 * bucket, a retry, a refresh). The attempt loop itself is the Router's.
 */
export class AnswerDelivery extends AttemptRecorder {
  /** A 2xx answer: a stream is held until its first real event, then relayed; a whole answer is checked first. */
  async deliver(
    request: ProxyRequest,
    target: Target,
    credential: Credential,
    answer: Awaited<ReturnType<UpstreamClient['send']>>,
    trail: AttemptOutcome[],
    timing: AttemptTiming,
    translation: TranslatedRequest | undefined,
  ): Promise<AttemptResult> {
    const attempt: AnsweredAttempt = { request, target, credential, status: answer.statusCode, trail, timing };
    const contentType = headerValue(answer.headers, 'content-type') ?? '';
    const headers = relayedHeaders(answer.headers);
    if (contentType.includes('text/event-stream') && !translation?.collectsStream)
      return deliverStream(this, attempt, answer.body, headers, translation);
    return this.deliverWhole(attempt, answer, contentType, headers, translation);
  }

  /** A 2xx answer read whole: relayed when its JSON parses (or it is not JSON), or translated first. */
  private async deliverWhole(
    attempt: AnsweredAttempt,
    answer: Awaited<ReturnType<UpstreamClient['send']>>,
    contentType: string,
    headers: Record<string, string | string[]>,
    translation: TranslatedRequest | undefined,
  ): Promise<AttemptResult> {
    const { request, target, credential, status, trail, timing } = attempt;
    let body: Buffer;
    try {
      body = await answer.bytes();
    } catch (error) {
      const interrupted = this.interrupted(request, target, timing, trail, status);
      if (interrupted) return interrupted;
      if (error instanceof AnswerTooLargeError) return this.tooLarge(request, target, status, trail);
      this.recordCall(request, target, { status, failed: true });
      trail.push({ target, status, reason: 'body-failed' });
      return { kind: 'retry', reason: error instanceof Error ? error.message : 'body failed' };
    }
    const unwrapper = this.dependencies.providers[target.provider].definition.responseUnwrapper?.(credential);
    const text = unwrapper ? unwrapper.body(body.toString('utf8')) : undefined;
    if (translation) {
      timing.timer.reached();
      return deliverTranslated(this, attempt, text ?? body.toString('utf8'), translation);
    }
    const payload = text === undefined ? body : Buffer.from(text);
    // Parsed once, to check it and to read its usage from; undefined: it does not parse.
    const parsed = contentType.includes('json') ? parseJson(text ?? body.toString('utf8')) : notJson;
    if (parsed === undefined) {
      // A 2xx whose JSON does not parse would break the client's SDK: the bucket failed, the request moves on.
      this.recordCall(request, target, { status, failed: true });
      trail.push({ target, status, reason: 'malformed' });
      return { kind: 'retry', reason: 'malformed JSON answer' };
    }
    timing.timer.reached();
    trail.push({ target, status, reason: 'served' });
    headers['content-length'] = String(payload.length);
    this.writeHead(request, status, target, trail, headers);
    endBody(request.response, payload);
    const usage = parsed === notJson ? readUsage(request.format, text ?? body) : usageOfAnswer(request.format, parsed);
    this.recordCall(request, target, {
      status,
      inputTokens: usage.inputTokens,
      outputTokens: usage.outputTokens,
      cachedInputTokens: usage.cachedInputTokens,
      cacheWriteTokens: usage.cacheWriteTokens,
    });
    return { kind: 'done' };
  }
}

/** What deliverWhole() takes for a body that is not JSON, so its usage is read the general way. */
const notJson = Symbol('not JSON');
