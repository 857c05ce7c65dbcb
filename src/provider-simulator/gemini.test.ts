import { ApiError, GoogleGenAI } from '@google/genai';
import { describe, expect, it } from 'vitest';
import { postJson, useSimulator } from './testing/use-simulator.js';

interface CodeAssistAnswer {
  response: {
    candidates: Array<{ content: { parts: Array<{ text: string }> }; finishReason?: string }>;
    usageMetadata: { promptTokenCount: number; candidatesTokenCount: number; totalTokenCount: number };
  };
}

describe('Gemini', () => {
  const simulator = useSimulator();

  function client(apiKey: string): GoogleGenAI {
    return new GoogleGenAI({ apiKey, httpOptions: { baseUrl: simulator().url } });
  }

  it('answers generateContent in a form the SDK parses, with usageMetadata', async () => {
    const { apiKey } = simulator().addAccount('dave');
    const response = await client(apiKey).models.generateContent({ model: 'gemini-2.5-pro', contents: 'Say hello' });
    expect(response.text).toMatch(/^Hello from dave /);
    expect(response.candidates?.[0]?.finishReason).toBe('STOP');
    const words = (response.text ?? '').split(' ').length;
    expect(response.usageMetadata?.candidatesTokenCount).toBe(words);
    expect(response.usageMetadata?.totalTokenCount).toBe((response.usageMetadata?.promptTokenCount ?? 0) + words);
  });

  it('streams chunks the SDK parses, the last one finishing with the full usage', async () => {
    const { apiKey } = simulator().addAccount('dave');
    simulator().script('dave', [{ kind: 'ok', streamEvents: 7 }]);
    const stream = await client(apiKey).models.generateContentStream({
      model: 'gemini-2.5-flash',
      contents: 'Say hello',
    });
    let text = '';
    let chunks = 0;
    let last: Awaited<ReturnType<GoogleGenAI['models']['generateContent']>> | undefined;
    for await (const chunk of stream) {
      chunks += 1;
      text += chunk.text ?? '';
      last = chunk;
    }
    expect(chunks).toBe(7);
    expect(text).toMatch(/^Hello from dave /);
    expect(last?.candidates?.[0]?.finishReason).toBe('STOP');
    expect(last?.usageMetadata?.candidatesTokenCount).toBe(text.split(' ').length);
  });

  it('accepts a bearer token as well as x-goog-api-key', async () => {
    const { accessToken } = simulator().addAccount('dave');
    const answer = await postJson(
      `${simulator().url}/v1beta/models/gemini-2.5-pro:generateContent`,
      { contents: [{ role: 'user', parts: [{ text: 'hi' }] }] },
      { authorization: `Bearer ${accessToken}` },
    );
    expect(answer.status).toBe(200);
    expect(answer.json()).toMatchObject({ modelVersion: 'gemini-2.5-pro' });
  });

  it('answers unknown credentials with UNAUTHENTICATED, which the SDK raises as a 401', async () => {
    simulator().addAccount('dave');
    const failure = await client('wrong-key')
      .models.generateContent({ model: 'gemini-2.5-pro', contents: 'hi' })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ApiError);
    expect((failure as ApiError).status).toBe(401);
    const answer = await postJson(
      `${simulator().url}/v1beta/models/gemini-2.5-pro:generateContent`,
      {},
      {
        'x-goog-api-key': 'wrong-key',
      },
    );
    expect(answer.json()).toMatchObject({ error: { code: 401, status: 'UNAUTHENTICATED' } });
  });

  describe('Code Assist API', () => {
    const wrapped = {
      model: 'gemini-2.5-pro',
      project: 'sim-project',
      request: { contents: [{ role: 'user', parts: [{ text: 'hi' }] }] },
    };

    it('wraps a plain answer as {response}', async () => {
      const { accessToken } = simulator().addAccount('dave');
      const answer = await postJson(`${simulator().url}/v1internal:generateContent`, wrapped, {
        authorization: `Bearer ${accessToken}`,
      });
      expect(answer.status).toBe(200);
      const body = answer.json() as CodeAssistAnswer;
      expect(body.response.candidates[0]?.content.parts[0]?.text).toMatch(/^Hello from dave /);
      expect(body.response.usageMetadata.promptTokenCount).toBe(Math.ceil(JSON.stringify(wrapped).length / 4));
    });

    it('wraps every stream chunk as {response}, with CRLF boundaries', async () => {
      const { accessToken } = simulator().addAccount('dave');
      const answer = await postJson(`${simulator().url}/v1internal:streamGenerateContent?alt=sse`, wrapped, {
        authorization: `Bearer ${accessToken}`,
      });
      const chunks = answer.text
        .split('\r\n\r\n')
        .filter((frame) => frame.length > 0)
        .map((frame) => JSON.parse(frame.replace(/^data: /, '')) as CodeAssistAnswer);
      expect(chunks).toHaveLength(5);
      const text = chunks.map((chunk) => chunk.response.candidates[0]?.content.parts[0]?.text).join('');
      expect(text).toMatch(/^Hello from dave /);
      expect(chunks.at(-1)?.response.candidates[0]?.finishReason).toBe('STOP');
    });

    it('refuses a request that is not wrapped', async () => {
      const { accessToken } = simulator().addAccount('dave');
      const answer = await postJson(`${simulator().url}/v1internal:generateContent`, wrapped.request, {
        authorization: `Bearer ${accessToken}`,
      });
      expect(answer.status).toBe(400);
      expect(answer.json()).toMatchObject({ error: { code: 400, status: 'INVALID_ARGUMENT' } });
    });
  });
});
