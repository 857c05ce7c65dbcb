import { openaiErrorObject } from '../openai-chat/index.js';
import { countField, objectField, parseJsonObject } from '../numbers.js';
import { eventJson, sseEvent } from '../server-sent-events.js';
import type { FormatCodec, Usage } from '../types.js';

function usageOf(response: Record<string, unknown> | undefined): Usage {
  const usage = objectField(response, 'usage');
  return { inputTokens: countField(usage, 'input_tokens'), outputTokens: countField(usage, 'output_tokens') };
}

/** OpenAI Responses (also the Codex backend). @see https://platform.openai.com/docs/api-reference/responses-streaming */
export const openaiResponses: FormatCodec = {
  renderError: (error) => JSON.stringify({ error: openaiErrorObject(error) }),
  // A ResponseErrorEvent; the nested `error` makes the openai SDK raise it rather than yield it.
  renderStreamError: (error) =>
    sseEvent('error', {
      type: 'error',
      code: error.code ?? 'server_error',
      message: error.message,
      param: null,
      sequence_number: 0,
      error: openaiErrorObject(error),
    }),
  isErrorEvent(event) {
    const json = eventJson(event);
    const type = json?.type ?? event.event;
    if (type === 'error' || type === 'response.failed') return { real: true, error: json ?? event.data };
    return { real: true };
  },
  readUsage: (body) => usageOf(parseJsonObject(body)),
  usageMarker: 'response.completed',
  applyStreamUsage(event, usage) {
    const json = eventJson(event);
    if (json?.type !== 'response.completed') return;
    const found = usageOf(objectField(json, 'response'));
    usage.inputTokens = found.inputTokens;
    usage.outputTokens = found.outputTokens;
  },
};
