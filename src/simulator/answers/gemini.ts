import { sse, type SimulatedUsage } from './content.js';

function usageMetadata(usage: SimulatedUsage): unknown {
  return { promptTokenCount: usage.input, candidatesTokenCount: usage.output, totalTokenCount: usage.input + usage.output };
}

/** @see https://ai.google.dev/api/generate-content#generatecontentresponse */
export function geminiResponse(model: string, words: string[], usage: SimulatedUsage): Record<string, unknown> {
  return {
    candidates: [{ content: { role: 'model', parts: [{ text: words.join('') }] }, finishReason: 'STOP', index: 0 }],
    usageMetadata: usageMetadata(usage),
    modelVersion: model,
    responseId: 'sim-response-01',
  };
}

/** One SSE chunk per word; the last carries the finish reason and the final usage. */
export function geminiStream(model: string, words: string[], usage: SimulatedUsage, wrap: (value: unknown) => unknown): string[] {
  return words.map((word, index) => {
    const last = index === words.length - 1;
    const candidate: Record<string, unknown> = { content: { role: 'model', parts: [{ text: word }] }, index: 0 };
    if (last) candidate.finishReason = 'STOP';
    const chunk: Record<string, unknown> = { candidates: [candidate], modelVersion: model, responseId: 'sim-response-01' };
    if (last) chunk.usageMetadata = usageMetadata(usage);
    return `data: ${JSON.stringify(wrap(chunk))}\r\n\r\n`;
  });
}

export function googleError(code: number, status: string, message: string, details: unknown[] = []): unknown {
  return { error: { code, message, status, details } };
}

export { sse };
