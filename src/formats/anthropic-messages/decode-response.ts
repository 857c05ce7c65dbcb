import { recordsOf, stringOf } from '../../core/json.js';
import type { InternalResponse, ResponsePart } from '../internal.js';
import { stopReasonFromAnthropic } from './map-stop-reason.js';
import { usageFromAnthropic } from './usage.js';

/** A Messages answer in internal form. @see https://docs.anthropic.com/en/api/messages */
export function decodeAnthropicResponse(body: Record<string, unknown>): InternalResponse {
  const parts: ResponsePart[] = recordsOf(body.content).flatMap((block): ResponsePart[] => {
    if (block.type === 'text') return [{ type: 'text', text: stringOf(block.text) ?? '' }];
    if (block.type === 'tool_use')
      return [
        {
          type: 'tool-call',
          id: stringOf(block.id) ?? '',
          name: stringOf(block.name) ?? '',
          arguments: JSON.stringify(block.input ?? {}),
        },
      ];
    if (block.type === 'thinking')
      return [{ type: 'reasoning', text: stringOf(block.thinking) ?? '', signature: stringOf(block.signature) }];
    return [];
  });
  return {
    id: stringOf(body.id) ?? '',
    model: stringOf(body.model) ?? '',
    parts,
    stopReason: stopReasonFromAnthropic(body.stop_reason),
    usage: usageFromAnthropic(body.usage),
  };
}
