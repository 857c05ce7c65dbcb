/**
 * Internal (tests): Chat Completions and Responses answers exactly as OpenAI's API reference shows them.
 */

/**
 * Create chat completion, "Image input" example response.
 * @see https://platform.openai.com/docs/api-reference/chat/create
 */
export const chatTextAnswer = {
  id: 'chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG',
  object: 'chat.completion',
  created: 1741570283,
  model: 'gpt-4.1-2025-04-14',
  choices: [
    {
      index: 0,
      message: {
        role: 'assistant',
        content:
          'The image shows a wooden boardwalk path running through a lush green ' +
          'field or meadow. The sky is bright blue with some scattered clouds, ' +
          'giving the scene a serene and peaceful atmosphere. Trees and shrubs are ' +
          'visible in the background.',
        refusal: null,
        annotations: [],
      },
      logprobs: null,
      finish_reason: 'stop',
    },
  ],
  usage: {
    prompt_tokens: 1117,
    completion_tokens: 46,
    total_tokens: 1163,
    prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: 0,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  },
  service_tier: 'default',
};

/**
 * Create chat completion, "Functions" example response.
 * @see https://platform.openai.com/docs/api-reference/chat/create
 */
export const chatToolCallAnswer = {
  id: 'chatcmpl-abc123',
  object: 'chat.completion',
  created: 1699896916,
  model: 'gpt-4o-mini',
  choices: [
    {
      index: 0,
      message: {
        role: 'assistant',
        content: null,
        tool_calls: [
          {
            id: 'call_abc123',
            type: 'function',
            function: { name: 'get_current_weather', arguments: '{\n"location": "Boston, MA"\n}' },
          },
        ],
      },
      logprobs: null,
      finish_reason: 'tool_calls',
    },
  ],
  usage: {
    prompt_tokens: 82,
    completion_tokens: 17,
    total_tokens: 99,
    completion_tokens_details: { reasoning_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
  },
};

/**
 * "The chat completion chunk object": the documented chunks (the reference elides the middle
 * ones as `....`), framed as the `data:` lines the API streams them in, then `[DONE]`.
 * @see https://platform.openai.com/docs/api-reference/chat-streaming/streaming
 */
export const chatStream = [
  '{"id":"chatcmpl-123","object":"chat.completion.chunk","created":1694268190,"model":"gpt-4o-mini", ' +
    '"system_fingerprint": "fp_44709d6fcb", ' +
    '"choices":[{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}]}',
  '{"id":"chatcmpl-123","object":"chat.completion.chunk","created":1694268190,"model":"gpt-4o-mini", ' +
    '"system_fingerprint": "fp_44709d6fcb", ' +
    '"choices":[{"index":0,"delta":{"content":"Hello"},"logprobs":null,"finish_reason":null}]}',
  '{"id":"chatcmpl-123","object":"chat.completion.chunk","created":1694268190,"model":"gpt-4o-mini", ' +
    '"system_fingerprint": "fp_44709d6fcb", ' +
    '"choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}]}',
  '[DONE]',
]
  .map((data) => `data: ${data}\n\n`)
  .join('');

/**
 * Create a model response, "Functions" example response.
 * @see https://platform.openai.com/docs/api-reference/responses/create
 */
export const responsesFunctionCallAnswer = {
  id: 'resp_67ca09c5efe0819096d0511c92b8c890096610f474011cc0',
  object: 'response',
  created_at: 1741294021,
  status: 'completed',
  error: null,
  incomplete_details: null,
  instructions: null,
  max_output_tokens: null,
  model: 'gpt-4.1-2025-04-14',
  output: [
    {
      type: 'function_call',
      id: 'fc_67ca09c6bedc8190a7abfec07b1a1332096610f474011cc0',
      call_id: 'call_unLAR8MvFNptuiZK6K6HCy5k',
      name: 'get_current_weather',
      arguments: '{"location":"Boston, MA","unit":"celsius"}',
      status: 'completed',
    },
  ],
  parallel_tool_calls: true,
  previous_response_id: null,
  reasoning: { effort: null, summary: null },
  store: true,
  temperature: 1.0,
  text: { format: { type: 'text' } },
  tool_choice: 'auto',
  tools: [
    {
      type: 'function',
      description: 'Get the current weather in a given location',
      name: 'get_current_weather',
      parameters: {
        type: 'object',
        properties: {
          location: { type: 'string', description: 'The city and state, e.g. San Francisco, CA' },
          unit: { type: 'string', enum: ['celsius', 'fahrenheit'] },
        },
        required: ['location', 'unit'],
      },
      strict: true,
    },
  ],
  top_p: 1.0,
  truncation: 'disabled',
  usage: { input_tokens: 291, output_tokens: 23, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: 314 },
  user: null,
  metadata: {},
};

const streamedResponse = (status: string, output: string, usage: string) =>
  `{"id":"resp_67c9fdcecf488190bdd9a0409de3a1ec07b8b0ad4e5eb654",` +
  `"object":"response","created_at":1741290958,"status":"${status}",` +
  `"error":null,"incomplete_details":null,"instructions":"You ` +
  `are a helpful ` +
  `assistant.","max_output_tokens":null,"model":"gpt-4.1-2025-04-14",` +
  `"output":${output},"parallel_tool_calls":true,` +
  `"previous_response_id":null,"reasoning":{"effort":null,"summary":null},` +
  `"store":true,"temperature":1.0,"text":{"format":{"type":"text"}},` +
  `"tool_choice":"auto","tools":[],"top_p":1.0,"truncation":"disabled",` +
  `"usage":${usage},"user":null,"metadata":{}}`;
const doneMessage =
  '{"id":"msg_67c9fdcf37fc8190ba82116e33fb28c507b8b0ad4e5eb654",' +
  '"type":"message","status":"completed","role":"assistant",' +
  '"content":[{"type":"output_text","text":"Hi ' +
  'there! How can I assist you today?","annotations":[]}]}';
const completedUsage =
  '{"input_tokens":37,"output_tokens":11,"output_tokens_details":{"reasoning_tokens":0},"total_tokens":48}';

/**
 * Create a model response, "Streaming" example: the documented events (the reference elides
 * the deltas after the first as `...`).
 * @see https://platform.openai.com/docs/api-reference/responses/create
 */
export const responsesTextStream = [
  `event: response.created\ndata: ` +
    `{"type":"response.created","response":${streamedResponse('in_progress', '[]', 'null')}}`,
  `event: response.in_progress\ndata: ` +
    `{"type":"response.in_progress","response":${streamedResponse('in_progress', '[]', 'null')}}`,
  'event: response.output_item.added\ndata: ' +
    '{"type":"response.output_item.added","output_index":0,' +
    '"item":{"id":"msg_67c9fdcf37fc8190ba82116e33fb28c507b8b0ad4e5eb654",' +
    '"type":"message","status":"in_progress","role":"assistant",' +
    '"content":[]}}',
  'event: response.content_part.added\ndata: ' +
    '{"type":"response.content_part.added",' +
    '"item_id":"msg_67c9fdcf37fc8190ba82116e33fb28c507b8b0ad4e5eb654",' +
    '"output_index":0,"content_index":0,"part":{"type":"output_text",' +
    '"text":"","annotations":[]}}',
  'event: response.output_text.delta\ndata: ' +
    '{"type":"response.output_text.delta",' +
    '"item_id":"msg_67c9fdcf37fc8190ba82116e33fb28c507b8b0ad4e5eb654",' +
    '"output_index":0,"content_index":0,"delta":"Hi"}',
  'event: response.output_text.done\ndata: ' +
    '{"type":"response.output_text.done",' +
    '"item_id":"msg_67c9fdcf37fc8190ba82116e33fb28c507b8b0ad4e5eb654",' +
    '"output_index":0,"content_index":0,"text":"Hi ' +
    'there! How can I assist you today?"}',
  'event: response.content_part.done\ndata: ' +
    '{"type":"response.content_part.done",' +
    '"item_id":"msg_67c9fdcf37fc8190ba82116e33fb28c507b8b0ad4e5eb654",' +
    '"output_index":0,"content_index":0,"part":{"type":"output_text",' +
    '"text":"Hi ' +
    'there! How can I assist you today?","annotations":[]}}',
  `event: response.output_item.done\ndata: {"type":"response.output_item.done","output_index":0,"item":${doneMessage}}`,
  `event: response.completed\ndata: ` +
    `{"type":"response.completed",` +
    `"response":${streamedResponse('completed', `[${doneMessage}]`, completedUsage)}}`,
]
  .map((event) => `${event}\n\n`)
  .join('');
