import { KeySearch } from './key-search.js';
import { eventJson, parseEvents } from './server-sent-events.js';
import { emptyUsage, type StreamUsageSource, type StreamUsageTracker, type Usage } from './types.js';

const lineFeedBoundary = Buffer.from('\n\n');
const carriageReturnBoundary = Buffer.from('\r\n\r\n');
/** Longest unfinished event kept; anything longer is dropped (no usage event comes near it). */
const maximumPendingBytes = 1 << 20;

/** The last `count` bytes of a list of buffers. */
function tailOf(parts: Buffer[], count: number): Buffer {
  const pieces: Buffer[] = [];
  let needed = count;
  for (let index = parts.length - 1; index >= 0 && needed > 0; index--) {
    const part = parts[index]!;
    const piece = part.subarray(Math.max(0, part.length - needed));
    pieces.unshift(piece);
    needed -= piece.length;
  }
  return Buffer.concat(pieces);
}

/** The blank line a stream uses, from its first one: LF (most providers) or CRLF (Google). */
export function detectBoundary(bytes: Buffer): Buffer | undefined {
  const lineFeed = bytes.indexOf(lineFeedBoundary);
  const carriageReturn = bytes.indexOf(carriageReturnBoundary);
  if (lineFeed === -1) return carriageReturn === -1 ? undefined : carriageReturnBoundary;
  if (carriageReturn === -1) return lineFeedBoundary;
  return carriageReturn < lineFeed ? carriageReturnBoundary : lineFeedBoundary;
}

/** Unfinished data kept without looking for event boundaries before it is trimmed. */
const trimAfterBytes = 64 * 1024;
const noBytes = Buffer.alloc(0);
const space = 0x20;
const tab = 0x09;
const colon = 0x3a;
const openBrace = 0x7b;

/**
 * Whether the key ending at `from` is followed by `:` and an object. Inside JSON strings quotes
 * are escaped, so an unescaped `"usage":` is always a key; `"usage":null` chunks are skipped.
 */
function opensObject(bytes: Buffer, from: number): boolean {
  let index = from;
  while (bytes[index] === space || bytes[index] === tab) index++;
  if (bytes[index] !== colon) return false;
  index++;
  while (bytes[index] === space || bytes[index] === tab) index++;
  return bytes[index] === openBrace;
}

/** Whether `key` starts at the end of `previous` and ends at the start of `next`. */
function straddles(previous: Buffer, next: Buffer, key: Buffer): boolean {
  for (let head = 1; head < key.length; head++) {
    if (previous.length < head || next.length < key.length - head) continue;
    let matches = true;
    for (let index = 0; index < key.length && matches; index++) {
      matches = (index < head ? previous[previous.length - head + index] : next[index - head]) === key[index];
    }
    if (matches) return true;
  }
  return false;
}

/**
 * Internal: keeps the usage a stream reports while touching as little of it as possible. Event
 * boundaries and the usage key are found with native byte searches; only events that carry usage
 * are decoded and parsed, and where each repeats the running totals only the latest one is, once.
 * Most chunks carry no usage: for those one search for the key is all the work (no boundary
 * search, no copy), and the unfinished data is trimmed at a boundary only every 64 KB.
 */
/** A tracker that can drop an unfinished event, to be fed again from the start of a later one. */
export interface RestartableUsageTracker extends StreamUsageTracker {
  /** Forgets the unfinished data; the next push starts at an event boundary. Usage found so far stays. */
  restart(): void;
}

