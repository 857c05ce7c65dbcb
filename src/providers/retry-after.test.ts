import { describe } from 'vitest';
import { now, resetTable } from './testing/reset-cases.js';

describe('retry-after', () => {
  resetTable({
    'reads delay seconds': { headers: { 'retry-after': '30' }, until: now + 30_000, quota: false },
    'reads an IMF-fixdate HTTP date': {
      headers: { 'retry-after': 'Mon, 23 Nov 2026 10:01:30 GMT' },
      until: now + 90_000,
      quota: false,
    },
    'reads the obsolete RFC 850 date': {
      headers: { 'retry-after': 'Monday, 23-Nov-26 10:01:30 GMT' },
      until: now + 90_000,
      quota: false,
    },
    'reads the asctime date as GMT': {
      headers: { 'retry-after': 'Mon Nov 23 10:01:30 2026' },
      until: now + 90_000,
      quota: false,
    },
    'prefers retry-after-ms': {
      headers: { 'retry-after-ms': '1500', 'retry-after': '2' },
      until: now + 1_500,
      quota: false,
    },
    'ignores a date Date.parse would guess at': {
      headers: { 'retry-after': 'tomorrow 10am' },
      until: undefined,
      quota: false,
    },
    'ignores garbage': { headers: { 'retry-after': 'soon' }, until: undefined, quota: false },
    'reads the first of repeated headers': {
      headers: { 'retry-after': ['12', '99'] },
      until: now + 12_000,
      quota: false,
    },
  });
});
