/**
 * Internal to read-text-delta.ts: a validating scanner for Chat chunks of the text-delta shape
 * `{…scalars…,"choices":[{"index":0,"delta":{"content":"…"},…scalars…}],…scalars…}`, where the
 * scalars (`id`, `created`, `usage: null`, `finish_reason: null`, `role`, …) are fields the stream
 * decoder ignores once the stream has started. It gives up on anything else (a tool call,
 * reasoning, a finish reason, a usage object, an error, more than one choice, a key written with
 * escapes) and checks the text as JSON.parse checks it, so a malformed chunk is never read.
 */

const tab = 0x09;
const lineFeed = 0x0a;
const carriageReturn = 0x0d;
const space = 0x20;
const quote = 0x22;
const plus = 0x2b;
const comma = 0x2c;
const minus = 0x2d;
const dot = 0x2e;
const digitZero = 0x30;
const digitNine = 0x39;
const colon = 0x3a;
const upperE = 0x45;
const openBracket = 0x5b;
const backslash = 0x5c;
const closeBracket = 0x5d;
const lowerE = 0x65;
const letterU = 0x75;
const openBrace = 0x7b;
const closeBrace = 0x7d;

/**
 * A validating cursor over one chunk's JSON text, one method per part of the shape; each answers
 * false where the fast read gives up. The parts after the content (`afterContent`) are separate so
 * that a scan can start at a known prefix's end.
 */
export class ChunkScanner {
  data = '';
  at = 0;
  text = '';
  /** Where the value of the last `content` read starts, and where it ends when it is a string; -1 when none. */
  contentStart = -1;
  contentEnd = -1;
  private keyStart = 0;
  private keyEnd = 0;
  /** Whether the last string read held an escape. */
  private escaped = false;
  /** Just past the last scalar read. */
  private valueEnd = 0;
  /** Set by `enter` and `next`: whether the object just ended. */
  private closed = false;
  private sawChoices = false;
  private sawDelta = false;

  reset(data: string, at: number): void {
    this.data = data;
    this.at = at;
    this.text = '';
    this.contentStart = -1;
    this.contentEnd = -1;
    // A scan from a prefix's end starts inside the delta, choices and delta already read.
    this.sawChoices = at > 0;
    this.sawDelta = at > 0;
  }

  /** Lets go of the chunk: the scanner lives as long as its stream, the chunk's text should not. */
  release(): void {
    this.data = '';
  }

  /** A whole chunk. */
  chunk(): boolean {
    // An empty object has no choices; the member loops below must not start on one.
    if (!this.enter(openBrace) || this.closed) return false;
    return this.key() && this.chunkValue() && this.restOfChunk();
  }

  /** At a known prefix's end: the content's string, then `afterContent`. */
  contentString(): boolean {
    this.contentStart = this.at;
    if (!this.string()) return false;
    this.contentEnd = this.at;
    this.text = this.stringValue(this.contentStart);
    return true;
  }

  /** The rest of a chunk after the content's value. */
  afterContent(): boolean {
    return this.restOfDelta() && this.restOfChoice() && this.restOfChunk();
  }

  private restOfChunk(): boolean {
    while (this.next(closeBrace)) if (!this.key() || !this.chunkValue()) return false;
    return this.closed && this.sawChoices && this.skipSpace() === this.data.length;
  }

  private chunkValue(): boolean {
    if (!this.keyIs('choices')) return this.scalar();
    // Repeated, JSON.parse would keep the last one: left to it.
    if (this.sawChoices) return false;
    this.sawChoices = true;
    // Exactly one choice.
    if (!this.enter(openBracket) || !this.enter(openBrace) || this.closed) return false;
    return this.key() && this.choiceValue() && this.restOfChoice();
  }

  /** The rest of the one choice, and the end of the choices. */
  private restOfChoice(): boolean {
    while (this.next(closeBrace)) if (!this.key() || !this.choiceValue()) return false;
    if (!this.closed || !this.sawDelta) return false;
    this.skipSpace();
    if (this.data.charCodeAt(this.at) !== closeBracket) return false;
    this.at += 1;
    return true;
  }

  private choiceValue(): boolean {
    if (this.keyIs('delta')) {
      if (this.sawDelta) return false;
      this.sawDelta = true;
      if (!this.enter(openBrace)) return false;
      return this.closed || (this.key() && this.deltaValue() && this.restOfDelta());
    }
    const start = this.skipSpace();
    if (!this.scalar()) return false;
    // Only the first choice is read: any other index is left to the full parse.
    if (this.keyIs('index')) return this.data.charCodeAt(start) === digitZero && this.valueEnd === start + 1;
    // A finish reason ends the answer: the full parse holds it for the usage chunk.
    if (this.keyIs('finish_reason')) return this.data.charCodeAt(start) !== quote;
    return true;
  }

  private restOfDelta(): boolean {
    while (this.next(closeBrace)) if (!this.key() || !this.deltaValue()) return false;
    return this.closed;
  }

  /**
   * `content` is the text (the last one wins, as in JSON.parse); `reasoning_content` text is left
   * to the full parse.
   */
  private deltaValue(): boolean {
    const start = this.skipSpace();
    if (!this.scalar()) return false;
    const isString = this.data.charCodeAt(start) === quote;
    if (this.keyIs('content')) {
      this.contentStart = start;
      this.contentEnd = isString ? this.valueEnd : -1;
      this.text = isString ? this.stringValue(start) : '';
      return true;
    }
    return !isString || !this.keyIs('reasoning_content');
  }

