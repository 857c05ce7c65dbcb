import { inspectStreamStart } from '../formats/index.js';
import { type TranslatedRequest, translateAnswer, translateCollectedStream } from '../formats/translate-exchange.js';
import type { AttemptRecorder } from './attempt-recorder.js';
import type { AnsweredAttempt, AttemptResult } from './attempt-result.js';
import { endBody } from './response-writer.js';

/**
 * A 2xx answer from a provider of another format, read whole (an answer, or a stream gathered
 * for a client that wants one answer), rewritten in the client's format.
 */
export function deliverTranslated(
  recorder: AttemptRecorder,
  attempt: AnsweredAttempt,
  text: string,
  translation: TranslatedRequest,
): AttemptResult {
  const { request, target, credential, status, trail } = attempt;
  const createdSeconds = Math.floor(recorder.dependencies.clock.now() / 1000);
  if (translation.collectsStream) {
    // A stream gathered for a client that wants one answer: an error at its start is decided as for any stream.
    const start = inspectStreamStart(translation.format, text);
    if (start.state === 'error')
      return recorder.streamStartFailed(request, target, credential, status, start.error, trail);
  }
  const translated = translation.collectsStream
    ? translateCollectedStream(translation.format, request.format, text, createdSeconds)
    : translateAnswer(translation.format, request.format, text, createdSeconds);
  if (!translated) {
    recorder.recordCall(request, target, { status, failed: true });
    trail.push({ target, status, reason: 'unreadable-answer' });
    const reason = translation.collectsStream
      ? "the provider's stream ended before its last event"
      : 'the provider answered 2xx with a body that is not a JSON object';
    return { kind: 'retry', reason };
  }
  trail.push({ target, status, reason: 'served' });
  recorder.writeHead(request, status, target, trail, {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(translated.body)),
  });
  endBody(request.response, translated.body);
  recorder.recordCall(request, target, {
    status,
    inputTokens: translated.usage.inputTokens,
    outputTokens: translated.usage.outputTokens,
    cachedInputTokens: translated.usage.cachedInputTokens,
    cacheWriteTokens: translated.usage.cacheWriteTokens,
  });
  return { kind: 'done' };
}
