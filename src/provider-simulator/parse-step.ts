import type { FaultPoint, RateLimitStyle, Step } from './types.js';

const rateLimitStyles = new Set<string>([
  'anthropic-unified',
  'anthropic-throttle',
  'openai',
  'codex',
  'codex-body',
  'gemini',
  'retry-after-seconds',
  'retry-after-date',
  'retry-after-ms',
  'none',
]);
const serverErrorStatuses = new Set([500, 502, 503, 529]);

function number(fields: Record<string, unknown>, name: string, required: boolean): number | undefined {
  const value = fields[name];
  if (value === undefined && !required) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new TypeError(`Expected \`${name}\` to be a non-negative number`);
  }
  return value;
}

function faultPoint(fields: Record<string, unknown>, allowed: readonly FaultPoint[]): FaultPoint {
  const at = fields.at;
  if (typeof at !== 'string' || !(allowed as readonly string[]).includes(at))
    throw new TypeError(`Expected \`at\` to be one of ${allowed.join(', ')}`);
  return at as FaultPoint;
}

/** Extra answer headers: names and values that are strings. */
function headerMap(value: unknown): Record<string, string> | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new TypeError('Expected `headers` to be an object of strings');
  for (const entry of Object.values(value))
    if (typeof entry !== 'string') throw new TypeError('Expected `headers` to be an object of strings');
  return value as Record<string, string>;
}

/** Builds an object without the fields that are undefined (exactOptionalPropertyTypes). */
function defined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as T;
}

/** Checks a step received over the control API; throws a TypeError that says what is wrong. */
export function parseStep(value: unknown): Step {
  if (typeof value !== 'object' || value === null) throw new TypeError('Expected a step object with a `kind`');
  const fields = value as Record<string, unknown>;
  switch (fields.kind) {
    case 'ok':
      return defined({
        kind: 'ok',
        delayMs: number(fields, 'delayMs', false),
        streamEvents: number(fields, 'streamEvents', false),
        holdOpenMs: number(fields, 'holdOpenMs', false),
        headers: headerMap(fields.headers),
      }) as Step;
    case 'rate-limit': {
      const style = fields.style;
      if (typeof style !== 'string' || !rateLimitStyles.has(style)) {
        throw new TypeError(`Expected \`style\` to be one of ${[...rateLimitStyles].join(', ')}`);
      }
      const quota = fields.quota;
      if (quota !== undefined && typeof quota !== 'boolean') throw new TypeError('Expected `quota` to be a boolean');
      return defined({
        kind: 'rate-limit',
        style: style as RateLimitStyle,
        resetSeconds: number(fields, 'resetSeconds', true) as number,
        quota,
        headers: headerMap(fields.headers),
      }) as Step;
    }
    case 'payment':
      return { kind: 'payment' };
    case 'unauthorized':
      return { kind: 'unauthorized' };
    case 'server-error': {
      const status = fields.status;
      if (status === undefined) return { kind: 'server-error' };
      if (typeof status !== 'number' || !serverErrorStatuses.has(status)) {
        throw new TypeError('Expected `status` to be 500, 502, 503 or 529');
      }
      return { kind: 'server-error', status: status as 500 | 502 | 503 | 529 };
    }
    case 'slow':
      return { kind: 'slow', delayMs: number(fields, 'delayMs', true) as number };
    case 'stream-cut':
      if (fields.atByte !== undefined) return { kind: 'stream-cut', atByte: number(fields, 'atByte', true) as number };
      return { kind: 'stream-cut', afterEvents: number(fields, 'afterEvents', true) as number };
    case 'stream-error': {
      const errorType = fields.errorType;
      if (errorType !== undefined && typeof errorType !== 'string') {
        throw new TypeError('Expected `errorType` to be a string');
      }
      return errorType === undefined ? { kind: 'stream-error' } : { kind: 'stream-error', errorType };
    }
    case 'reset':
      return { kind: 'reset', at: faultPoint(fields, ['connect', 'headers', 'body']) };
    case 'stall':
      return { kind: 'stall', at: faultPoint(fields, ['headers', 'body']) as Exclude<FaultPoint, 'connect'> };
    case 'malformed':
      return { kind: 'malformed' };
    case 'endless':
      return defined({ kind: 'endless', afterEvents: number(fields, 'afterEvents', false) }) as Step;
    case 'tool-call': {
      const name = fields.name;
      if (name !== undefined && (typeof name !== 'string' || name === ''))
        throw new TypeError('Expected `name` to be a tool name');
      const toolArguments = fields.arguments;
      if (
        toolArguments !== undefined &&
        (typeof toolArguments !== 'object' || toolArguments === null || Array.isArray(toolArguments))
      ) {
        throw new TypeError('Expected `arguments` to be an object');
      }
      return defined({
        kind: 'tool-call',
        name,
        arguments: toolArguments as Record<string, unknown> | undefined,
      }) as Step;
    }
    default:
      throw new TypeError(
        'Expected `kind` to be one of ok, rate-limit, payment, unauthorized, ' +
          'server-error, slow, stream-cut, stream-error, tool-call, reset, stall, ' +
          'malformed, endless',
      );
  }
}
