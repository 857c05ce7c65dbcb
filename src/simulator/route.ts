import type { SimulatedFormat } from './types.js';

/** What an API path asks for. */
export interface ApiRoute {
  format: SimulatedFormat;
  operation: 'generate' | 'count-tokens';
  /** Model named in the path (Gemini). */
  pathModel?: string;
  /** Streaming decided by the path (Gemini), else by the body. */
  pathStreams?: boolean;
  /** Code Assist wraps requests and answers. */
  codeAssist?: boolean;
  /** The ChatGPT backend wants the account id header. */
  codex?: boolean;
}

export function matchRoute(path: string): ApiRoute | undefined {
  if (path === '/v1/messages') return { format: 'anthropic', operation: 'generate' };
  if (path === '/v1/messages/count_tokens') return { format: 'anthropic', operation: 'count-tokens' };
  if (path === '/v1/chat/completions') return { format: 'chat', operation: 'generate' };
  if (path === '/v1/responses') return { format: 'responses', operation: 'generate' };
  if (path === '/backend-api/codex/responses') return { format: 'responses', operation: 'generate', codex: true };
  const gemini = /^\/v1(?:beta)?\/models\/([^/:]+):(generateContent|streamGenerateContent)$/.exec(path);
  if (gemini) return { format: 'gemini', operation: 'generate', pathModel: decodeURIComponent(gemini[1]!), pathStreams: gemini[2] === 'streamGenerateContent' };
  const codeAssist = /^\/v1internal:(generateContent|streamGenerateContent)$/.exec(path);
  if (codeAssist) return { format: 'gemini', operation: 'generate', pathStreams: codeAssist[1] === 'streamGenerateContent', codeAssist: true };
  return undefined;
}
