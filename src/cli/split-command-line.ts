/**
 * Splits a shell line into words, honouring single and double quotes and backslash escapes; an
 * unquoted `#` starting a word begins a comment, as in a shell (guides write `/auth gemini enable  # why`).
 */
export function splitCommandLine(line: string): string[] {
  const words: string[] = [];
  let current = '';
  let quote: '"' | "'" | undefined;
  let inWord = false;
  for (let index = 0; index < line.length; index += 1) {
    const character = line[index]!;
    if (quote) {
      if (character === quote) quote = undefined;
      else if (character === '\\' && quote === '"' && index + 1 < line.length) current += line[++index];
      else current += character;
      continue;
    }
    if (character === '"' || character === "'") {
      quote = character;
      inWord = true;
    } else if (character === '\\' && index + 1 < line.length) {
      current += line[++index];
      inWord = true;
    } else if (character === '#' && !inWord) {
      break;
    } else if (/\s/.test(character)) {
      if (inWord) words.push(current);
      current = '';
      inWord = false;
    } else {
      current += character;
      inWord = true;
    }
  }
  if (quote) throw new Error(`Unclosed ${quote === '"' ? 'double' : 'single'} quote.`);
  if (inWord) words.push(current);
  return words;
}
