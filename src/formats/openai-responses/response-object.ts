import type { ResponsePart, StopReason } from '../internal.js';
import type { Usage } from '../types.js';
import { responseStatusOf } from './map-stop-reason.js';
import { usageToResponses } from './usage.js';

/** Responses ids start with `resp_`; another provider's id keeps its text behind the prefix. */
export function responseId(id: string): string {
  return id.startsWith('resp_') ? id : `resp_${id}`;
}

/** One output item for a part, as the response object and the stream's `output_item.done` show it. */
export function outputItem(part: ResponsePart, itemId: string): Record<string, unknown> {
  switch (part.type) {
    case 'text':
      return {
        id: itemId,
        type: 'message',
        status: 'completed',
        role: 'assistant',
        content: [{ type: 'output_text', text: part.text, annotations: [], logprobs: [] }],
      };
    case 'tool-call':
      return {
        id: itemId,
        type: 'function_call',
        status: 'completed',
        call_id: part.id,
        name: part.name,
        arguments: part.arguments,
      };
    case 'reasoning':
      return { id: itemId, type: 'reasoning', summary: [{ type: 'summary_text', text: part.text }] };
  }
}

/** The response object around its output items; `stopReason` undefined means still in progress. */
export function responseObject(
  fields: { id: string; model: string; createdSeconds: number; output: Record<string, unknown>[] },
  stopReason: StopReason | undefined,
  usage: Usage | undefined,
): Record<string, unknown> {
  const status =
    stopReason === undefined ? { status: 'in_progress', incomplete_details: null } : responseStatusOf(stopReason);
  return {
    id: responseId(fields.id),
    object: 'response',
    created_at: fields.createdSeconds,
    ...status,
    error: null,
    model: fields.model,
    output: fields.output,
    parallel_tool_calls: true,
    tool_choice: 'auto',
    tools: [],
    usage: usage === undefined ? null : usageToResponses(usage),
  };
}
