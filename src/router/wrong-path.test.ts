import { describe, expect, it } from 'vitest';
import { wrongPathAdvice } from './wrong-path.js';

const url = new URL('https://api.example/v1/v1/chat/completions');
const advise = (status: number, body: string) =>
  wrongPathAdvice('openai', status, body, url, 'https://api.example/v1/');

describe('wrongPathAdvice', () => {
  it.each([
    ['OpenAI', '{"error":{"message":"Invalid URL (POST /v1/v1/chat/completions)","type":"invalid_request_error"}}'],
    ['Anthropic', '{"type":"error","error":{"type":"not_found_error","message":"Not Found"}}'],
    ['a framework', '{"detail":"Not Found"}'],
    ['a proxy page', '<html><body><h1>404 Not Found</h1></body></html>'],
  ])("names the setting when %s's 404 says the path is wrong", (_source, body) => {
    const advice = advise(404, body);
    expect(advice).toContain('for https://api.example/v1/v1/chat/completions: the path does not exist there.');
    expect(advice).toContain('Check providers.openai.baseUrl in config.yaml (now https://api.example/v1/)');
  });

  it.each([
    ['OpenAI', '{"error":{"message":"The model `gpt-x` does not exist","code":"model_not_found"}}'],
    ['Gemini', '{"error":{"code":404,"message":"models/x is not found for API version v1beta","status":"NOT_FOUND"}}'],
    ['Anthropic', '{"type":"error","error":{"type":"not_found_error","message":"model: claude-x"}}'],
  ])("leaves %s's 404 about an unknown model to the client as it is", (_source, body) => {
    expect(advise(404, body)).toBeUndefined();
  });

  it('says nothing about other statuses', () => {
    expect(advise(400, '{"error":{"message":"Invalid URL"}}')).toBeUndefined();
  });
});
