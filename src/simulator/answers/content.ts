/** The deterministic answer of an account: it names the account so tests see who answered. */
export function answerWords(account: string, count: number): string[] {
  const words = [`Hello`, ` from`, ` ${account}.`];
  for (let index = words.length; index < count; index += 1) words.push(` word${index}`);
  return words.slice(0, Math.max(count, 3));
}

export interface SimulatedUsage {
  input: number;
  output: number;
}

export function usageFor(requestBytes: number, words: string[]): SimulatedUsage {
  return { input: Math.max(1, Math.ceil(requestBytes / 4)), output: words.length };
}

export function sse(event: string | undefined, data: unknown): string {
  return `${event === undefined ? '' : `event: ${event}\n`}data: ${JSON.stringify(data)}\n\n`;
}
