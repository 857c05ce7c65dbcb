import { isRecord } from '../core/json.js';

/** The fields of a provider's error object, as parsed JSON. */
export type ErrorFields = Readonly<Record<string, unknown>>;

/**
 * The error object inside a provider's error payload: `{error:{…}}` (OpenAI, Codex, Gemini, Qwen),
 * `{type:'error',error:{…}}` (Anthropic), `{type:'response.failed',response:{error:{…}}}`
 * (Responses streams), `[{error:{…}}]` (Gemini's JSON-array stream), `{error:'code'}` (OAuth
 * style), or the payload itself when it carries its fields at the top (`{type:'error',code:…}`,
 * DashScope's `{code,message}`).
 */
export function errorFieldsOf(payload: unknown): ErrorFields | undefined {
  const value = Array.isArray(payload) ? (payload[0] as unknown) : payload;
  if (!isRecord(value)) return undefined;
  const error = value.error;
  if (isRecord(error)) return error;
  if (typeof error === 'string') {
    return {
      code: error,
      ...(typeof value.error_description === 'string' ? { message: value.error_description } : {}),
    };
  }
  const response = value.response;
  if (isRecord(response) && isRecord(response.error)) return response.error;
  return value;
}

/** The error object of a non-2xx body; undefined when it is missing, not JSON, or truncated. */
export function readErrorBody(body: string | undefined): ErrorFields | undefined {
  if (body === undefined || body.trim() === '') return undefined;
  try {
    return errorFieldsOf(JSON.parse(body));
  } catch {
    return undefined;
  }
}

/** A string field, or undefined when it is absent or not a string. */
export function textField(fields: ErrorFields | undefined, name: string): string | undefined {
  const value = fields?.[name];
  return typeof value === 'string' ? value : undefined;
}

/** A number field (or a numeric string), or undefined. */
export function numberField(fields: ErrorFields | undefined, name: string): number | undefined {
  const value = fields?.[name];
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && /^\d+(\.\d+)?$/.test(value.trim())) return Number(value);
  return undefined;
}

/** The entries of Google's `details` array, each an object with an `@type`. */
export function googleDetails(fields: ErrorFields | undefined): ErrorFields[] {
  const details = fields?.details;
  return Array.isArray(details) ? details.filter(isRecord) : [];
}

/** The first Google detail of one `@type` (`google.rpc.ErrorInfo`, `google.rpc.RetryInfo`, …). */
export function googleDetail(fields: ErrorFields | undefined, type: string): ErrorFields | undefined {
  return googleDetails(fields).find((detail) => detail['@type'] === `type.googleapis.com/${type}`);
}

/**
 * The short machine-readable reason of an error, for bucket state and logs: Google's
 * `ErrorInfo.reason`, else the error's `code`, `type` or `status`, else `fallback` (the HTTP status).
 */
export function errorReason(fields: ErrorFields | undefined, fallback: string): string {
  return (
    textField(googleDetail(fields, 'google.rpc.ErrorInfo'), 'reason') ??
    textField(fields, 'code') ??
    // `type: 'error'` is the envelope of an Anthropic or Responses event, not a reason.
    (textField(fields, 'type') === 'error' ? undefined : textField(fields, 'type')) ??
    textField(fields, 'status') ??
    fallback
  );
}