export function trackStreamUsage(source: StreamUsageSource): RestartableUsageTracker {
  const key = new KeySearch(source.key);
  const usage: Usage = emptyUsage();
  let boundary: Buffer | undefined;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let latest: Buffer | undefined;
  /** The stream's latest bytes (at least the key's length less one), to see a key cut between chunks. */
  let recent: Buffer = noBytes;
  /** Whether the unfinished data holds the key (a usage event still arriving). */
  let pendingHasKey = false;

  const applyEvents = (bytes: Buffer, into: Usage) => {
    for (const event of parseEvents(bytes.toString('utf8'))) {
      const json = eventJson(event);
      if (json) source.apply(json, into);
    }
  };

  /** Start and end of the whole event around a key found at `at`. */
  const eventAround = (bytes: Buffer, at: number, separator: Buffer): [number, number] => {
    const previous = bytes.lastIndexOf(separator, at);
    const next = bytes.indexOf(separator, at);
    return [previous === -1 ? 0 : previous + separator.length, next === -1 ? bytes.length : next + separator.length];
  };

  const scan = (complete: Buffer, separator: Buffer) => {
    if (source.latestOnly) {
      let at = key.lastIndexOf(complete);
      while (at !== -1 && !opensObject(complete, at + key.length))
        at = at === 0 ? -1 : key.lastIndexOf(complete, at - 1);
      // A copy, so that the chunk it came from is not kept alive until the stream ends.
      if (at !== -1) latest = Buffer.from(complete.subarray(...eventAround(complete, at, separator)));
      return;
    }
    let at = key.indexOf(complete);
    while (at !== -1) {
      if (opensObject(complete, at + key.length)) {
        const [start, end] = eventAround(complete, at, separator);
        applyEvents(complete.subarray(start, end), usage);
        at = key.indexOf(complete, end);
      } else {
        at = key.indexOf(complete, at + key.length);
      }
    }
  };

  const hold = (chunk: Buffer) => {
    if (pendingBytes + chunk.length > maximumPendingBytes) {
      pending = [];
      pendingBytes = 0;
      pendingHasKey = false;
      return;
    }
    pending.push(chunk);
    pendingBytes += chunk.length;
  };

  return {
    push(chunk: Buffer) {
      if (chunk.length === 0) return;
      const carriesKey = key.isIn(chunk) || straddles(recent, chunk, key.key);
      // Tiny chunks are joined, so that a key cut across several of them is still seen.
      recent = chunk.length >= key.length - 1 ? chunk : Buffer.concat([recent, chunk]).subarray(-(key.length - 1));
      if (carriesKey) pendingHasKey = true;
      if (boundary !== undefined && !pendingHasKey) {
        // No usage in play: what precedes the chunk's last boundary is complete and can go.
        if (pendingBytes + chunk.length <= trimAfterBytes) {
          pending.push(chunk);
          pendingBytes += chunk.length;
          return;
        }
        const at = chunk.lastIndexOf(boundary);
        if (at === -1) return hold(chunk);
        const rest = chunk.subarray(at + boundary.length);
        pending = rest.length > 0 ? [rest] : [];
        pendingBytes = rest.length;
        return;
      }
      // A boundary may straddle the previous chunk: look at its last few bytes too.
      const tail = pendingBytes === 0 ? noBytes : tailOf(pending, carriageReturnBoundary.length - 1);
      if (boundary === undefined) {
        boundary = detectBoundary(tail.length === 0 ? chunk : Buffer.concat([tail, chunk]));
        if (boundary === undefined) return hold(chunk);
      }
      let end = -1;
      const inChunk = chunk.lastIndexOf(boundary);
      if (inChunk !== -1) {
        end = pendingBytes + inChunk + boundary.length;
      } else if (tail.length > 0) {
        const window = Buffer.concat([tail, chunk.subarray(0, boundary.length - 1)]);
        const inWindow = window.lastIndexOf(boundary);
        if (inWindow !== -1) end = pendingBytes - tail.length + inWindow + boundary.length;
      }
      if (end === -1) return hold(chunk);
      const joined = pendingBytes === 0 ? chunk : Buffer.concat([...pending, chunk], pendingBytes + chunk.length);
      scan(joined.subarray(0, end), boundary);
      const rest = joined.subarray(end);
      pending = rest.length > 0 ? [rest] : [];
      pendingBytes = rest.length;
      pendingHasKey = key.isIn(rest);
    },
    restart() {
      pending = [];
      pendingBytes = 0;
      pendingHasKey = false;
      recent = noBytes;
    },
    result() {
      if (latest !== undefined) {
        applyEvents(latest, usage);
        latest = undefined;
      }
      const total = { ...usage };
      // A stream may end without the blank line after its last event; that event still counts.
      if (pendingBytes > 0) {
        const rest = Buffer.concat(pending, pendingBytes);
        if (key.isIn(rest)) applyEvents(rest, total);
      }
      return total;
    },
  };
}
