/**
 * Internal (tests): Gemini requests and answers as Google's public material shows them.
 */

const functionDeclarations = [
  {
    name: 'find_movies',
    description: 'find movie titles currently playing in theaters based on any description, genre, title words, etc.',
    parameters: {
      type: 'OBJECT',
      properties: {
        location: {
          type: 'STRING',
          description: 'The city and state, e.g. San Francisco, CA or a zip code e.g. 95616',
        },
        description: {
          type: 'STRING',
          description: 'Any kind of description including category or genre, title words, attributes, etc.',
        },
      },
      required: ['description'],
    },
  },
  {
    name: 'find_theaters',
    description:
      'find theaters based on location and optionally movie title which are is currently playing in theaters',
    parameters: {
      type: 'OBJECT',
      properties: {
        location: {
          type: 'STRING',
          description: 'The city and state, e.g. San Francisco, CA or a zip code e.g. 95616',
        },
        movie: { type: 'STRING', description: 'Any movie title' },
      },
      required: ['location'],
    },
  },
];

/**
 * The Gemini cookbook's "Function calling with REST" multi-turn request, with the function
 * declarations it sends (shortened to the two the turns use): a user question, the model's
 * `functionCall`, the `functionResponse` (role `function`), the model's answer and a new question.
 * @see https://github.com/google-gemini/cookbook/blob/main/quickstarts/rest/Function_calling_REST.ipynb
 */
export const geminiFunctionCallingRequest = {
  contents: [
    { role: 'user', parts: [{ text: 'Which theaters in Mountain View show Barbie movie?' }] },
    {
      role: 'model',
      parts: [{ functionCall: { name: 'find_theaters', args: { location: 'Mountain View, CA', movie: 'Barbie' } } }],
    },
    {
      role: 'function',
      parts: [
        {
          functionResponse: {
            name: 'find_theaters',
            response: {
              name: 'find_theaters',
              content: {
                movie: 'Barbie',
                theaters: [
                  { name: 'AMC Mountain View 16', address: '2000 W El Camino Real, Mountain View, CA 94040' },
                  { name: 'Regal Edwards 14', address: '245 Castro St, Mountain View, CA 94040' },
                ],
              },
            },
          },
        },
      ],
    },
    {
      role: 'model',
      parts: [
        {
          text:
            ' OK. Barbie is showing in two theaters in Mountain View, CA: AMC ' +
            'Mountain View 16 and Regal Edwards 14.',
        },
      ],
    },
    { role: 'user', parts: [{ text: 'Can you recommend some comedy movies on show in Mountain View?' }] },
  ],
  tools: [{ functionDeclarations }],
};

/**
 * The single-turn answer of the same cookbook: its documented `functionCall` part, in the
 * candidate envelope of the API reference's GenerateContentResponse (the cookbook prints only
 * the part).
 * @see https://github.com/google-gemini/cookbook/blob/main/quickstarts/rest/Function_calling_REST.ipynb
 * @see https://ai.google.dev/api/generate-content#v1beta.GenerateContentResponse
 */
export const geminiFunctionCallAnswer = {
  candidates: [
    {
      content: {
        parts: [{ functionCall: { name: 'find_theaters', args: { movie: 'Barbie', location: 'Mountain View, CA' } } }],
        role: 'model',
      },
      finishReason: 'STOP',
      index: 0,
    },
  ],
};
