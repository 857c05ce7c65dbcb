import { isRecord, objectOf } from '../../core/json.js';
import type { ResponseFormat } from '../internal.js';

/**
 * Anthropic's JSON outputs in internal form: `output_config.format` `{type: json_schema, schema}`,
 * or the beta's top-level `output_format` of the same shape, still accepted during its transition.
 * @see https://platform.claude.com/docs/en/build-with-claude/structured-outputs
 */
export function decodeAnthropicResponseFormat(body: Record<string, unknown>): ResponseFormat | undefined {
  const format = objectOf(objectOf(body.output_config).format ?? body.output_format);
  if (format.type !== 'json_schema' || !isRecord(format.schema)) return undefined;
  return { type: 'json-schema', name: undefined, schema: format.schema, strict: undefined };
}

/**
 * The internal response format as `output_config` (generally available, no beta header). Anthropic
 * has no schema-less JSON mode: a plain JSON-object request is dropped rather than given a made-up schema.
 */
export function encodeAnthropicResponseFormat(format: ResponseFormat | undefined): Record<string, unknown> | undefined {
  if (format?.type !== 'json-schema') return undefined;
  return { format: { type: 'json_schema', schema: format.schema } };
}
