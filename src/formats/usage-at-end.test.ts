import { describe, expect, it } from 'vitest';
import type { WireFormat } from '../core/types.js';
import { readUsage } from './index.js';
import { recordedAnswers, wireFormats } from './testing/recorded-streams.js';
import { usageAtEnd } from './usage-at-end.js';

const bytes = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value));

describe('usage of a plain answer read from its end', () => {
  it('reads the root usage member when the answer ends with it, whitespace included', () => {
    const answer =
      '{"id":"m","content":[{"type":"text","text":"hi"}],\n "usage" : {"input_tokens":3,"output_tokens":4}\n}\n';
    expect(usageAtEnd(bytes(answer))).toBe('{"usage":{"input_tokens":3,"output_tokens":4}}');
  });

  it('passes to the whole-answer parse when usage is not the last member or not at the root', () => {
    const notLast = { usage: { input_tokens: 1 }, id: 'x' };
    const nested = { content: [{ type: 'tool_use', input: { usage: { input_tokens: 99 } } }] };
    const inArray = [{ usageMetadata: {} }, { usage: { input_tokens: 1 } }];
    const keyInString = '{"text":"say \\"usage\\": {\\"input_tokens\\": 7}","x\\"usage":{"input_tokens":5}}';
    for (const answer of [notLast, nested, inArray, keyInString]) expect(usageAtEnd(bytes(answer))).toBeUndefined();
  });

  it('keeps braces and quotes inside strings of the usage object apart from its structure', () => {
    const answer = { id: 'm', usage: { input_tokens: 2, note: 'a } and a \\" and {', output_tokens: 6 } };
    expect(JSON.parse(usageAtEnd(bytes(answer)) ?? 'null')).toEqual({ usage: answer.usage });
  });

  it('gives readUsage the same counts from bytes as from text for every format and shape', () => {
    const shapes = (format: WireFormat): unknown[] => [
      recordedAnswers[format].body,
      { id: 'a', usage: { input_tokens: 1, output_tokens: 2, prompt_tokens: 3, completion_tokens: 4 } },
      { usage: { input_tokens: 1, output_tokens: 2, prompt_tokens: 3, completion_tokens: 4 }, id: 'last' },
      { id: 'n', content: [{ input: { usage: { input_tokens: 50, prompt_tokens: 50 } } }] },
      '{"id":"broken", "usage": {"input_tokens": 1}',
      'not json',
    ];
    for (const format of wireFormats) {
      for (const shape of shapes(format)) {
        const text = typeof shape === 'string' ? shape : JSON.stringify(shape);
        expect(readUsage(format, Buffer.from(text))).toEqual(readUsage(format, text));
      }
    }
  });
});
