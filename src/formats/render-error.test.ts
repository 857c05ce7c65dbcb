import Anthropic from '@anthropic-ai/sdk';
import { ApiError } from '@google/genai';
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import type { WireFormat } from '../core/types.js';
import { renderError } from './index.js';
import { type AnswerServer, startAnswerServer } from './testing/answer-server.js';
import { wireFormats } from './testing/recorded-streams.js';
import { callWithSdk } from './testing/sdk-calls.js';

let server: AnswerServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function raisedBySdk(format: WireFormat, status: number, body: string) {
  server = await startAnswerServer(status, 'application/json', body);
  const raised = await callWithSdk(format, server.url, false);
  expect(server.requests()).toBe(1);
  return raised;
}

const unknownProfile = {
  status: 404,
  message: 'No profile named `nope`; run switchyard profile list.',
  code: 'unknown_profile',
};

describe.each(wireFormats)('renderError for %s', (format) => {
  it.each([400, 401, 403, 404, 413, 429, 500, 502, 503, 529])(
    'is raised by the official SDK with status %i and the message',
    async (status) => {
      const raised = await raisedBySdk(
        format,
        status,
        renderError(format, { status, message: `Switchyard says ${status}.`, code: 'test_code' }),
      );
      expect(raised.status).toBe(status);
      expect(raised.message).toContain(`Switchyard says ${status}.`);
    },
  );

  it('keeps details inside the error object and the body parseable', () => {
    const body = JSON.parse(
      renderError(format, {
        ...unknownProfile,
        details: { profiles: ['a', 'b'], message: 'must not replace the message' },
      }),
    );
    expect(body.error.profiles).toEqual(['a', 'b']);
    expect(body.error.message).toBe(unknownProfile.message);
  });
});

describe('error bodies as each provider shapes them', () => {
  it('Anthropic: type error, the error type by status, SDK error classes follow', async () => {
    const types = Object.fromEntries(
      [400, 401, 402, 403, 404, 413, 429, 500, 502, 503, 504, 529].map((status) => [
        status,
        JSON.parse(renderError('anthropic-messages', { status, message: 'm' })).error.type as string,
      ]),
    );
    expect(types).toEqual({
      400: 'invalid_request_error',
      401: 'authentication_error',
      402: 'billing_error',
      403: 'permission_error',
      404: 'not_found_error',
      413: 'request_too_large',
      429: 'rate_limit_error',
      500: 'api_error',
      502: 'api_error',
      503: 'api_error',
      504: 'timeout_error',
      529: 'overloaded_error',
    });
    expect(JSON.parse(renderError('anthropic-messages', unknownProfile))).toEqual({
      type: 'error',
      error: { type: 'not_found_error', message: unknownProfile.message, code: 'unknown_profile' },
    });
    const raised = await raisedBySdk(
      'anthropic-messages',
      429,
      renderError('anthropic-messages', { status: 429, message: 'slow down' }),
    );
    expect(raised.error).toBeInstanceOf(Anthropic.RateLimitError);
  });

  it('OpenAI: message, type by status, param null, code; the SDK exposes type and code', async () => {
    const types = [400, 401, 402, 403, 404, 429, 500, 503].map(
      (status) => JSON.parse(renderError('openai-chat', { status, message: 'm' })).error.type,
    );
    expect(types).toEqual([
      'invalid_request_error',
      'authentication_error',
      'insufficient_quota',
      'permission_error',
      'not_found_error',
      'rate_limit_exceeded',
      'server_error',
      'server_error',
    ]);
    expect(JSON.parse(renderError('openai-responses', unknownProfile))).toEqual({
      error: { message: unknownProfile.message, type: 'not_found_error', param: null, code: 'unknown_profile' },
    });
    expect(JSON.parse(renderError('openai-chat', { status: 400, message: 'bad' })).error.code).toBeNull();
    for (const format of ['openai-chat', 'openai-responses'] as const) {
      const raised = await raisedBySdk(format, 404, renderError(format, unknownProfile));
      expect(raised.error).toBeInstanceOf(OpenAI.NotFoundError);
      expect(raised.error).toMatchObject({ code: 'unknown_profile', type: 'not_found_error', param: null });
      await server?.close();
      server = undefined;
    }
  });

  it('Gemini: code, canonical status, an ErrorInfo with the machine code', async () => {
    const statuses = [400, 401, 403, 404, 429, 500, 503, 504].map(
      (status) => JSON.parse(renderError('gemini', { status, message: 'm' })).error.status,
    );
    expect(statuses).toEqual([
      'INVALID_ARGUMENT',
      'UNAUTHENTICATED',
      'PERMISSION_DENIED',
      'NOT_FOUND',
      'RESOURCE_EXHAUSTED',
      'INTERNAL',
      'UNAVAILABLE',
      'DEADLINE_EXCEEDED',
    ]);
    expect(JSON.parse(renderError('gemini', { ...unknownProfile, retryAfterSeconds: 30 }))).toEqual({
      error: {
        code: 404,
        message: unknownProfile.message,
        status: 'NOT_FOUND',
        details: [
          { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'UNKNOWN_PROFILE', domain: 'switchyard' },
          { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '30s' },
        ],
      },
    });
    const raised = await raisedBySdk('gemini', 404, renderError('gemini', unknownProfile));
    expect(raised.error).toBeInstanceOf(ApiError);
  });
});
