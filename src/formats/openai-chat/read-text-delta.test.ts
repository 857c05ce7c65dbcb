import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderJson as render } from '../../core/json-spellings.js';
import type { StreamEvent } from '../internal.js';
import { ChunkScanner } from './chunk-scanner.js';
import { createChatStreamDecoder } from './decode-stream.js';
import { createTextDeltaReader } from './read-text-delta.js';

/** A Chat chunk as OpenAI streams text (the bench's simulator writes the same envelope). */
function textChunk(content: unknown, obfuscation?: string): Record<string, unknown> {
  return {
    id: 'chatcmpl-1',
    object: 'chat.completion.chunk',
    created: 1_700_000_000,
    model: 'gpt-4o',
    service_tier: 'default',
    system_fingerprint: null,
    choices: [{ index: 0, delta: { content }, logprobs: null, finish_reason: null }],
    usage: null,
    // OpenAI pads each chunk with a random string of random length.
    ...(obfuscation === undefined ? {} : { obfuscation }),
  };
}

const firstChunk = 'data: {"id":"chatcmpl-1","model":"gpt-4o","choices":[{"index":0,"delta":{"role":"assistant"}}]}';

/** Every event a started decoder gives for `chunks`, then its end. */
function decodeAll(chunks: string[], readsTextDeltas: boolean): StreamEvent[][] {
  const decoder = createChatStreamDecoder({ readsTextDeltas });
  const events = [decoder.decode({ event: undefined, data: firstChunk.slice('data: '.length) })];
  for (const data of chunks) events.push(decoder.decode({ event: undefined, data }));
  events.push(decoder.end());
  return events;
}

/** Any UTF-16 text: surrogate pairs, lone surrogates, control characters, quotes and backslashes. */
const anyText = fc.oneof(
  fc.string({ unit: 'binary' }),
  fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((unit) => String.fromCharCode(unit)) }),
  fc.string({
    unit: fc.constantFrom('"', '\\', '\\u0041', '\\n', '/', '\u2028', '\ud83d', '\ude00', '😀', 'é', '\u0000'),
  }),
);
const whitespace = fc.array(fc.constantFrom('', ' ', '\n', '\t', '\r\n', '  '), { minLength: 1, maxLength: 8 });

/** Values of every JSON kind, for fields the fast read must skip or give up on; mostly the scalars it skips. */
const anyValue = fc.oneof(
  { arbitrary: fc.constant(null), weight: 4 },
  { arbitrary: anyText, weight: 3 },
  { arbitrary: fc.integer(), weight: 2 },
  { arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }), weight: 2 },
  fc.boolean(),
  fc.constant({}),
  fc.constant([]),
  fc.constant({ prompt_tokens: 3, completion_tokens: 5, total_tokens: 8 }),
  fc.constant([{ index: 0, id: 'call_1', function: { name: 'f', arguments: '{"a":' } }]),
);
/** Mostly `usual`, sometimes one of `others`. */
const mostly = <T>(usual: T, ...others: T[]) =>
  fc.oneof({ arbitrary: fc.constant(usual), weight: 4 * others.length }, fc.constantFrom(...others));
/** The keys a Chat chunk may carry, and a few of the decoder's own. */
const chunkKeys = [
  'content',
  'role',
  'refusal',
  'reasoning_content',
  'tool_calls',
  'index',
  'delta',
  'finish_reason',
  'logprobs',
  'choices',
  'usage',
  'error',
  'id',
  'model',
  'obfuscation',
];
const keys = fc.constantFrom(...chunkKeys);
const fields: fc.Arbitrary<[string, unknown][]> = fc.oneof(
  { arbitrary: fc.constant<[string, unknown][]>([]), weight: 2 },
  fc.array(fc.tuple(keys, anyValue), { maxLength: 3 }),
);

type Entries = [string, unknown][];

/**
 * Envelopes near the text-delta shape (extra, repeated, missing and mistyped fields at each
 * level), each a function of the content, so that a stream can repeat one around several texts.
 */
