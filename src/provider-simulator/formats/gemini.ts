import { formatGoogleDuration } from '../durations.js';
import type { AnswerContext, FailureKind, FormatAnswers, RateLimitDetails, StreamFrames, ToolCall } from './format.js';

/**
 * Gemini generateContent answers, bare (API key) or wrapped `{"response": ...}` (Code Assist).
 * Streams use CRLF boundaries, as Google's servers do.
 * @see https://ai.google.dev/api/generate-content#v1beta.GenerateContentResponse
 * @see https://cloud.google.com/apis/design/errors
 */

const statuses: Record<FailureKind, string> = {
  'invalid-request': 'INVALID_ARGUMENT',
  authentication: 'UNAUTHENTICATED',
  permission: 'PERMISSION_DENIED',
  'not-found': 'NOT_FOUND',
  payment: 'FAILED_PRECONDITION',
  server: 'INTERNAL',
  overloaded: 'UNAVAILABLE',
};

function usageMetadata(context: AnswerContext, candidates: number): Record<string, unknown> {
  return {
    promptTokenCount: context.inputTokens,
    candidatesTokenCount: candidates,
    totalTokenCount: context.inputTokens + candidates,
    promptTokensDetails: [{ modality: 'TEXT', tokenCount: context.inputTokens }],
  };
}

function generateContentResponse(
  context: AnswerContext,
  text: string,
  finished: boolean,
  candidates: number,
): Record<string, unknown> {
  const candidate: Record<string, unknown> = { content: { parts: [{ text }], role: 'model' }, index: 0 };
  if (finished) candidate.finishReason = 'STOP';
  return {
    candidates: [candidate],
    usageMetadata: usageMetadata(context, candidates),
    modelVersion: context.model,
    responseId: context.id,
  };
}

function functionCallResponse(context: AnswerContext, call: ToolCall): Record<string, unknown> {
  return {
    candidates: [
      {
        content: {
          parts: [{ functionCall: { name: call.name, args: JSON.parse(call.argumentsJson) as unknown } }],
          role: 'model',
        },
        finishReason: 'STOP',
        index: 0,
      },
    ],
    usageMetadata: usageMetadata(context, context.answer.words),
    modelVersion: context.model,
    responseId: context.id,
  };
}

function wrap(context: AnswerContext, body: Record<string, unknown>): Record<string, unknown> {
  return context.codeAssist ? { response: body } : body;
}

function frame(data: string): string {
  return `data: ${data}\r\n\r\n`;
}

function errorBody(code: number, status: string, message: string, details?: unknown[]): Record<string, unknown> {
  return { error: details ? { code, message, status, details } : { code, message, status } };
}

export const geminiAnswers: FormatAnswers = {
  format: 'gemini',

  json: (context) =>
    wrap(
      context,
      context.toolCall
        ? functionCallResponse(context, context.toolCall)
        : generateContentResponse(context, context.answer.text, true, context.answer.words),
    ),

  stream(context): StreamFrames {
    // Gemini sends a function call whole, in one chunk.
    if (context.toolCall)
      return {
        head: [],
        deltas: [frame(JSON.stringify(wrap(context, functionCallResponse(context, context.toolCall))))],
        tail: [],
      };
    const pieces = context.answer.pieces;
    const last = pieces.length - 1;
    // Chunks differ only in their text; the rest of each chunk's JSON is built once.
    const open = `${context.codeAssist ? '{"response":' : ''}{"candidates":[{"content":{"parts":[{"text":`;
    const tail =
      `,"modelVersion":${JSON.stringify(context.model)},"responseId":${JSON.stringify(context.id)}}` +
      (context.codeAssist ? '}' : '');
    const partialUsage = JSON.stringify(usageMetadata(context, 0));
    // Only the last chunk carries the finish reason and the full candidate count, as Gemini does.
    const deltas = pieces.map((piece, index) =>
      index === last
        ? frame(JSON.stringify(wrap(context, generateContentResponse(context, piece, true, context.answer.words))))
        : frame(`${open}${JSON.stringify(piece)}}],"role":"model"},"index":0}],"usageMetadata":${partialUsage}${tail}`),
    );
    return { head: [], deltas, tail: [] };
  },

  error: (status, kind, message) =>
    errorBody(status, kind === 'server' && status !== 500 ? 'UNAVAILABLE' : statuses[kind], message),

  rateLimitError(details: RateLimitDetails) {
    const message = details.quota
      ? 'You have exhausted your capacity on this model. Your quota will reset later.'
      : 'Resource has been exhausted (e.g. check quota).';
    if (details.style !== 'gemini') return errorBody(429, 'RESOURCE_EXHAUSTED', message);
    const delay = formatGoogleDuration(details.resetSeconds);
    const metadata: Record<string, string> = { quotaResetDelay: delay };
    if (details.quota) metadata.quotaResetTimeStamp = new Date(details.resetAtSeconds * 1000).toISOString();
    return errorBody(429, 'RESOURCE_EXHAUSTED', message, [
      {
        '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
        reason: details.quota ? 'QUOTA_EXHAUSTED' : 'RATE_LIMIT_EXCEEDED',
        domain: 'cloudcode-pa.googleapis.com',
        metadata,
      },
      {
        // Which quota was spent: per day for a spent quota, per minute for a throttle.
        '@type': 'type.googleapis.com/google.rpc.QuotaFailure',
        violations: [
          {
            quotaMetric: 'generativelanguage.googleapis.com/generate_content_requests',
            quotaId: details.quota
              ? 'GenerateRequestsPerDayPerProjectPerModel'
              : 'GenerateRequestsPerMinutePerProjectPerModel',
          },
        ],
      },
      { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: delay },
    ]);
  },

  streamError: (errorType) =>
    frame(JSON.stringify(errorBody(500, errorType ?? 'INTERNAL', 'An internal error has occurred.'))),
};
