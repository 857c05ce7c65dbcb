import type { WireFormat } from '../core/types.js';
import { codecs } from './codecs.js';
import type { InternalResponse, ResponsePart } from './internal.js';
import { parseEvents } from './server-sent-events.js';
import { emptyUsage } from './types.js';

/**
 * A whole upstream stream gathered into one answer, for a provider that only streams (the Codex
 * backend) serving a client that did not ask for a stream. Undefined when the stream never
 * finished or carried an error: the caller then treats the attempt as failed.
 */
export function collectStream(format: WireFormat, text: string): InternalResponse | undefined {
  const decoder = codecs[format].createStreamDecoder();
  const response: InternalResponse = { id: '', model: '', parts: [], stopReason: 'end', usage: emptyUsage() };
  let finished = false;
  const events = [...parseEvents(text).flatMap((event) => decoder.decode(event)), ...decoder.end()];
  for (const event of events) {
    const last: ResponsePart | undefined = response.parts.at(-1);
    switch (event.type) {
      case 'start':
        response.id = event.id;
        response.model = event.model;
        response.usage.inputTokens = event.inputTokens;
        break;
      case 'text-delta':
        if (last?.type === 'text') last.text += event.text;
        else response.parts.push({ type: 'text', text: event.text });
        break;
      case 'reasoning-delta':
        if (last?.type === 'reasoning') last.text += event.text;
        else response.parts.push({ type: 'reasoning', text: event.text, signature: undefined });
        break;
      case 'reasoning-signature':
        if (last?.type === 'reasoning') last.signature = event.signature;
        break;
      case 'tool-call-start':
        response.parts.push({ type: 'tool-call', id: event.id, name: event.name, arguments: '' });
        break;
      case 'tool-call-delta':
        if (last?.type === 'tool-call') last.arguments += event.arguments;
        break;
      case 'finish':
        response.stopReason = event.stopReason;
        response.usage = event.usage;
        finished = true;
        break;
      case 'error':
        return undefined;
    }
  }
  return finished ? response : undefined;
}