const nearTextShape = fc
  .record({
    index: mostly<unknown>(0, 1, -0, '0', null, undefined, 0.0, 1e-7),
    finishReason: mostly<unknown>(null, 'stop', 'length', 'tool_calls', undefined, 0),
    deltaExtra: fields,
    choiceExtra: fields,
    topExtra: fields,
    choiceCount: mostly(1, 0, 2),
    place: fc.nat(),
  })
  .map(({ index, finishReason, deltaExtra, choiceExtra, topExtra, choiceCount, place }) => {
    const insert = (entries: Entries, extra: Entries) => {
      const all = [...entries];
      for (const [offset, entry] of extra.entries()) all.splice((place + offset) % (all.length + 1), 0, entry);
      return all;
    };
    // `deltaTail` and `topTail` come after the content: chunks of one envelope that differ only there.
    return (content: unknown, deltaTail: Entries, topTail: Entries): Entries => {
      const choice = insert(
        [
          ['index', index],
          ['delta', [...insert([['content', content]], deltaExtra), ...deltaTail]],
          ['logprobs', null],
          ['finish_reason', finishReason],
        ],
        choiceExtra,
      ).filter(([, value]) => value !== undefined);
      return [
        ...insert(
          [
            ['id', 'chatcmpl-1'],
            ['choices', Array.from({ length: choiceCount }, () => choice)],
          ],
          topExtra,
        ),
        ...topTail,
      ];
    };
  });

/**
 * Streams of chunks: runs of one envelope around several contents, each run's envelope one of a
 * few (so that a stream returns to an envelope after another changed the decoder's state).
 */
const nearTextStream = fc
  .tuple(
    fc.array(fc.tuple(nearTextShape, whitespace, fc.boolean(), mostly(false, true)), { minLength: 1, maxLength: 3 }),
    fc.array(
      fc.tuple(
        fc.nat(),
        fc.array(fc.tuple(fc.oneof({ arbitrary: anyText, weight: 3 }, anyValue), fields, fields), {
          minLength: 1,
          maxLength: 3,
        }),
      ),
      { minLength: 1, maxLength: 4 },
    ),
  )
  .map(([envelopes, runs]) =>
    runs.flatMap(([pick, contents]) => {
      const [shape, spaces, escapeAll, escapeKeys] = envelopes[pick % envelopes.length]!;
      return contents.map(([content, deltaTail, topTail]) =>
        renderEntries(shape(content, deltaTail, topTail), spaces, escapeAll, escapeKeys),
      );
    }),
  );

/** JSON text of entries (kept in order, repeats and all), whose nested entries are marked as arrays of pairs. */
function renderEntries(entries: Entries, spaces: string[], escapeAll: boolean, escapeKeys: boolean): string {
  const isEntries = (value: unknown): value is Entries =>
    Array.isArray(value) &&
    value.length > 0 &&
    value.every((entry) => Array.isArray(entry) && entry.length === 2 && keysSet.has(entry[0]));
  const write = (value: unknown): string => {
    if (isEntries(value)) {
      const members = value.map(([key, entry]) => `${render(key, spaces, escapeKeys)}:${write(entry)}`);
      return `{${members.join(',')}}`;
    }
    if (Array.isArray(value)) return `[${value.map(write).join(',')}]`;
    return render(value, spaces, escapeAll);
  };
  return write(entries);
}
const keysSet = new Set<unknown>(chunkKeys);

/** The text the scanner reads from a whole chunk, or undefined where it gives up. */
function scanWhole(data: string): string | undefined {
  const scanner = new ChunkScanner();
  scanner.reset(data, 0);
  return scanner.chunk() ? scanner.text : undefined;
}

