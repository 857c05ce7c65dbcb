/** What ends an event in LF and in CRLF streams: a line feed, then a blank line's end. */
const lineFeedEnd = Buffer.from('\n\n');
const carriageReturnEnd = Buffer.from('\n\r\n');
const noBytes = Buffer.alloc(0);
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
    const end = this.eventsEnd(chunk);
    if (end === -1) {
      if (this.pendingBytes + chunk.length > this.limit) {
        this.drop();
        return 'too-large';
      }
      this.hold(chunk);
      return noBytes;
    }
    const whole =
      this.pendingBytes === 0
        ? chunk.subarray(0, end)
        : Buffer.concat([...this.pending, chunk.subarray(0, end)], this.pendingBytes + end);
    this.drop();
    if (end < chunk.length) this.hold(chunk.subarray(end));
    return whole;
  }

  /** The unfinished event held (an upstream may end its last event without the blank line), and forgets it. */
  rest(): Buffer {
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
    const inChunk = lastBoundaryEnd(chunk);
    if (inChunk !== -1 || this.tail.length === 0) return inChunk;
    // A boundary cut between the held data and this chunk ends within this chunk's first two bytes.
    const inWindow = lastBoundaryEnd(Buffer.concat([this.tail, chunk.subarray(0, 2)]));
    return inWindow > this.tail.length ? inWindow - this.tail.length : -1;
  }
}

/** Index just past the last event boundary in `bytes`; -1 when there is none. */
function lastBoundaryEnd(bytes: Buffer): number {
  // Upstreams flush whole events: most chunks end on a boundary, found without a search.
  const length = bytes.length;
  if (bytes[length - 1] === lineFeed) {
    if (bytes[length - 2] === lineFeed) return length;
    if (bytes[length - 2] === carriageReturn && bytes[length - 3] === lineFeed) return length;
  }
  const lineFeedAt = bytes.lastIndexOf(lineFeedEnd);
  const carriageReturnAt = bytes.lastIndexOf(carriageReturnEnd);
  return Math.max(lineFeedAt === -1 ? -1 : lineFeedAt + 2, carriageReturnAt === -1 ? -1 : carriageReturnAt + 3);
}