  /** The value of the string just read from `start`. */
  private stringValue(start: number): string {
    return this.escaped
      ? (JSON.parse(this.data.slice(start, this.valueEnd)) as string)
      : this.data.slice(start + 1, this.valueEnd - 1);
  }

  /** Opens `{` or `[`; for an object, notes whether it is empty. */
  private enter(code: number): boolean {
    this.skipSpace();
    if (this.data.charCodeAt(this.at) !== code) return false;
    this.at += 1;
    if (code === openBrace) {
      this.skipSpace();
      this.closed = this.data.charCodeAt(this.at) === closeBrace;
      if (this.closed) this.at += 1;
    }
    return true;
  }

  /** After a member: true at a comma (another follows), false at `close` or anything else (see `closed`). */
  private next(close: number): boolean {
    this.skipSpace();
    const code = this.data.charCodeAt(this.at);
    this.closed = code === close;
    if (code !== comma && code !== close) return false;
    this.at += 1;
    return code === comma;
  }

  /** A key and its colon; keys written with escapes are left to JSON.parse, which may read them as a known name. */
  private key(): boolean {
    this.skipSpace();
    this.keyStart = this.at;
    if (!this.string() || this.escaped) return false;
    this.keyEnd = this.at;
    this.skipSpace();
    if (this.data.charCodeAt(this.at) !== colon) return false;
    this.at += 1;
    return true;
  }

  private keyIs(name: string): boolean {
    return this.keyEnd - this.keyStart === name.length + 2 && this.matches(name, this.keyStart + 1);
  }

  /**
   * Whether `word` is at `at`. Compared unit by unit: V8's `startsWith` took ~0.1 µs a call here,
   * as much as scanning the rest of a chunk.
   */
  private matches(word: string, at: number): boolean {
    if (at + word.length > this.data.length) return false;
    for (let index = 0; index < word.length; index++)
      if (this.data.charCodeAt(at + index) !== word.charCodeAt(index)) return false;
    return true;
  }

  /** A string, number, true, false or null; objects and arrays are not read here. */
  private scalar(): boolean {
    this.skipSpace();
    const code = this.data.charCodeAt(this.at);
    let read: boolean;
    if (code === quote) read = this.string();
    else if (code === minus || (code >= digitZero && code <= digitNine)) read = this.number();
    else read = this.word('null') || this.word('true') || this.word('false');
    this.valueEnd = this.at;
    return read;
  }

  private word(word: string): boolean {
    if (!this.matches(word, this.at)) return false;
    this.at += word.length;
    return true;
  }

  /** JSON's number grammar: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? */
  private number(): boolean {
    if (this.data.charCodeAt(this.at) === minus) this.at += 1;
    if (this.data.charCodeAt(this.at) === digitZero) this.at += 1;
    else if (this.digits() === 0) return false;
    if (this.data.charCodeAt(this.at) === dot) {
      this.at += 1;
      if (this.digits() === 0) return false;
    }
    const exponent = this.data.charCodeAt(this.at);
    if (exponent === lowerE || exponent === upperE) {
      this.at += 1;
      const sign = this.data.charCodeAt(this.at);
      if (sign === plus || sign === minus) this.at += 1;
      if (this.digits() === 0) return false;
    }
    return true;
  }

  private digits(): number {
    const { data } = this;
    let at = this.at;
    while (at < data.length) {
      const code = data.charCodeAt(at);
      if (code < digitZero || code > digitNine) break;
      at += 1;
    }
    const count = at - this.at;
    this.at = at;
    return count;
  }

  /** A string at the cursor, its escapes checked as JSON.parse checks them; notes whether it had any. */
  private string(): boolean {
    const { data } = this;
    if (data.charCodeAt(this.at) !== quote) return false;
    this.escaped = false;
    for (let at = this.at + 1; at < data.length; at++) {
      const code = data.charCodeAt(at);
      if (code === quote) {
        this.at = at + 1;
        this.valueEnd = this.at;
        return true;
      }
      if (code < space) return false;
      if (code === backslash) {
        this.escaped = true;
        if (at + 1 >= data.length) return false;
        const escapeLetter = data.charCodeAt(++at);
        if (escapeLetter === letterU) {
          if (at + 4 >= data.length) return false;
          for (let digit = 0; digit < 4; digit++) if (!isHexDigit(data.charCodeAt(++at))) return false;
        } else if (!simpleEscapes.has(escapeLetter)) return false;
      }
    }
    return false;
  }

  /** Skips JSON's four whitespace characters; the cursor after them. */
  private skipSpace(): number {
    const { data } = this;
    let at = this.at;
    while (at < data.length) {
      const code = data.charCodeAt(at);
      if (code !== space && code !== lineFeed && code !== carriageReturn && code !== tab) break;
      at += 1;
    }
    this.at = at;
    return at;
  }
}

/** `\"`, `\\`, `\/`, `\b`, `\f`, `\n`, `\r`, `\t`. */
const simpleEscapes = new Set([...'"\\/bfnrt'].map((character) => character.charCodeAt(0)));

function isHexDigit(code: number): boolean {
  return (code >= digitZero && code <= digitNine) || (code >= 0x41 && code <= 0x46) || (code >= 0x61 && code <= 0x66);
}
