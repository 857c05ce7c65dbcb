import type { StreamEncoder } from '../codec.js';
import { renderStreamError } from '../dispatch.js';
import type { StreamEvent } from '../internal.js';
import { formatEvent } from '../server-sent-events.js';
import { describeStreamError, incompleteStreamError } from '../stream-end-errors.js';
import { stopReasonToAnthropic } from './map-stop-reason.js';
import { anthropicMessageId } from './message-id.js';
import { usageToAnthropic } from './usage.js';

type BlockKind = 'text' | 'thinking' | 'tool_use';

/**
 * Internal stream events as Messages events: message_start, one content block per run of text,
 * thinking or tool call (opened and closed as the kind changes), message_delta and message_stop.
 * @see https://docs.anthropic.com/en/docs/build-with-claude/streaming#event-types
 */
export function createAnthropicStreamEncoder(): StreamEncoder {
  let started = false;
  let finished = false;
  let open: BlockKind | undefined;
  let index = -1;

  const start = (id: string, model: string, inputTokens: number): string => {
    started = true;
    const message = {
      id: anthropicMessageId(id),
      type: 'message',
      role: 'assistant',
      model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: {
        input_tokens: inputTokens,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 0,
        output_tokens: 0,
      },
    };
    return formatEvent('message_start', { type: 'message_start', message });
  };
  const ensureStarted = (): string => (started ? '' : start('', '', 0));
  const close = (): string => {
    if (open === undefined) return '';
    open = undefined;
    return formatEvent('content_block_stop', { type: 'content_block_stop', index });
  };
  const openBlock = (kind: BlockKind, block: Record<string, unknown>): string => {
    const closing = close();
    open = kind;
    index += 1;
    return closing + formatEvent('content_block_start', { type: 'content_block_start', index, content_block: block });
  };
  const delta = (fields: Record<string, unknown>): string =>
    formatEvent('content_block_delta', { type: 'content_block_delta', index, delta: fields });

  return {
    encode(event: StreamEvent): string {
      if (finished) return '';
      switch (event.type) {
        case 'start':
          return started ? '' : start(event.id, event.model, event.inputTokens);
        case 'text-delta':
          return (
            ensureStarted() +
            (open === 'text' ? '' : openBlock('text', { type: 'text', text: '' })) +
            // Most of a stream: written without building and serialising an object (same bytes as delta()).
            `event: content_block_delta\ndata: {"type":"content_block_delta","index":${index},` +
            `"delta":{"type":"text_delta","text":${JSON.stringify(event.text)}}}\n\n`
          );
        case 'reasoning-delta':
          return (
            ensureStarted() +
            (open === 'thinking' ? '' : openBlock('thinking', { type: 'thinking', thinking: '', signature: '' })) +
            delta({ type: 'thinking_delta', thinking: event.text })
          );
        case 'reasoning-signature':
          return open === 'thinking' ? delta({ type: 'signature_delta', signature: event.signature }) : '';
        case 'tool-call-start':
          return (
            ensureStarted() + openBlock('tool_use', { type: 'tool_use', id: event.id, name: event.name, input: {} })
          );
        case 'tool-call-delta':
          return open === 'tool_use' && event.arguments !== ''
            ? delta({ type: 'input_json_delta', partial_json: event.arguments })
            : '';
        case 'finish': {
          finished = true;
          const usage = usageToAnthropic(event.usage);
          return (
            ensureStarted() +
            close() +
            formatEvent('message_delta', {
              type: 'message_delta',
              delta: { stop_reason: stopReasonToAnthropic(event.stopReason), stop_sequence: null },
              usage,
            }) +
            formatEvent('message_stop', { type: 'message_stop' })
          );
        }
        case 'error':
          finished = true;
          return renderStreamError('anthropic-messages', describeStreamError(event.error));
      }
    },
    end(): string {
      if (finished || !started) return '';
      finished = true;
      return renderStreamError('anthropic-messages', incompleteStreamError);
    },
  };
}
