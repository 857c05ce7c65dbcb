/** The deterministic text of an ok answer, already split into stream deltas. */
export interface AnswerText {
  text: string;
  /** One string per text delta event; joined they give `text`. */
  pieces: string[];
  /** Output tokens: the number of words. */
  words: number;
}

const fillerWords = ['and', 'a', 'few', 'more', 'words'];
const cache = new Map<string, AnswerText>();
const cacheLimit = 512;

/**
 * `Hello from <account> via the switchyard provider simulator`, padded with filler words when
 * more deltas are wanted than there are words. Cached: benchmarks ask for the same text often.
 */
export function answerText(account: string, deltaCount: number): AnswerText {
  const pieceCount = Math.max(1, Math.floor(deltaCount));
  const key = `${pieceCount}\u0000${account}`;
  const cached = cache.get(key);
  if (cached) return cached;
  const words = ['Hello', 'from', account, 'via', 'the', 'switchyard', 'provider', 'simulator'];
  for (let index = 0; words.length < pieceCount; index++) {
    words.push(fillerWords[index % fillerWords.length] as string);
  }
  const pieces: string[] = [];
  for (let piece = 0; piece < pieceCount; piece++) {
    const start = Math.floor((piece * words.length) / pieceCount);
    const end = Math.floor(((piece + 1) * words.length) / pieceCount);
    const joined = words.slice(start, end).join(' ');
    pieces.push(piece === 0 ? joined : ` ${joined}`);
  }
  const answer: AnswerText = { text: pieces.join(''), pieces, words: words.length };
  if (cache.size >= cacheLimit) cache.clear();
  cache.set(key, answer);
  return answer;
}

/** Input tokens as providers roughly count them: about one per four bytes of request. */
export function estimateInputTokens(bodyBytes: number): number {
  return Math.max(1, Math.ceil(bodyBytes / 4));
}
