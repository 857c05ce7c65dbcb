import { withForwardedHeaders } from '../forward-headers.js';
import { joinUrl } from '../join-url.js';
import { serializeBody } from '../serialize-body.js';
import type { OutgoingRequestInput, ProviderDefinition } from '../types.js';
import { openaiQuotaReading } from './quota-headers.js';
import { openaiResetSignal, openaiSpentQuotaSignal } from './rate-limit-signals.js';
import { isRevokedOpenAiKey } from './revoked-token.js';

/** OpenAI's API with an API key: Chat Completions and Responses. */
export const openaiProvider: ProviderDefinition = {
  name: 'openai',
  formats: ['openai-chat', 'openai-responses'],
  // The API root; every path (/v1/chat/completions, /v1/responses) is added as the API reference prints it.
  defaults: { baseUrl: 'https://api.openai.com' },
  apiPathSuffixes: ['/v1'],
  quotaSignals: { headers: openaiQuotaReading },
  failureSignals: {
    limitHeaders: [openaiResetSignal],
    limitBodies: [openaiSpentQuotaSignal],
    isRevokedToken: isRevokedOpenAiKey,
  },
  forwardedHeaders: ['openai-beta', 'user-agent'],
  buildRequest(input: OutgoingRequestInput) {
    const credential = input.credential;
    const own = {
      'content-type': 'application/json',
      authorization: `Bearer ${credential.kind === 'oauth' ? credential.accessToken : credential.apiKey}`,
    };
    const headers = withForwardedHeaders(own, input.forwardHeaders);
    const body =
      input.model !== undefined && input.body.model !== input.model
        ? { ...input.body, model: input.model }
        : input.body;
    return {
      url: joinUrl(input.settings.baseUrl, input.path),
      headers,
      body: serializeBody(input, body),
    };
  },
};
