/**
 * For tests of code that reads JSON text without parsing it (the identity splice, the text-delta
 * reader): the same value spelt as other writers may spell it. The whitespace between tokens is
 * drawn in turn from `spaces`, and strings are written with every UTF-16 unit as `\uXXXX` when
 * `escapeAll` (keys too, unless `escapeKeys` says otherwise).
 */
export function renderJson(value: unknown, spaces: string[], escapeAll: boolean, escapeKeys = escapeAll): string {
  let turn = 0;
  const space = () => spaces[turn++ % spaces.length] ?? '';
  const text = (string: string) => (escapeAll ? escapedEveryUnit(string) : JSON.stringify(string));
  const key = (string: string) => (escapeKeys ? escapedEveryUnit(string) : JSON.stringify(string));
  const write = (item: unknown): string => {
    if (typeof item === 'string') return text(item);
    if (Array.isArray(item))
      return `[${space()}${item.map((entry) => write(entry)).join(`${space()},${space()}`)}${space()}]`;
    if (typeof item === 'object' && item !== null) {
      const members = Object.entries(item).map(([name, entry]) => `${key(name)}${space()}:${space()}${write(entry)}`);
      return `{${space()}${members.join(`${space()},${space()}`)}${space()}}`;
    }
    return JSON.stringify(item);
  };
  return `${space()}${write(value)}${space()}`;
}

/** A JSON string with every UTF-16 unit written as `\\uXXXX`. */
export function escapedEveryUnit(string: string): string {
  const units = Array.from({ length: string.length }, (_, at) => string.charCodeAt(at).toString(16).padStart(4, '0'));
  return `"${units.map((unit) => `\\u${unit}`).join('')}"`;
}
