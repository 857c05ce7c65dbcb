import { describe, expect, it } from 'vitest';
import { input, registry } from '../testing/request-input.js';
import { codeAssistUnwrapper } from './code-assist-unwrapper.js';

describe('gemini', () => {
  it('uses the Generative Language API with an API key', () => {
    const request = registry.gemini.definition.buildRequest(
      input({
        format: 'gemini',
        path: '/v1beta/models/gemini-2.5-pro:streamGenerateContent',
        model: 'gemini-2.5-pro',
        stream: true,
        settings: registry.gemini.settings,
      }),
    );
    expect(request.url.href).toBe(
      'https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-pro:streamGenerateContent?alt=sse',
    );
    expect(request.headers['x-goog-api-key']).toBe('key-1');
  });

  it('wraps OAuth requests for Code Assist and unwraps its answers', () => {
    const request = registry.gemini.definition.buildRequest(
      input({
        format: 'gemini',
        model: 'gemini-2.5-pro',
        body: { contents: [] },
        credential: { kind: 'oauth', accessToken: 't', project: 'p-1' },
        settings: registry.gemini.settings,
      }),
    );
    expect(request.url.href).toBe('https://cloudcode-pa.googleapis.com/v1internal:generateContent');
    expect(JSON.parse(request.body)).toEqual({ model: 'gemini-2.5-pro', project: 'p-1', request: { contents: [] } });
    expect(codeAssistUnwrapper.body('{"response":{"candidates":[]}}')).toBe('{"candidates":[]}');
  });

  it('unwraps every SSE data line even when chunks split a line', async () => {
    const transform = codeAssistUnwrapper.stream(1 << 20);
    const output: string[] = [];
    transform.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    transform.write('data: {"response":{"a"');
    transform.write(':1}}\n\ndata: {"response":{"b":2}}\n\n');
    transform.end();
    await new Promise((resolve) => transform.on('end', resolve));
    expect(output.join('')).toBe('data: {"a":1}\n\ndata: {"b":2}\n\n');
  });

  it('keeps CRLF event boundaries when unwrapping', async () => {
    const transform = codeAssistUnwrapper.stream(1 << 20);
    const output: string[] = [];
    transform.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    transform.end('data: {"response":{"a":1}}\r\n\r\n');
    await new Promise((resolve) => transform.on('end', resolve));
    expect(output.join('')).toBe('data: {"a":1}\r\n\r\n');
  });

  it('keeps a character that chunks split in two', async () => {
    const transform = codeAssistUnwrapper.stream(1 << 20);
    const output: Buffer[] = [];
    transform.on('data', (chunk: Buffer) => output.push(chunk));
    const line = Buffer.from('data: {"response":{"text":"Grüße"}}\n\n');
    const split = line.indexOf('ü') + 1;
    transform.write(line.subarray(0, split));
    transform.end(line.subarray(split));
    await new Promise((resolve) => transform.on('end', resolve));
    expect(Buffer.concat(output).toString()).toBe('data: {"text":"Grüße"}\n\n');
  });

  it('holds no more of an endless line than its limit: the rest goes on untouched, for the relay to refuse', async () => {
    const transform = codeAssistUnwrapper.stream(1024);
    let passed = 0;
    transform.on('data', (chunk: Buffer) => (passed += chunk.length));
    transform.write('data: {"response":{"text":"');
    for (let index = 0; index < 10; index++) transform.write(Buffer.alloc(512, 'a'));
    // At most the limit and one chunk are held at any time.
    expect(passed).toBeGreaterThanOrEqual(27 + 10 * 512 - 1024 - 512);
    transform.destroy();
  });
});
