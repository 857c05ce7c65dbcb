import { type ErrorFields, textField } from '../../formats/error-body.js';
import { type ResetSignal, spentWithoutReset } from '../reset-signals.js';

/** Qwen's documented quota message; Qwen does not always send a code with it. */
const qwenQuotaMessage = 'free allocated quota exceeded';

/**
 * Qwen's "Free allocated quota exceeded": the quota is spent, without saying until when. A
 * truncated or non-JSON body has no fields; the documented string is then read from the text.
 * @see https://www.alibabacloud.com/help/en/model-studio/error-code
 */
export function qwenQuotaMessageSignal(
  error: ErrorFields | undefined,
  _now: number,
  body: string | undefined,
): ResetSignal | undefined {
  const message = error === undefined ? body : textField(error, 'message');
  return message?.toLowerCase().includes(qwenQuotaMessage) ? spentWithoutReset : undefined;
}
