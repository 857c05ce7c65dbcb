import { describe, expect, it } from 'vitest';
import { recordedAnswers, wireFormats } from '../formats/testing/recorded-streams.js';
import { EventFramer } from './event-framer.js';

/** The stream's bytes up to its last event boundary before `end`. */
function wholeEventsBefore(stream: Buffer, end: number): Buffer {
  const text = stream.subarray(0, end).toString('latin1');
  const lineFeed = text.lastIndexOf('\n\n');
  const carriageReturn = text.lastIndexOf('\n\r\n');
  return stream.subarray(
    0,
    Math.max(lineFeed === -1 ? 0 : lineFeed + 2, carriageReturn === -1 ? 0 : carriageReturn + 3),
  );
}

describe('EventFramer', () => {
  it.each(wireFormats)('passes on whole %s events only, wherever the chunks are cut', (format) => {
    const stream = Buffer.from(recordedAnswers[format].stream);
    for (let cut = 0; cut <= stream.length; cut++) {
      const framer = new EventFramer(1 << 20);
      const first = framer.push(stream.subarray(0, cut)).toString();
      expect(first).toBe(wholeEventsBefore(stream, cut).toString());
      const second = framer.push(stream.subarray(cut)).toString();
      expect(first + second).toBe(recordedAnswers[format].stream);
      expect(framer.holding).toBe(0);
    }
  });

  it('finds a boundary cut between single-byte chunks, LF and CRLF alike', () => {
    for (const stream of ['data: a\n\ndata: b\n\n', 'data: a\r\n\r\ndata: b\r\n\r\n']) {
      const framer = new EventFramer(1 << 20);
      const passed: string[] = [];
      for (const byte of Buffer.from(stream)) {
        const whole = framer.push(Buffer.from([byte]));
        if (whole !== 'too-large' && whole.length > 0) passed.push(whole.toString());
      }
      expect(passed).toEqual(
        stream.includes('\r') ? ['data: a\r\n\r\n', 'data: b\r\n\r\n'] : ['data: a\n\n', 'data: b\n\n'],
      );
    }
  });

  it('passes on whole events of a stream that mixes LF and CRLF boundaries, wherever the chunks are cut', () => {
    const stream = Buffer.from(
      'data: a\n\ndata: b\r\n\r\ndata: c\n\n: note\r\n\r\ndata: d\r\n\r\ndata: e\n\ndata: f\n\n'.repeat(3),
    );
    for (let first = 0; first <= stream.length; first++) {
      for (const second of [first, Math.min(stream.length, first + 7), Math.min(stream.length, first + 23)]) {
        const framer = new EventFramer(1 << 20);
        const [one, two, three] = [
          stream.subarray(0, first),
          stream.subarray(first, second),
          stream.subarray(second),
        ].map((chunk) => framer.push(chunk).toString());
        expect(one).toBe(wholeEventsBefore(stream, first).toString());
        expect(`${one}${two}`).toBe(wholeEventsBefore(stream, second).toString());
        expect(`${one}${two}${three}`).toBe(stream.toString());
      }
    }
  });

  it('holds an unfinished event up to the limit, then drops it and says so', () => {
    const framer = new EventFramer(1024);
    expect(framer.push(Buffer.from('data: done\n\ndata: "'))).toEqual(Buffer.from('data: done\n\n'));
    expect(framer.push(Buffer.alloc(1000, 'a'))).toEqual(Buffer.alloc(0));
    expect(framer.holding).toBe(1007);
    expect(framer.push(Buffer.alloc(100, 'a'))).toBe('too-large');
    expect(framer.holding).toBe(0);
  });

  it('passes on the whole events before an unfinished one that arrives already past the limit, then says too large', () => {
    const framer = new EventFramer(1024);
    expect(framer.push(Buffer.from(`data: done\n\ndata: "${'a'.repeat(2000)}`))).toEqual(Buffer.from('data: done\n\n'));
    expect(framer.holding).toBe(0);
    expect(framer.rest()).toBe('too-large');
    expect(framer.push(Buffer.from('"\n\n'))).toBe('too-large');
  });

  it('gives back an unfinished last event when the stream ends cleanly', () => {
    const framer = new EventFramer(1024);
    framer.push(Buffer.from('data: one\n\ndata: two'));
    expect(framer.rest().toString()).toBe('data: two');
    expect(framer.rest()).toEqual(Buffer.alloc(0));
  });
});
