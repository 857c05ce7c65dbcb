import { withForwardedHeaders } from '../forward-headers.js';
import { joinUrl } from '../join-url.js';
import type { OutgoingRequestInput, ProviderDefinition } from '../types.js';
import { codeAssistUnwrapper } from './code-assist-unwrapper.js';
import { geminiLogin } from './login.js';
import { geminiQuotaReading } from './quota-failure.js';
import { geminiSignal, isModelCapacityExhausted } from './rate-limit-signals.js';
import { isRevokedGoogleToken } from './revoked-token.js';

/**
 * Gemini: an API key talks to the Generative Language API; an OAuth login (Gemini CLI's
 * installed-app client) talks to the Code Assist API, which wraps requests and answers.
 * @see https://ai.google.dev/api/generate-content
 */
export const geminiProvider: ProviderDefinition = {
  name: 'gemini',
  formats: ['gemini'],
  login: geminiLogin,
  // Google sends no rate-limit headers of its own: resets come in the body's details.
  quotaSignals: { error: geminiQuotaReading },
  failureSignals: {
    limitHeaders: [],
    limitBodies: [geminiSignal],
    isRevokedToken: isRevokedGoogleToken,
    isCapacityShortage: isModelCapacityExhausted,
  },
  defaults: {
    baseUrl: 'https://generativelanguage.googleapis.com',
    oauthBaseUrl: 'https://cloudcode-pa.googleapis.com',
    oauth: {
      authorizeUrl: 'https://accounts.google.com/o/oauth2/v2/auth',
      tokenUrl: 'https://oauth2.googleapis.com/token',
      // Gemini CLI's public installed-app client; Google requires the (non-secret) secret too.
      clientId: '681255809395-oo8ft2oprdrnp9e3aqf6av3hmdib135j.apps.googleusercontent.com',
      clientSecret: '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',
      scopes: [
        'https://www.googleapis.com/auth/cloud-platform',
        'https://www.googleapis.com/auth/userinfo.email',
        'https://www.googleapis.com/auth/userinfo.profile',
      ],
      tokenRequestEncoding: 'form',
    },
  },
  forwardedHeaders: ['x-goog-api-client', 'user-agent'],
  buildRequest(input: OutgoingRequestInput) {
    const method = input.stream ? 'streamGenerateContent' : 'generateContent';
    const query = input.stream ? '?alt=sse' : '';
    const credential = input.credential;
    if (credential.kind === 'api-key') {
      const headers = withForwardedHeaders(
        { 'content-type': 'application/json', 'x-goog-api-key': credential.apiKey },
        input.forwardHeaders,
      );
      const model = encodeURIComponent(input.model ?? 'gemini-2.5-pro');
      const url = joinUrl(input.settings.baseUrl, `/v1beta/models/${model}:${method}${query}`);
      return { url, headers, body: input.rawBody };
    }
    const headers = withForwardedHeaders(
      { 'content-type': 'application/json', authorization: `Bearer ${credential.accessToken}` },
      input.forwardHeaders,
    );
    const wrapped: Record<string, unknown> = { model: input.model, request: input.body };
    if (credential.project) wrapped.project = credential.project;
    const base = input.settings.oauthBaseUrl ?? input.settings.baseUrl;
    return { url: joinUrl(base, `/v1internal:${method}${query}`), headers, body: JSON.stringify(wrapped) };
  },
  responseUnwrapper(credential) {
    return credential.kind === 'oauth' ? codeAssistUnwrapper : undefined;
  },
};