describe('a Chat text delta read without JSON.parse', () => {
  it('is the text JSON.parse reads, for any texts in one envelope, whitespace and escaping', () => {
    fc.assert(
      fc.property(
        anyText.filter((text) => text !== ''),
        fc.array(anyText, { minLength: 1, maxLength: 5 }),
        whitespace,
        fc.boolean(),
        (first, texts, spaces, escapeAll) => {
          const [learnt, ...data] = [first, ...texts].map((text) => render(textChunk(text), spaces, escapeAll, false));
          const reader = createTextDeltaReader();
          // Learnt with a probe, or (text escaped otherwise than JSON.stringify does) by a whole scan.
          reader.learn(learnt as string, first);
          expect(data.map((chunk) => reader.read(chunk))).toEqual(texts);
          expect(scanWhole(learnt as string)).toBe(first);
          expect(decodeAll([learnt as string, ...data], true)).toEqual(decodeAll([learnt as string, ...data], false));
        },
      ),
      { numRuns: 2_000 },
    );
  });

  it('gives the same events as the full parse for streams of chunks near its shape', () => {
    fc.assert(
      fc.property(nearTextStream, (data) => {
        expect(decodeAll(data, true)).toEqual(decodeAll(data, false));
      }),
      { numRuns: 3_000 },
    );
  });

  it('gives the same events as the full parse when a chunk after the first ones is cut, padded or corrupted', () => {
    const edit = fc.tuple(
      fc.nat(),
      fc.nat({ max: 3 }),
      fc.constantFrom('', '"', '\\', ',', '}', ']', ' ', 'x', '0', '\n', '{"a":1}', '[]'),
    );
    fc.assert(
      fc.property(anyText, anyText, fc.array(edit, { minLength: 1, maxLength: 3 }), (first, text, edits) => {
        let data = JSON.stringify(textChunk(text, 'ccc'));
        for (const [at, removed, inserted] of edits) {
          const place = at % (data.length + 1);
          data = data.slice(0, place) + inserted + data.slice(place + removed);
        }
        // The first teaches an envelope, the second (another obfuscation) has it scanned whole, the last has its rest scanned.
        const chunks = [JSON.stringify(textChunk(first, 'a')), JSON.stringify(textChunk('b', 'bb')), data];
        expect(decodeAll(chunks, true)).toEqual(decodeAll(chunks, false));
      }),
      { numRuns: 3_000 },
    );
  });

  it.each([
    ['a tool call', '{"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{"}}]}}]}'],
    ['reasoning', '{"choices":[{"index":0,"delta":{"reasoning_content":"hm"}}]}'],
    ['a finish reason', '{"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}'],
    ['a usage object', '{"choices":[{"index":0,"delta":{"content":"a"}}],"usage":{"prompt_tokens":1}}'],
    ['an error', '{"error":{"message":"overloaded","type":"server_error"}}'],
    ['a second choice', '{"choices":[{"index":0,"delta":{"content":"a"}},{"index":1,"delta":{"content":"b"}}]}'],
    ['a choice other than the first', '{"choices":[{"index":1,"delta":{"content":"b"}}]}'],
    ['no choices', '{"id":"chatcmpl-1","choices":[]}'],
    ['a key written with escapes', '{"choices":[{"index":0,"delta":{"con\\u0074ent":"a"}}]}'],
    ['a repeated delta', '{"choices":[{"delta":{"content":"a"},"delta":{"content":"b"}}]}'],
    ['repeated choices', '{"choices":[{"index":0,"delta":{"content":"a"}}],"choices":[{"index":0}]}'],
    ['the end of the stream', '[DONE]'],
    ['a truncated chunk', '{"choices":[{"index":0,"delta":{"content":"a'],
    ['a raw control character in the text', '{"choices":[{"index":0,"delta":{"content":"a\tb"}}]}'],
    ['a bad escape', '{"choices":[{"index":0,"delta":{"content":"a\\xb"}}]}'],
    ['a malformed number', '{"created":01,"choices":[{"index":0,"delta":{"content":"a"}}]}'],
    ['text after the object', '{"choices":[{"index":0,"delta":{"content":"a"}}]} x'],
  ])('leaves %s to the full parse', (_name, data) => {
    expect(scanWhole(data)).toBeUndefined();
  });

  it('reads a text delta with a role, a null refusal and unknown scalar fields', () => {
    const data =
      '{"id":"x","obfuscation":"abc","choices":[{"index":0,"delta":{"role":"assistant","content":"Hi \\"you\\"",' +
      '"refusal":null},"logprobs":null,"finish_reason":null}],"usage":null}';
    expect(scanWhole(data)).toBe('Hi "you"');
  });

  it("reads what follows a known envelope's content as it reads a whole chunk", () => {
    const envelope = '{"id":"x","choices":[{"index":0,"delta":{"content":';
    const reader = createTextDeltaReader();
    reader.learn(`${envelope}"a"},"finish_reason":null}],"obfuscation":"q1"}`, 'a');
    // The same rest; a rest that differs only in a scalar (OpenAI's obfuscation), after a whole scan; then scans of the rest.
    expect(reader.read(`${envelope}"b"},"finish_reason":null}],"obfuscation":"q1"}`)).toBe('b');
    expect(reader.read(`${envelope}"c\\n"},"finish_reason":null}],"obfuscation":"zz9"}`)).toBe('c\n');
    expect(reader.read(`${envelope}"c2"},"finish_reason":null}],"obfuscation":"zz10"}`)).toBe('c2');
    // A later `content` wins, as in JSON.parse, also when the rest repeats (it is not kept as the suffix).
    expect(reader.read(`${envelope}"d","content":"e"},"finish_reason":null}]}`)).toBe('e');
    expect(reader.read(`${envelope}"d2","content":"e"},"finish_reason":null}]}`)).toBe('e');
    for (const rest of [
      '"f"},"finish_reason":"stop"}]}',
      '"f"},"finish_reason":null}],"usage":{"prompt_tokens":1}}',
      '"f"},"finish_reason":null},{"index":1}]}',
      '"f","reasoning_content":"hm"}}]}',
      '"f"},"delta":{"content":"g"}}]}',
      '"f"}}],"choices":[]}',
      'null}}]}',
      '"f"}}]',
    ])
      expect(reader.read(envelope + rest)).toBeUndefined();
  });

  it.each([
    ['a finish reason', '{"choices":[{"index":0,"delta":{"content":TEXT},"finish_reason":"stop"}]}'],
    ['a usage object', '{"choices":[{"index":0,"delta":{"content":TEXT}}],"usage":{"prompt_tokens":1}}'],
    ['a second choice', '{"choices":[{"index":0,"delta":{"content":TEXT}},{"index":1,"finish_reason":"stop"}]}'],
    ['an error object', '{"choices":[{"index":0,"delta":{"content":TEXT}}],"error":{"message":"overloaded"}}'],
    ['tool calls', '{"choices":[{"index":0,"delta":{"content":TEXT,"tool_calls":[]}}]}'],
    ['reasoning', '{"choices":[{"index":0,"delta":{"content":TEXT,"reasoning_content":""}}]}'],
  ])('learns no envelope from a text delta with %s, which the full parse reads beside the text', (_name, template) => {
    const reader = createTextDeltaReader();
    reader.learn(template.replace('TEXT', '"a"'), 'a');
    expect(reader.read(template.replace('TEXT', '"b"'))).toBeUndefined();
  });

  it('scans a whole chunk before it reads past the suffix of an envelope learnt from a parse', () => {
    const reader = createTextDeltaReader();
    // JSON.parse keeps the last usage (null); the scanner gives up at the first, an object.
    reader.learn('{"usage":{"prompt_tokens":1},"choices":[{"index":0,"delta":{"content":"a"}}],"usage":null}', 'a');
    expect(reader.read('{"usage":{"prompt_tokens":1},"choices":[{"index":0,"delta":{"content":"b"}}],"x":1}')).toBe(
      undefined,
    );
  });

  it('learns no envelope from a chunk whose text is not where the probe finds it', () => {
    const reader = createTextDeltaReader();
    // The text is also the model's name, written last: the probe replaces the model, not the content.
    const learnt = '{"choices":[{"index":0,"delta":{"content":"hi"}}],"model":"hi"}';
    reader.learn(learnt, 'hi');
    expect(reader.read('{"choices":[{"index":0,"delta":{"content":"hi"}}],"model":"yo"}')).toBeUndefined();
    // Only chunks that start with a learnt envelope are read; others are never scanned.
    expect(reader.read('{"choices":[{"index":0,"delta":{"content":"a"}}]}')).toBeUndefined();
  });

  it('learns an envelope by a whole scan when the text is escaped otherwise than by JSON.stringify', () => {
    const reader = createTextDeltaReader();
    reader.learn('{"choices":[{"index":0,"delta":{"content":"\\u00e9"}}]}', 'é');
    expect(reader.read('{"choices":[{"index":0,"delta":{"content":"\\u00e8"}}]}')).toBe('è');
  });

  it('keeps no network chunk alive: 200 streams hold their envelopes, not the 64 KB their events were cut from', () => {
    setFlagsFromString('--expose-gc');
    const collectGarbage = runInNewContext('gc') as () => void;
    const readers: unknown[] = [];
    const heapUsed = () => {
      collectGarbage();
      return getHeapStatistics().used_heap_size;
    };
    const before = heapUsed();
    for (let stream = 0; stream < 200; stream++) {
      // One decoded chunk of events, and two events sliced out of it, as the SSE parser slices them.
      const events = Array.from(
        { length: 300 },
        (_, at) => `data: ${JSON.stringify(textChunk(`w${stream}.${at}`))}\n\n`,
      );
      const decoded = Buffer.from(events.join('')).toString('utf8');
      const [first, second] = decoded.split('\n\n').map((event) => event.slice('data: '.length));
      const reader = createTextDeltaReader();
      reader.learn(first as string, `w${stream}.0`);
      expect(reader.read(second as string)).toBe(`w${stream}.1`);
      readers.push(reader);
    }
    // Holding each chunk would be 200 x ~70 KB = 14 MB.
    expect(heapUsed() - before).toBeLessThan(4_000_000);
    expect(readers).toHaveLength(200);
  });
});
