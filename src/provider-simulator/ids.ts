import { randomBytes } from 'node:crypto';

// A random prefix per process and a counter: unique ids without per-request randomness.
const processPrefix = randomBytes(6).toString('hex');
let counter = 0;

/** A short unique id (formats add `msg_`, `chatcmpl-`, `resp_`...). */
export function nextId(): string {
  counter += 1;
  return `sim${processPrefix}${counter.toString(36)}`;
}

/** An opaque secret such as a token or key, recognisable by its prefix. */
export function newSecret(prefix: string): string {
  return `${prefix}${randomBytes(18).toString('base64url')}`;
}
