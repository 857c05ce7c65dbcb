import { describe, expect, it } from 'vitest';
import { createStreamTranslator } from './translate-stream.js';

/** A chat stream with multi-byte characters, in LF or CRLF lines. */
function chatStream(lineEnd: string): string {
  const chunk = (delta: Record<string, unknown>, finish: string | null = null) =>
    `data: ${JSON.stringify({ id: 'c1', model: 'gpt-4.1', choices: [{ index: 0, delta, finish_reason: finish }] })}`;
  const events = [
    chunk({ role: 'assistant', content: '' }),
    chunk({ content: 'héllo ' }),
    chunk({ content: 'wörld 🌍' }),
    chunk({}, 'stop'),
    'data: [DONE]',
  ];
  return events.map((event) => `${event}${lineEnd}${lineEnd}`).join('');
}

function translated(stream: Buffer, size: number): string {
  const translator = createStreamTranslator('openai-chat', 'anthropic-messages', 1_764_000_000);
  let output = '';
  for (let start = 0; start < stream.length; start += size)
    output += translator.push(stream.subarray(start, start + size));
  return output + translator.end();
}

describe('createStreamTranslator', () => {
  it.each(['\n', '\r\n'])('writes the same events whatever the chunk size, characters cut or not (%j)', (lineEnd) => {
    const stream = Buffer.from(chatStream(lineEnd));
    const whole = translated(stream, stream.length);
    expect(whole).toContain('"text":"héllo "');
    expect(whole).toContain('"text":"wörld 🌍"');
    expect(whole).toContain('event: message_stop');
    for (let size = 1; size <= 40; size++) expect(translated(stream, size)).toBe(whole);
  });
});
