/**
 * Internal (tests): Anthropic Messages answers exactly as Anthropic's public documentation shows them.
 */

/**
 * "Claude will return a response similar to" — the tool-use answer of the tool use guide
 * (no `type` and no `usage` in the documented example; decoders must cope).
 * @see https://docs.anthropic.com/en/docs/agents-and-tools/tool-use/implement-tool-use
 */
export const anthropicToolUseAnswer = {
  id: 'msg_01Aq9w938a90dw8q',
  model: 'claude-sonnet-4-5',
  stop_reason: 'tool_use',
  role: 'assistant',
  content: [
    { type: 'text', text: "I'll check the current weather in San Francisco for you." },
    {
      type: 'tool_use',
      id: 'toolu_01A09q90qw90lq917835lq9',
      name: 'get_weather',
      input: { location: 'San Francisco, CA', unit: 'celsius' },
    },
  ],
};

/**
 * "Streaming request with tool use": the documented event stream, event for event.
 * @see https://docs.anthropic.com/en/docs/build-with-claude/streaming#streaming-request-with-tool-use
 */
export const anthropicToolUseStream = [
  'event: message_start\ndata: ' +
    '{"type":"message_start","message":{"id":"msg_014p7gG3wDgGV9EUtLvnow3U",' +
    '"type":"message","role":"assistant","model":"claude-opus-4-6",' +
    '"stop_sequence":null,"usage":{"input_tokens":472,"output_tokens":2},' +
    '"content":[],"stop_reason":null}}',
  'event: content_block_start\ndata: ' +
    '{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}',
  'event: ping\ndata: {"type": "ping"}',
  ...['Okay', ',', ' let', "'s", ' check', ' the', ' weather', ' for', ' San', ' Francisco', ',', ' CA', ':'].map(
    (text) =>
      `event: content_block_delta\ndata: ` +
      `{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":${JSON.stringify(text)}}}`,
  ),
  'event: content_block_stop\ndata: {"type":"content_block_stop","index":0}',
  'event: content_block_start\ndata: ' +
    '{"type":"content_block_start","index":1,' +
    '"content_block":{"type":"tool_use","id":"toolu_01T1x1fJ34qAmk2tNTrN7Up6",' +
    '"name":"get_weather","input":{}}}',
  ...['', '{"location":', ' "San', ' Francisc', 'o,', ' CA"', ',', ' "unit": "fah', 'renheit"}'].map(
    (piece) =>
      `event: content_block_delta\ndata: ` +
      `{"type":"content_block_delta","index":1,` +
      `"delta":{"type":"input_json_delta",` +
      `"partial_json":${JSON.stringify(piece)}}}`,
  ),
  'event: content_block_stop\ndata: {"type":"content_block_stop","index":1}',
  'event: message_delta\ndata: ' +
    '{"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"output_tokens":89}}',
  'event: message_stop\ndata: {"type":"message_stop"}',
]
  .map((event) => `${event}\n\n`)
  .join('');

/**
 * "Streaming request with extended thinking": thinking deltas, the signature, then text.
 * @see https://docs.anthropic.com/en/docs/build-with-claude/streaming#streaming-request-with-extended-thinking
 */
export const anthropicThinkingStream = [
  'event: message_start\ndata: {"type": "message_start", "message": {"id": ' +
    '"msg_01...", "type": "message", "role": "assistant", "content": [], ' +
    '"model": "claude-opus-4-6", "stop_reason": null, "stop_sequence": null}}',
  'event: content_block_start\ndata: {"type": "content_block_start", ' +
    '"index": 0, "content_block": {"type": "thinking", "thinking": ""}}',
  'event: content_block_delta\ndata: {"type": "content_block_delta", ' +
    '"index": 0, "delta": {"type": "thinking_delta", "thinking": "I need to ' +
    'find the GCD of 1071 and 462 using the Euclidean algorithm.\\n\\n1071 = ' +
    '2 × 462 + 147"}}',
  'event: content_block_delta\ndata: {"type": "content_block_delta", ' +
    '"index": 0, "delta": {"type": "thinking_delta", "thinking": "\\n462 = 3 ' +
    '× 147 + 21"}}',
  'event: content_block_delta\ndata: {"type": "content_block_delta", ' +
    '"index": 0, "delta": {"type": "thinking_delta", "thinking": "\\n147 = 7 ' +
    '× 21 + 0"}}',
  'event: content_block_delta\ndata: {"type": "content_block_delta", ' +
    '"index": 0, "delta": {"type": "thinking_delta", "thinking": "\\nThe ' +
    'remainder is 0, so GCD(1071, 462) = 21."}}',
  'event: content_block_delta\ndata: {"type": "content_block_delta", ' +
    '"index": 0, "delta": {"type": "signature_delta", "signature": ' +
    '"EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds..."}}',
  'event: content_block_stop\ndata: {"type": "content_block_stop", "index": 0}',
  'event: content_block_start\ndata: {"type": "content_block_start", ' +
    '"index": 1, "content_block": {"type": "text", "text": ""}}',
  'event: content_block_delta\ndata: {"type": "content_block_delta", ' +
    '"index": 1, "delta": {"type": "text_delta", "text": "The greatest common ' +
    'divisor of 1071 and 462 is **21**."}}',
  'event: content_block_stop\ndata: {"type": "content_block_stop", "index": 1}',
  'event: message_delta\ndata: {"type": "message_delta", "delta": {"stop_reason": "end_turn", "stop_sequence": null}}',
  'event: message_stop\ndata: {"type": "message_stop"}',
]
  .map((event) => `${event}\n\n`)
  .join('');
