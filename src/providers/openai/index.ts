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
  defaults: { baseUrl: 'https://api.openai.com/v1' },
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
    // The base URL ends in /v1, as the SDKs expect; the inbound path carries /v1 too.
    return {
      url: joinUrl(input.settings.baseUrl, stripVersionPrefix(input.path)),
      headers,
      body: serializeBody(input, body),
    };
  },
};

/** `/v1/chat/completions` -> `/chat/completions`, to be joined to a base that ends in `/v1`. */
export function stripVersionPrefix(path: string): string {
  return path.startsWith('/v1/') ? path.slice(3) : path;
}
