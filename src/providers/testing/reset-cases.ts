import { expect, it } from 'vitest';
import type { ProviderName } from '../../core/types.js';
import type { HeaderBag } from '../header-bag.js';
import { readResetTime } from '../read-reset-time.js';
import { providerDefinitions } from '../registry.js';

export const now = Date.parse('2026-11-23T10:00:00.000Z');
export const nowSeconds = now / 1000;
export const minute = 60_000;
export const hour = 60 * minute;
export const day = 24 * hour;

/** One failed answer (a 429) and the reset its provider should read from it. */
export interface ResetCase {
  /** The answering provider; anthropic unless the case says otherwise. */
  provider?: ProviderName;
  headers?: HeaderBag;
  /** JSON-encoded unless it is already text (a truncated or non-JSON body). */
  body?: unknown;
  until: number | undefined;
  quota: boolean;
}

function read({ provider = 'anthropic', headers = {}, body }: ResetCase) {
  const text = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
  return readResetTime(providerDefinitions[provider].failureSignals, headers, text, now);
}

/** One test per case: the provider's readers, merged, give exactly the case's reset and quota. */
export function resetTable(cases: Record<string, ResetCase>): void {
  it.each(Object.entries(cases))('%s', (_name, testCase) => {
    expect(read(testCase)).toEqual({ until: testCase.until, quota: testCase.quota });
  });
}
