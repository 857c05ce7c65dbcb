import { apiRoot } from '../api-root.js';
import { withForwardedHeaders } from '../forward-headers.js';
import { joinUrl } from '../join-url.js';
import { openaiQuotaReading } from '../openai/quota-headers.js';
import { openaiResetSignal, openaiSpentQuotaSignal } from '../openai/rate-limit-signals.js';
import { serializeBody } from '../serialize-body.js';
import type { OutgoingRequestInput, ProviderDefinition } from '../types.js';
import { qwenLogin } from './login.js';
import { qwenQuotaMessageSignal } from './quota-message.js';
import { isRevokedQwenLogin } from './revoked-token.js';

/**
 * Qwen over OAuth (Qwen Code's device flow), OpenAI-compatible. Each login names its API host in
 * the token answer's `resource_url`; a base URL set in config.yaml wins over it.
 */
export const qwenProvider: ProviderDefinition = {
  name: 'qwen',
  formats: ['openai-chat'],
  defaults: {
    // The API root; the OpenAI-compatible paths (/v1/chat/completions) are added to it.
    baseUrl: 'https://dashscope.aliyuncs.com/compatible-mode',
    oauth: {
      authorizeUrl: 'https://chat.qwen.ai/authorize',
      tokenUrl: 'https://chat.qwen.ai/api/v1/oauth2/token',
      deviceUrl: 'https://chat.qwen.ai/api/v1/oauth2/device/code',
      clientId: 'f0304373b74a44d2b584a3fb70ca9e56',
      scopes: ['openid', 'profile', 'email', 'model.completion'],
      tokenRequestEncoding: 'form',
    },
  },
  login: qwenLogin,
  apiPathSuffixes: ['/v1'],
  // OpenAI-compatible, errors included; Qwen's own quota message is read besides.
  quotaSignals: { headers: openaiQuotaReading },
  failureSignals: {
    limitHeaders: [openaiResetSignal],
    limitBodies: [openaiSpentQuotaSignal, qwenQuotaMessageSignal],
    isRevokedToken: isRevokedQwenLogin,
  },
  forwardedHeaders: ['user-agent'],
  buildRequest(input: OutgoingRequestInput) {
    const credential = input.credential;
    const own = {
      'content-type': 'application/json',
      authorization: `Bearer ${credential.kind === 'oauth' ? credential.accessToken : credential.apiKey}`,
    };
    const headers = withForwardedHeaders(own, input.forwardHeaders);
    const base =
      credential.kind === 'oauth' && credential.resourceUrl && !input.settings.baseUrlFromConfig
        ? resourceBaseUrl(credential.resourceUrl)
        : input.settings.baseUrl;
    const body =
      input.model !== undefined && input.body.model !== input.model
        ? { ...input.body, model: input.model }
        : input.body;
    return { url: joinUrl(base, input.path), headers, body: serializeBody(input, body) };
  },
};

/** `portal.qwen.ai` -> `https://portal.qwen.ai`, the API root of the login's host. */
export function resourceBaseUrl(resourceUrl: string): string {
  const withScheme = /^https?:\/\//.test(resourceUrl) ? resourceUrl : `https://${resourceUrl}`;
  return apiRoot(withScheme, ['/v1']);
}
