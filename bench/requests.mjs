// The request bodies every contender receives, byte for byte the same, and the target
// descriptions (name, url, path, headers, body) the load generators take.

const question = [{ role: 'user', content: 'Hello, how are you today?' }];

export const bodies = {
  messages: JSON.stringify({ model: 'claude-sonnet-4-6', max_tokens: 64, messages: question }),
  messagesStream: JSON.stringify({ model: 'claude-sonnet-4-6', max_tokens: 64, stream: true, messages: question }),
  chat: JSON.stringify({ model: 'gpt-4.1', messages: question }),
  chatStream: JSON.stringify({ model: 'gpt-4.1', stream: true, messages: question }),
};

const anthropicVersion = { 'anthropic-version': '2023-06-01' };

/** An Anthropic Messages request sent with the account's API key (the simulator and the passthrough). */
export function messagesWithKey(name, url, apiKey, body = bodies.messages) {
  return { name, url, path: '/v1/messages', headers: { ...anthropicVersion, 'x-api-key': apiKey }, body };
}

/**
 * The OAuth figure's request as switchyard sends it upstream for a client that sent no system
 * prompt: the Claude Code identity block first, the login's access token. The raw passthrough
 * and the floor proxy get it ready-made, so every contender sends the simulator the same bytes.
 */
export function messagesAsOauthUpstream(name, url, accessToken) {
  const identity = { type: 'text', text: "You are Claude Code, Anthropic's official CLI for Claude." };
  return {
    name,
    url,
    path: '/v1/messages',
    headers: { ...anthropicVersion, 'anthropic-beta': 'oauth-2025-04-20', authorization: `Bearer ${accessToken}` },
    body: `{"system":[${JSON.stringify(identity)}],${bodies.messages.slice(1)}`,
  };
}

/** An Anthropic Messages request to switchyard, naming the profile; switchyard adds the bucket's key. */
export function messagesViaProfile(name, url, profile, body = bodies.messages) {
  return { name, url, path: '/v1/messages', headers: { ...anthropicVersion, 'x-switchyard-profile': profile }, body };
}

/** An OpenAI Chat Completions request to switchyard, naming the profile. */
export function chatViaProfile(name, url, profile, body = bodies.chat) {
  return { name, url, path: '/v1/chat/completions', headers: { 'x-switchyard-profile': profile }, body };
}

/** An OpenAI Chat Completions request sent with the account's API key. */
export function chatWithKey(name, url, apiKey, body = bodies.chat) {
  return { name, url, path: '/v1/chat/completions', headers: { authorization: `Bearer ${apiKey}` }, body };
}

/** An OpenAI Chat Completions request to Portkey, which forwards it to the simulator's /v1. */
export function chatViaPortkey(name, url, simulatorUrl, apiKey, body = bodies.chat) {
  return {
    name,
    url,
    path: '/v1/chat/completions',
    headers: {
      'x-portkey-provider': 'openai',
      'x-portkey-custom-host': `${simulatorUrl}/v1`,
      authorization: `Bearer ${apiKey}`,
    },
    body,
  };
}
