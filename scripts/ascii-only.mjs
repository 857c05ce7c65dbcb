// The bundle is written in ASCII, and its source map kept true to it (see asciiOnly).

const base64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const base64Values = new Map([...base64].map((character, value) => [character, value]));

/**
 * esbuild escapes non-ASCII characters in strings but leaves them in regular expressions
 * (`µs`, typographic quotes). One such character makes Node decode the whole file as UTF-8 into
 * a two-byte string (a cost at every start); an ASCII file is read as Latin-1, a plain copy. In a
 * regular expression, as in a string, `\uXXXX` stands for the same UTF-16 unit. Each escape is
 * five characters longer than the unit it replaces: the source map's `mappings` (one `;`-separated
 * group per generated line) move every later column of that line by as much.
 */
export function asciiOnly(code, mappings) {
  const lines = code.split('\n');
  const groups = mappings.split(';');
  for (const [index, line] of lines.entries()) {
    const escaped = [];
    const ascii = line.replace(/[\u0080-\uffff]/g, (character, column) => {
      escaped.push(column);
      return `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`;
    });
    if (escaped.length === 0) continue;
    lines[index] = ascii;
    if (groups[index] !== undefined) groups[index] = shiftColumns(groups[index], escaped);
  }
  return { code: lines.join('\n'), mappings: groups.join(';') };
}

/** One line's segments with each generated column moved past the escapes before it. */
function shiftColumns(group, escapedColumns) {
  let column = 0;
  let shiftedColumn = 0;
  return group
    .split(',')
    .map((segment) => {
      if (segment === '') return segment;
      const [delta, length] = readVlq(segment);
      column += delta;
      const shifted = column + 5 * escapedColumns.filter((escaped) => escaped < column).length;
      const encoded = writeVlq(shifted - shiftedColumn) + segment.slice(length);
      shiftedColumn = shifted;
      return encoded;
    })
    .join(',');
}

/** The first base64 VLQ value of `text`, and how many characters it took. */
function readVlq(text) {
  let value = 0;
  let shift = 0;
  let length = 0;
  for (;;) {
    const digit = base64Values.get(text[length]);
    if (digit === undefined) throw new Error(`not a source map segment: ${text}`);
    length += 1;
    value += (digit & 31) << shift;
    shift += 5;
    if ((digit & 32) === 0) break;
  }
  return [value & 1 ? -(value >>> 1) : value >>> 1, length];
}

function writeVlq(value) {
  let rest = value < 0 ? (-value << 1) | 1 : value << 1;
  let text = '';
  do {
    let digit = rest & 31;
    rest >>>= 5;
    if (rest > 0) digit |= 32;
    text += base64[digit];
  } while (rest > 0);
  return text;
}
