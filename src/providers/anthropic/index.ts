import { withForwardedHeaders } from '../forward-headers.js';
import { joinUrl } from '../join-url.js';
import { serializeBody } from '../serialize-body.js';
import type { OutgoingRequestInput, ProviderDefinition } from '../types.js';
import { withClaudeCodeIdentity } from './claude-code-identity.js';
import { spliceClaudeCodeIdentity } from './identity-splice.js';
import { anthropicLogin } from './login.js';
import { anthropicQuotaReading } from './quota-headers.js';
import { anthropicApiLimitSignal, anthropicBillingSignal, anthropicUnifiedSignal } from './rate-limit-signals.js';
import { isRevokedAnthropicToken } from './revoked-token.js';

/** @see https://docs.anthropic.com/en/api/versioning */
const defaultAnthropicVersion = '2023-06-01';
const oauthBeta = 'oauth-2025-04-20';

/** Anthropic Messages, with a Claude Pro/Max OAuth token or an API key. */
export const anthropicProvider: ProviderDefinition = {
  name: 'anthropic',
  formats: ['anthropic-messages'],
  defaults: {
    baseUrl: 'https://api.anthropic.com',
    oauth: {
      authorizeUrl: 'https://claude.ai/oauth/authorize',
      tokenUrl: 'https://platform.claude.com/v1/oauth/token',
      clientId: '9d1c250a-e61b-44d9-88ed-5944d1962f5e',
      scopes: ['org:create_api_key', 'user:profile', 'user:inference'],
      tokenRequestEncoding: 'json',
    },
  },
  login: anthropicLogin,
  quotaSignals: { headers: anthropicQuotaReading },
  failureSignals: {
    limitHeaders: [anthropicUnifiedSignal, anthropicApiLimitSignal],
    limitBodies: [anthropicBillingSignal],
    isRevokedToken: isRevokedAnthropicToken,
  },
  forwardedHeaders: [
    'anthropic-version',
    'anthropic-beta',
    'user-agent',
    'x-app',
    'anthropic-dangerous-direct-browser-access',
  ],
  buildRequest(input: OutgoingRequestInput) {
    const forwarded = input.forwardHeaders;
    const version = forwarded['anthropic-version'] ?? defaultAnthropicVersion;
    const credential = input.credential;
    let body = input.body;
    if (input.model !== undefined && body.model !== input.model) body = { ...body, model: input.model };
    let headers: Record<string, string>;
    let text: string | undefined;
    if (credential.kind === 'oauth') {
      headers = {
        'content-type': 'application/json',
        'anthropic-version': version,
        authorization: `Bearer ${credential.accessToken}`,
        'anthropic-beta': mergeBetas(forwarded['anthropic-beta'], oauthBeta),
      };
      // Subscription tokens are refused unless the request looks like Claude Code. The client's own
      // bytes get the identity spliced in where they can (most clients: any SDK); else parse and serialise.
      if (input.path === '/v1/messages') {
        if (body === input.body) text = spliceClaudeCodeIdentity(body, input.rawBody);
        if (text === undefined) body = withClaudeCodeIdentity(body);
      }
    } else {
      headers = { 'content-type': 'application/json', 'anthropic-version': version, 'x-api-key': credential.apiKey };
    }
    return {
      url: joinUrl(input.settings.baseUrl, input.path),
      headers: withForwardedHeaders(headers, forwarded),
      body: text ?? serializeBody(input, body),
    };
  },
};

/** Adds a beta flag to a comma-separated `anthropic-beta` list without duplicating it. */
export function mergeBetas(clientBetas: string | undefined, required: string): string {
  if (!clientBetas) return required;
  const betas = clientBetas
    .split(',')
    .map((beta) => beta.trim())
    .filter(Boolean);
  return betas.includes(required) ? betas.join(',') : [...betas, required].join(',');
}
