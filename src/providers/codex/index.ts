import { withForwardedHeaders } from '../forward-headers.js';
import { joinUrl } from '../join-url.js';
import { openaiResetSignal, openaiSpentQuotaSignal } from '../openai/rate-limit-signals.js';
import { serializeBody } from '../serialize-body.js';
import type { OutgoingRequestInput, ProviderDefinition } from '../types.js';
import { codexLogin } from './login.js';
import { codexQuotaBodyReading } from './quota-body.js';
import { codexQuotaReading } from './quota-headers.js';
import { codexBodySignal, codexHeaderSignal, codexPlanSignal } from './rate-limit-signals.js';
import { isRevokedCodexLogin } from './revoked-token.js';

/** ChatGPT subscription (Codex) over OAuth: the Responses backend behind chatgpt.com. */
export const codexProvider: ProviderDefinition = {
  name: 'codex',
  formats: ['openai-responses'],
  streamsOnly: true,
  defaults: {
    // The API root; the backend's path (/backend-api/codex/responses) is added to it.
    baseUrl: 'https://chatgpt.com',
    oauth: {
      authorizeUrl: 'https://auth.openai.com/oauth/authorize',
      tokenUrl: 'https://auth.openai.com/oauth/token',
      deviceUrl: 'https://auth.openai.com/api/accounts/deviceauth/usercode',
      clientId: 'app_EMoamEEZ73f0CkXaXp7hrann',
      scopes: ['openid', 'profile', 'email', 'offline_access'],
      tokenRequestEncoding: 'form',
    },
  },
  login: codexLogin,
  // Codex CLI's own setting (chatgpt_base_url) ends in /backend-api; switchyard's used to end in /codex.
  apiPathSuffixes: ['/backend-api/codex', '/backend-api'],
  // The Codex backend is OpenAI's: its answers may carry OpenAI's own limit headers and codes as well.
  quotaSignals: { headers: codexQuotaReading, error: codexQuotaBodyReading },
  failureSignals: {
    limitHeaders: [codexHeaderSignal, openaiResetSignal],
    limitBodies: [codexBodySignal, codexPlanSignal, openaiSpentQuotaSignal],
    isRevokedToken: isRevokedCodexLogin,
  },
  forwardedHeaders: ['session_id', 'openai-beta', 'user-agent', 'originator', 'version'],
  buildRequest(input: OutgoingRequestInput) {
    const credential = input.credential;
    const own: Record<string, string> = {
      'content-type': 'application/json',
      'openai-beta': input.forwardHeaders['openai-beta'] ?? 'responses=experimental',
      originator: input.forwardHeaders.originator ?? 'codex_cli_rs',
      authorization: `Bearer ${credential.kind === 'oauth' ? credential.accessToken : credential.apiKey}`,
    };
    if (credential.kind === 'oauth' && credential.accountId) own['chatgpt-account-id'] = credential.accountId;
    const headers = withForwardedHeaders(own, input.forwardHeaders);
    const body =
      input.model !== undefined && input.body.model !== input.model
        ? { ...input.body, model: input.model }
        : input.body;
    return {
      url: joinUrl(input.settings.baseUrl, '/backend-api/codex/responses'),
      headers,
      body: serializeBody(input, body),
    };
  },
};
