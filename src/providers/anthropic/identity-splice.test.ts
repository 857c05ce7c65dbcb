import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderJson as render } from '../../core/json-spellings.js';
import { input, registry } from '../testing/request-input.js';
import { claudeCodeIdentity, withClaudeCodeIdentity } from './claude-code-identity.js';
import { spliceClaudeCodeIdentity, topLevelValue } from './identity-splice.js';

const identityBlock = { type: 'text', text: claudeCodeIdentity };

const whitespace = fc.array(fc.constantFrom('', ' ', '\n', '\t', '\r\n', '  '), { minLength: 1, maxLength: 8 });
const tricky = fc.oneof(
  fc.string({ unit: 'grapheme' }),
  fc.constantFrom(
    '"system"',
    'system',
    '\\"system\\":',
    '{"system":[',
    '\\',
    '"',
    'é ✓ 😀',
    '\u2028',
    claudeCodeIdentity,
  ),
);
/** Values that put a "system" key (and quotes, brackets, backslashes) where only the top level must not look. */
const nested = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    tricky,
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(fc.oneof(fc.constant('system'), fc.string()), tie('value'), { maxKeys: 3 }),
  ),
})).value;
const systemShape = fc.oneof(
  fc.constant(undefined),
  fc.constant(null),
  fc.constant(''),
  fc.constant(claudeCodeIdentity),
  tricky,
  fc.array(
    fc.oneof(
      fc.record({ type: fc.constant('text'), text: tricky }),
      fc.record({ type: fc.constant('text'), text: tricky, cache_control: fc.constant({ type: 'ephemeral' }) }),
      fc.constant(identityBlock),
      nested,
    ),
    { maxLength: 3 },
  ),
  fc.integer(),
  fc.dictionary(fc.string(), nested, { maxKeys: 2 }),
);
const requestBody = fc
  .tuple(
    fc.dictionary(
      fc.string().filter((key) => key !== 'system'),
      nested,
      { maxKeys: 5 },
    ),
    systemShape,
    fc.nat(),
  )
  .map(([rest, system, place]) => {
    if (system === undefined) return rest;
    const entries = Object.entries(rest);
    entries.splice(place % (entries.length + 1), 0, ['system', system]);
    return Object.fromEntries(entries);
  });

describe('the Claude Code identity spliced into the client JSON text', () => {
  it('gives the same request as parse and serialise, for any body, whitespace and escaping', () => {
    fc.assert(
      fc.property(requestBody, whitespace, fc.boolean(), (body, spaces, escapeAll) => {
        const text = render(body, spaces, escapeAll);
        const parsed = JSON.parse(text) as Record<string, unknown>;
        const spliced = spliceClaudeCodeIdentity(parsed, text);
        // Keys are never repeated here: no body needs the fallback.
        expect(spliced).toBeDefined();
        expect(JSON.parse(spliced as string)).toEqual(withClaudeCodeIdentity(parsed));
        // The client's bytes are kept: what was not `system` is unchanged text.
        if (withClaudeCodeIdentity(parsed) === parsed) expect(spliced).toBe(text);
      }),
      { numRuns: 1_000 },
    );
  });

  it('finds only the top-level key, never one nested in messages, tools or strings', () => {
    const text =
      '{"messages":[{"role":"user","content":[{"type":"tool_result","content":"{\\"system\\":\\"no\\"}"}]},' +
      '{"system":"nested"}],"tools":[{"input_schema":{"properties":{"system":{"type":"string"}}}}],' +
      '"note":"a \\\\\\"system\\\\\\": trap","system" : "Be brief."}';
    const value = topLevelValue(text, 'system');
    expect(value).toBeDefined();
    expect(text.slice(value?.start, value?.end)).toBe('"Be brief."');
    const parsed = JSON.parse(text) as Record<string, unknown>;
    const spliced = JSON.parse(spliceClaudeCodeIdentity(parsed, text) as string);
    expect(spliced.system).toEqual([identityBlock, { type: 'text', text: 'Be brief.' }]);
    expect(spliced.messages).toEqual(parsed.messages);
    expect(spliced.tools).toEqual(parsed.tools);
  });

  it('reads an escaped top-level key as JSON.parse does', () => {
    const text = '{"sys\\u0074em":"Be brief.","messages":[]}';
    const parsed = JSON.parse(text) as Record<string, unknown>;
    expect(JSON.parse(spliceClaudeCodeIdentity(parsed, text) as string)).toEqual({
      system: [identityBlock, { type: 'text', text: 'Be brief.' }],
      messages: [],
    });
  });

  it('leaves a repeated top-level key to parse and serialise, which JSON.parse reads as the last', () => {
    const repeated = [
      '{"system":"first","system":"Be brief."}',
      '{"system":"first","messages":[{"content":"\\u00e9"}],"sys\\u0074em":"Be brief."}',
    ];
    for (const text of repeated) {
      const parsed = JSON.parse(text) as Record<string, unknown>;
      expect(spliceClaudeCodeIdentity(parsed, text)).toBeUndefined();
      const request = registry.anthropic.definition.buildRequest(
        input({ credential: { kind: 'oauth', accessToken: 't' }, body: parsed, rawBody: text }),
      );
      expect(JSON.parse(request.body).system).toEqual([identityBlock, { type: 'text', text: 'Be brief.' }]);
    }
  });

  it("sends an OAuth request without a system prompt as the client's bytes with the identity block inserted", () => {
    const text = '{"model":"claude-sonnet-4-6","max_tokens":64,"messages":[{"role":"user","content":"Hello"}]}';
    const parsed = JSON.parse(text) as Record<string, unknown>;
    const request = registry.anthropic.definition.buildRequest(
      input({ credential: { kind: 'oauth', accessToken: 't' }, body: parsed, rawBody: text }),
    );
    expect(request.body).toBe(`{"system":[${JSON.stringify(identityBlock)}],${text.slice(1)}`);
  });

  it('keeps a cache_control block after the identity block, which gets none', () => {
    const text = '{"system":[{"type":"text","text":"Rules.","cache_control":{"type":"ephemeral"}}],"messages":[]}';
    const parsed = JSON.parse(text) as Record<string, unknown>;
    expect(JSON.parse(spliceClaudeCodeIdentity(parsed, text) as string).system).toEqual([
      identityBlock,
      { type: 'text', text: 'Rules.', cache_control: { type: 'ephemeral' } },
    ]);
  });
});
