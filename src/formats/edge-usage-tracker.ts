import { detectBoundary, type RestartableUsageTracker } from './stream-usage-tracker.js';
import type { StreamUsageTracker, Usage } from './types.js';

/**
 * Every format reports usage at the edges of a stream: Anthropic in its first event
 * (message_start) and near its end (message_delta), the others near the end only (the final
 * chunk, response.completed, the last usageMetadata). Searching every byte of a long stream for
 * the usage key cost more than relaying it (a 1,000-event stream is 120 KB); this tracker lets
 * the full tracker see the first `headBytes` and, at the end, only the last `keptEvents` events.
 */
const headBytes = 8 * 1024;
/** Events kept from the end: the usage event is at most the second to last in every format; the rest is margin. */
const keptEvents = 8;
/** Beyond this much retained without `keptEvents` boundaries (a giant event), the full tracker takes over. */
const maximumRetainedBytes = 2 * 1024 * 1024;
/** Chunks are gathered into pieces of at least this size before their boundaries are counted. */
const pieceBytes = 4 * 1024;

/** A retained piece of the stream and how many event boundaries were found in it (from its end). */
interface Piece {
  bytes: Buffer;
  boundaries: number;
  /** Where the oldest boundary counted in it ends (the start of the event after it), or -1. */
  oldestEventStart: number;
}

export function trackUsageAtEdges(full: RestartableUsageTracker): StreamUsageTracker {
  let seen = 0;
  let boundary: Buffer | undefined;
  let head: Buffer[] = [];
  let pieces: Piece[] = [];
  /** Whether retained pieces were dropped or cut, so the tail no longer continues what the full tracker last saw. */
  let cut = false;
  let finished: Usage | undefined;

  /** Counts up to `keptEvents` boundaries in `bytes`, searching back from its end (a few events' worth of bytes). */
  const piece = (bytes: Buffer, separator: Buffer): Piece => {
    let boundaries = 0;
    let oldestEventStart = -1;
    let from = bytes.length;
    while (boundaries < keptEvents && from > 0) {
      const at = bytes.lastIndexOf(separator, from - 1);
      if (at === -1) break;
      boundaries += 1;
      oldestEventStart = at + separator.length;
      from = at;
    }
    return { bytes, boundaries, oldestEventStart };
  };

  let small: Buffer[] = [];
  let smallBytes = 0;
  const takeSmall = (separator: Buffer) => {
    if (smallBytes === 0) return;
    pieces.push(piece(small.length === 1 ? small[0]! : Buffer.concat(small, smallBytes), separator));
    small = [];
    smallBytes = 0;
  };

  let handedOver = false;
  const retainedBytes = () => pieces.reduce((total, current) => total + current.bytes.length, 0);
  /** Gives the full tracker what is retained; from then on it sees every chunk. */
  const handOver = () => {
    if (handedOver) return;
    handedOver = true;
    if (boundary !== undefined) takeSmall(boundary);
    if (cut) full.restart();
    for (const { bytes } of pieces) full.push(bytes);
    pieces = [];
  };

  /** Drops what lies before the `keptEvents`-th boundary from the end. */
  const trim = () => {
    let counted = 0;
    for (let index = pieces.length - 1; index >= 0; index--) {
      const current = pieces[index]!;
      counted += current.boundaries;
      if (counted < keptEvents) continue;
      if (index > 0 || current.oldestEventStart > 0) {
        pieces = pieces.slice(index);
        // A copy, so that the rest of the socket's chunk is not kept alive with it.
        pieces[0] = {
          ...current,
          bytes: Buffer.from(current.bytes.subarray(current.oldestEventStart)),
          oldestEventStart: 0,
        };
        cut = true;
      }
      return;
    }
  };

  return {
    push(chunk: Buffer) {
      if (chunk.length === 0 || finished) return;
      let rest = chunk;
      if (seen < headBytes) {
        const taken = rest.subarray(0, headBytes - seen);
        full.push(taken);
        head.push(taken);
        rest = rest.subarray(taken.length);
        seen += taken.length;
        if (seen >= headBytes) {
          boundary = detectBoundary(Buffer.concat(head));
          head = [];
        }
      } else {
        seen += rest.length;
      }
      if (rest.length === 0) return;
      // No blank line in the first 8 KB: not a stream this shortcut understands; the full tracker sees it all.
      if (boundary === undefined) {
        full.push(rest);
        return;
      }
      if (handedOver) {
        full.push(rest);
        return;
      }
      if (rest.length >= pieceBytes) {
        // A big chunk (64 KB from a socket) is a piece of its own: joined to the small ones before it,
        // it would be copied.
        takeSmall(boundary);
        pieces.push(piece(rest, boundary));
      } else {
        // Small chunks are gathered first, so that the retained pieces stay few and the count cheap.
        small.push(rest);
        smallBytes += rest.length;
        if (smallBytes < pieceBytes) return;
        takeSmall(boundary);
      }
      trim();
      if (retainedBytes() > maximumRetainedBytes) handOver();
    },
    result() {
      if (finished) return { ...finished };
      handOver();
      finished = full.result();
      return { ...finished };
    },
  };
}
