import type { ProviderName } from '../core/types.js';
import { textField, type ErrorFields } from '../formats/error-body.js';
import type { ResetSignal } from './reset-time.js';

/**
 * Error codes (in `type` or `code`) that say a plan, quota or bill is spent, with no reset:
 * OpenAI's and Qwen's `insufficient_quota`, Codex's `usage_not_included` (the plan has no Codex),
 * Anthropic's `billing_error`.
 * @see https://platform.openai.com/docs/guides/error-codes#api-errors
 * @see https://docs.anthropic.com/en/api/errors#http-errors
 */
const spentCodes = new Set(['insufficient_quota', 'usage_not_included', 'billing_error']);

/** Qwen's documented quota message; Qwen does not always send a code with it. */
const qwenQuotaMessage = 'free allocated quota exceeded';

/**
 * A body that says the quota is spent without saying until when.
 * @see https://www.alibabacloud.com/help/en/model-studio/error-code
 */
export function spentQuotaSignal(provider: ProviderName, error: ErrorFields | undefined, body: string | undefined): ResetSignal | undefined {
  if (spentCodes.has(textField(error, 'type') ?? '') || spentCodes.has(textField(error, 'code') ?? '')) {
    return { until: undefined, quota: true };
  }
  // A truncated or non-JSON body has no fields; Qwen's documented string is then read from the text.
  const message = error === undefined ? body : textField(error, 'message');
  if (provider === 'qwen' && message?.toLowerCase().includes(qwenQuotaMessage)) return { until: undefined, quota: true };
  return undefined;
}
