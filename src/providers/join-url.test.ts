import { describe, expect, it } from 'vitest';
import { joinUrl } from './join-url.js';

describe('joinUrl', () => {
  it('joins a base that carries a path, with or without slashes at the seam', () => {
    expect(joinUrl('https://dashscope.aliyuncs.com/compatible-mode/v1/', 'chat/completions').href).toBe(
      'https://dashscope.aliyuncs.com/compatible-mode/v1/chat/completions',
    );
    expect(joinUrl('https://api.anthropic.com', '/v1/messages').href).toBe('https://api.anthropic.com/v1/messages');
    expect(joinUrl('http://127.0.0.1:9', '/v1beta/models/gemini-2.5-pro:streamGenerateContent?alt=sse').search).toBe(
      '?alt=sse',
    );
  });

  it('parses each URL once and stays bounded when clients name ever more models', () => {
    expect(joinUrl('https://api.anthropic.com', '/v1/messages')).toBe(
      joinUrl('https://api.anthropic.com/', 'v1/messages'),
    );
    for (let model = 0; model < 2_000; model += 1) {
      expect(
        joinUrl('https://generativelanguage.googleapis.com', `/v1beta/models/m${model}:generateContent`).pathname,
      ).toBe(`/v1beta/models/m${model}:generateContent`);
    }
    expect(joinUrl('https://api.anthropic.com', '/v1/messages').href).toBe('https://api.anthropic.com/v1/messages');
  });

  it('refuses a base that is not a URL, as before', () => {
    expect(() => joinUrl('not a url', '/v1/messages')).toThrow(TypeError);
  });
});
