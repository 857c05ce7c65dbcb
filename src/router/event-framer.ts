/** What ends an event in LF and in CRLF streams: a line feed, then a blank line's end. */
const lineFeedEnd = Buffer.from('\n\n');
const carriageReturnEnd = Buffer.from('\n\r\n');
const noBytes = Buffer.alloc(0);
const noPieces: Buffer[] = [];
const lineFeed = 0x0a;
const carriageReturn = 0x0d;

/**
 * Cuts a server-sent-event stream at event boundaries: whole events go on, the unfinished last one
 * is held until its blank line comes, up to `limit` bytes. So a client only ever receives whole
 * events (an error event written after a broken stream stands on its own, and is not glued to a
 * cut line), and one event that never ends cannot grow without bound. Searches are native byte
 * searches on each chunk; an upstream that flushes whole events (they all do) costs no copy.
 */
export class EventFramer {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** The held data's last bytes, to find a boundary cut between two chunks. */
  private tail: Buffer = noBytes;
  /** An unfinished event that arrived past the limit after whole ones: the stream can only break off now. */
  private overLimit = false;
  /** Whether the last boundary found was CRLF (Gemini's): that kind is searched for first. */
  private carriageReturns = false;

  constructor(private readonly limit: number) {}

  /** Bytes of the unfinished event held. */
  get holding(): number {
    return this.pendingBytes;
  }

  /**
   * The whole events `chunk` completes, with the held start of the first of them: empty when it
   * completes none. 'too-large': the unfinished event outgrew the limit (and was dropped).
   */
  push(chunk: Buffer): Buffer | 'too-large' {
    const pieces = this.pushPieces(chunk);
    if (pieces === 'too-large') return pieces;
    return pieces.length === 0 ? noBytes : pieces.length === 1 ? pieces[0]! : Buffer.concat(pieces);
  }

  /**
   * What push() gives, in at most two pieces: the held start of the first event, then the part of
   * `chunk` that completes it and the events after it. Written as they are, they spare a copy of
   * the chunk (64 KB from a socket) that joining them would cost.
   */
  pushPieces(chunk: Buffer): Buffer[] | 'too-large' {
    if (this.overLimit) return 'too-large';
    const end = this.eventsEnd(chunk);
    if (end === -1) {
      if (this.pendingBytes + chunk.length > this.limit) {
        this.drop();
        return 'too-large';
      }
      this.hold(chunk);
      return noPieces;
    }
    const completed = chunk.subarray(0, end);
    const pieces =
      this.pendingBytes === 0
        ? [completed]
        : [this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending, this.pendingBytes), completed];
    this.drop();
    if (end < chunk.length) this.hold(chunk.subarray(end));
    if (this.pendingBytes > this.limit) {
      // The events before it go on; the unfinished one is already past the limit: the next push or rest() says so.
      this.drop();
      this.overLimit = true;
    }
    return pieces;
  }

  /**
   * The unfinished event held (an upstream may end its last event without the blank line), and
   * forgets it; 'too-large': it outgrew the limit.
   */
  rest(): Buffer | 'too-large' {
    if (this.overLimit) return 'too-large';
    const rest = this.pendingBytes === 0 ? noBytes : Buffer.concat(this.pending, this.pendingBytes);
    this.drop();
    return rest;
  }

  /** Forgets the unfinished event: a broken stream's last event never reaches the client half-written. */
  drop(): void {
    this.pending = [];
    this.pendingBytes = 0;
    this.tail = noBytes;
  }

  private hold(bytes: Buffer): void {
    this.pending.push(bytes);
    this.pendingBytes += bytes.length;
    this.tail = bytes.length >= 2 ? bytes.subarray(-2) : Buffer.concat([this.tail, bytes]).subarray(-2);
  }

  /** Index in `chunk` just past the last event boundary that ends in it; -1 when none does. */
  private eventsEnd(chunk: Buffer): number {
    const inChunk = this.lastBoundaryEnd(chunk);
    if (inChunk !== -1 || this.tail.length === 0) return inChunk;
    // A boundary cut between the held data and this chunk ends within this chunk's first two bytes.
    const inWindow = this.lastBoundaryEnd(Buffer.concat([this.tail, chunk.subarray(0, 2)]));
    return inWindow > this.tail.length ? inWindow - this.tail.length : -1;
  }

  /**
   * Index just past the last event boundary in `bytes`; -1 when there is none. A search back for
   * the kind of boundary the stream does not use would read the whole chunk (64 KB from a socket)
   * for nothing: the stream's own kind is searched back for, the other only after what it found.
   */
  private lastBoundaryEnd(bytes: Buffer): number {
    // Upstreams flush whole events: most chunks end on a boundary, found without a search.
    const length = bytes.length;
    if (bytes[length - 1] === lineFeed) {
      if (bytes[length - 2] === lineFeed) return length;
      if (bytes[length - 2] === carriageReturn && bytes[length - 3] === lineFeed) return length;
    }
    const [usual, other] = this.carriageReturns ? [carriageReturnEnd, lineFeedEnd] : [lineFeedEnd, carriageReturnEnd];
    const usualAt = bytes.lastIndexOf(usual);
    // The other kind ends later than the usual one only if it starts at or after it: a short search forward.
    let otherAt = usualAt === -1 ? bytes.lastIndexOf(other) : -1;
    if (usualAt !== -1) {
      for (let at = bytes.indexOf(other, usualAt); at !== -1; at = bytes.indexOf(other, at + 1)) otherAt = at;
    }
    const usualEnd = usualAt === -1 ? -1 : usualAt + usual.length;
    const otherEnd = otherAt === -1 ? -1 : otherAt + other.length;
    if (otherEnd > usualEnd) this.carriageReturns = other === carriageReturnEnd;
    return Math.max(usualEnd, otherEnd);
  }
}
