import type { ProviderName } from '../core/types.js';
import { anthropicLogin } from './anthropic/login.js';
import { codexLogin } from './codex/login.js';
import { geminiLogin } from './gemini/login.js';
import type { LoginNotice } from './login-style.js';
import { qwenLogin } from './qwen/login.js';

/** Every provider with an OAuth login (openai takes API keys only). */
export const providerLogins: Partial<Record<ProviderName, LoginNotice>> = {
  anthropic: anthropicLogin,
  codex: codexLogin,
  gemini: geminiLogin,
  qwen: qwenLogin,
};
