import type { StreamEncoder } from '../codec.js';
import { renderStreamError } from '../dispatch.js';
import type { ResponsePart, StreamEvent } from '../internal.js';
import { formatEvent } from '../server-sent-events.js';
import { describeStreamError, incompleteStreamError } from '../stream-end-errors.js';
import { outputItem, responseObject } from './response-object.js';

/** The output item being streamed, with what it has gathered so far. */
interface OpenItem {
  part: ResponsePart;
  id: string;
  outputIndex: number;
}

/**
 * Internal stream events as Responses events: response.created, then for each output item its
 * `added`, deltas and `done` events, then response.completed (or response.incomplete) with the
 * whole response, as the openai SDK's stream helpers expect.
 * @see https://platform.openai.com/docs/api-reference/responses-streaming
 */
export function createResponsesStreamEncoder(createdSeconds: number): StreamEncoder {
  let sequence = 0;
  let envelope: { id: string; model: string } | undefined;
  let finished = false;
  let open: OpenItem | undefined;
  const done: Record<string, unknown>[] = [];

  const emit = (type: string, fields: Record<string, unknown>): string =>
    formatEvent(type, { type, sequence_number: sequence++, ...fields });
  const response = (): { id: string; model: string; createdSeconds: number; output: Record<string, unknown>[] } => ({
    ...(envelope ?? { id: '', model: '' }),
    createdSeconds,
    output: done,
  });
  const begin = (id: string, model: string): string => {
    envelope = { id, model };
    const snapshot = responseObject(response(), undefined, undefined);
    return emit('response.created', { response: snapshot }) + emit('response.in_progress', { response: snapshot });
  };
  const ensureStarted = (): string => (envelope ? '' : begin('', ''));

  const close = (): string => {
    if (!open) return '';
    const { part, id, outputIndex } = open;
    open = undefined;
    const item = outputItem(part, id);
    done.push(item);
    const where = { item_id: id, output_index: outputIndex };
    let text = '';
    if (part.type === 'text') {
      const finalPart = { type: 'output_text', text: part.text, annotations: [], logprobs: [] };
      text += emit('response.output_text.done', { ...where, content_index: 0, text: part.text, logprobs: [] });
      text += emit('response.content_part.done', { ...where, content_index: 0, part: finalPart });
    } else if (part.type === 'reasoning') {
      text += emit('response.reasoning_summary_text.done', { ...where, summary_index: 0, text: part.text });
      text += emit('response.reasoning_summary_part.done', {
        ...where,
        summary_index: 0,
        part: { type: 'summary_text', text: part.text },
      });
    } else {
      text += emit('response.function_call_arguments.done', { ...where, name: part.name, arguments: part.arguments });
    }
    return text + emit('response.output_item.done', { output_index: outputIndex, item });
  };

  const openItem = (part: ResponsePart, prefix: string): string => {
    let text = ensureStarted() + close();
    const outputIndex = done.length;
    const id = `${prefix}_${envelope?.id ?? ''}_${outputIndex}`;
    open = { part, id, outputIndex };
    const where = { item_id: id, output_index: outputIndex };
    if (part.type === 'text') {
      text += emit('response.output_item.added', {
        output_index: outputIndex,
        item: { id, type: 'message', status: 'in_progress', role: 'assistant', content: [] },
      });
      text += emit('response.content_part.added', {
        ...where,
        content_index: 0,
        part: { type: 'output_text', text: '', annotations: [], logprobs: [] },
      });
    } else if (part.type === 'reasoning') {
      text += emit('response.output_item.added', {
        output_index: outputIndex,
        item: { id, type: 'reasoning', summary: [] },
      });
      text += emit('response.reasoning_summary_part.added', {
        ...where,
        summary_index: 0,
        part: { type: 'summary_text', text: '' },
      });
    } else {
      const item = {
        id,
        type: 'function_call',
        status: 'in_progress',
        call_id: part.id,
        name: part.name,
        arguments: '',
      };
      text += emit('response.output_item.added', { output_index: outputIndex, item });
    }
    return text;
  };

  return {
    encode(event: StreamEvent): string {
      if (finished) return '';
      switch (event.type) {
        case 'start':
          return envelope ? '' : begin(event.id, event.model);
        case 'text-delta': {
          const opening = open?.part.type === 'text' ? '' : openItem({ type: 'text', text: '' }, 'msg');
          const item = open as OpenItem;
          if (item.part.type === 'text') item.part.text += event.text;
          return (
            opening +
            emit('response.output_text.delta', {
              item_id: item.id,
              output_index: item.outputIndex,
              content_index: 0,
              delta: event.text,
              logprobs: [],
            })
          );
        }
        case 'reasoning-delta': {
          const opening =
            open?.part.type === 'reasoning'
              ? ''
              : openItem({ type: 'reasoning', text: '', signature: undefined }, 'rs');
          const item = open as OpenItem;
          if (item.part.type === 'reasoning') item.part.text += event.text;
          return (
            opening +
            emit('response.reasoning_summary_text.delta', {
              item_id: item.id,
              output_index: item.outputIndex,
              summary_index: 0,
              delta: event.text,
            })
          );
        }
        case 'reasoning-signature':
          return '';
        case 'tool-call-start':
          return openItem({ type: 'tool-call', id: event.id, name: event.name, arguments: '' }, 'fc');
        case 'tool-call-delta': {
          if (open?.part.type !== 'tool-call' || event.arguments === '') return '';
          open.part.arguments += event.arguments;
          return emit('response.function_call_arguments.delta', {
            item_id: open.id,
            output_index: open.outputIndex,
            delta: event.arguments,
          });
        }
        case 'finish': {
          const text = ensureStarted() + close();
          finished = true;
          const final = responseObject(response(), event.stopReason, event.usage);
          return (
            text +
            emit(final.status === 'incomplete' ? 'response.incomplete' : 'response.completed', { response: final })
          );
        }
        case 'error':
          finished = true;
          return renderStreamError('openai-responses', describeStreamError(event.error));
      }
    },
    end(): string {
      if (finished || !envelope) return '';
      finished = true;
      return renderStreamError('openai-responses', incompleteStreamError);
    },
  };
}
