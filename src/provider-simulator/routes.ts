import type { SimulatedFormat } from './types.js';

/** A provider API route the simulator answers. */
export interface ApiRoute {
  format: SimulatedFormat;
  /** `generate` consumes a scripted step; the others only authenticate and count. */
  action: 'generate' | 'count-tokens' | 'models';
  /** `/backend-api/codex/responses`: ChatGPT OAuth, needs `chatgpt-account-id`. */
  codex: boolean;
  /** `/v1internal:*`: Gemini Code Assist, wrapped requests and answers. */
  codeAssist: boolean;
  /** Gemini decides streaming by the path rather than by a body field. */
  pathStream: boolean;
  pathModel: string | undefined;
}

export type LoginRouteName =
  | 'authorize'
  | 'consent'
  | 'code-page'
  | 'device-authorization'
  | 'codex-user-code'
  | 'codex-device-poll'
  | 'verification-page'
  | 'verification-decision';

export type Route =
  | { kind: 'api'; api: ApiRoute }
  | { kind: 'token' }
  | { kind: 'control'; name: string }
  /** The login endpoints: authorize, consent, code page, device flows. */
  | { kind: 'login'; name: LoginRouteName }
  | { kind: 'not-found' };

function api(format: SimulatedFormat, action: ApiRoute['action'], extra: Partial<ApiRoute> = {}): Route {
  return {
    kind: 'api',
    api: { format, action, codex: false, codeAssist: false, pathStream: false, pathModel: undefined, ...extra },
  };
}

// Fixed routes are looked up in a map: one hash lookup on the hot path.
const fixedRoutes = new Map<string, Route>([
  ['POST /v1/messages', api('anthropic', 'generate')],
  ['POST /v1/messages/count_tokens', api('anthropic', 'count-tokens')],
  ['POST /v1/chat/completions', api('chat', 'generate')],
  ['GET /v1/models', api('chat', 'models')],
  ['POST /v1/responses', api('responses', 'generate')],
  ['POST /backend-api/codex/responses', api('responses', 'generate', { codex: true })],
  ['POST /v1internal:generateContent', api('gemini', 'generate', { codeAssist: true })],
  ['POST /v1internal:streamGenerateContent', api('gemini', 'generate', { codeAssist: true, pathStream: true })],
  // Anthropic's, OpenAI's, Qwen's and Google's token paths, so a provider's own tokenUrl shape works too.
  ['POST /oauth/token', { kind: 'token' }],
  ['POST /v1/oauth/token', { kind: 'token' }],
  ['POST /api/v1/oauth2/token', { kind: 'token' }],
  ['POST /token', { kind: 'token' }],
  // Logins: Anthropic's, OpenAI's and Google's authorize paths all lead to one consent page.
  ['GET /oauth/authorize', { kind: 'login', name: 'authorize' }],
  ['GET /o/oauth2/v2/auth', { kind: 'login', name: 'authorize' }],
  ['POST /oauth/consent', { kind: 'login', name: 'consent' }],
  ['GET /oauth/code/callback', { kind: 'login', name: 'code-page' }],
  ['POST /api/v1/oauth2/device/code', { kind: 'login', name: 'device-authorization' }],
  ['POST /api/accounts/deviceauth/usercode', { kind: 'login', name: 'codex-user-code' }],
  ['POST /api/accounts/deviceauth/token', { kind: 'login', name: 'codex-device-poll' }],
  ['GET /device', { kind: 'login', name: 'verification-page' }],
  ['GET /codex/device', { kind: 'login', name: 'verification-page' }],
  ['POST /device', { kind: 'login', name: 'verification-decision' }],
]);

const geminiPattern = /^\/v1(?:beta)?\/models\/([^/:]+):(generateContent|streamGenerateContent)$/;

/** Maps a method and path (without query) to what answers it. */
export function matchRoute(method: string, path: string): Route {
  const fixed = fixedRoutes.get(`${method} ${path}`);
  if (fixed) return fixed;
  if (path.startsWith('/__sim/')) return { kind: 'control', name: `${method} ${path.slice('/__sim/'.length)}` };
  if (method === 'POST') {
    const gemini = geminiPattern.exec(path);
    if (gemini) {
      return api('gemini', 'generate', {
        pathModel: decodeURIComponent(gemini[1] as string),
        pathStream: gemini[2] === 'streamGenerateContent',
      });
    }
  }
  return { kind: 'not-found' };
}
