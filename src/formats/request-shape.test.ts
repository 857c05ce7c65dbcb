import { describe, expect, it } from 'vitest';
import { readRequestShape } from './index.js';

describe('readRequestShape', () => {
  it.each(['anthropic-messages', 'openai-chat', 'openai-responses'] as const)(
    '%s: model and stream come from the body',
    (format) => {
      expect(readRequestShape(format, { model: 'm-1', stream: true }, 'path-model', false)).toEqual({
        model: 'm-1',
        stream: true,
      });
      expect(readRequestShape(format, { model: 'm-1' }, undefined, true)).toEqual({ model: 'm-1', stream: false });
    },
  );

  it.each(['anthropic-messages', 'openai-chat', 'openai-responses'] as const)(
    '%s: only `stream: true` streams, and a missing or odd model is undefined',
    (format) => {
      expect(readRequestShape(format, { model: 42, stream: 'true' }, undefined, false)).toEqual({
        model: undefined,
        stream: false,
      });
      expect(readRequestShape(format, { model: '', stream: 1 }, undefined, false)).toEqual({
        model: undefined,
        stream: false,
      });
    },
  );

  it('gemini: model and stream come from the path, whatever the body says', () => {
    expect(readRequestShape('gemini', { model: 'body-model', stream: false }, 'gemini-2.5-pro', true)).toEqual({
      model: 'gemini-2.5-pro',
      stream: true,
    });
    expect(readRequestShape('gemini', {}, undefined, false)).toEqual({ model: undefined, stream: false });
  });
});
