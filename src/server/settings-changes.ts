import type { Settings } from '../config/settings.js';

/**
 * Settings a running server reads once at start: the socket it listens on, where its state lives,
 * how often it writes statistics and when the refresh sweep looks ahead. Edits to them are noted
 * and used at the next start; every other setting takes effect at once.
 */
const readAtStart = ['server', 'state', 'defaultProfile', 'routing.statsFlushMs', 'routing.refreshAheadSeconds'];

/** The settings an edit of config.yaml changed, as dotted paths (`providers.openai.baseUrl`), never their values. */
export function changedSettings(before: Settings, after: Settings): string[] {
  const changed: string[] = [];
  collect(before, after, '', changed);
  return changed;
}

export function takesEffectAtNextStart(path: string): boolean {
  return readAtStart.some((prefix) => path === prefix || path.startsWith(`${prefix}.`));
}

function collect(before: unknown, after: unknown, path: string, changed: string[]): void {
  if (isPlainObject(before) && isPlainObject(after)) {
    for (const key of new Set([...Object.keys(before), ...Object.keys(after)]))
      collect(before[key], after[key], path === '' ? key : `${path}.${key}`, changed);
    return;
  }
  // Lists (clients, scopes) count as one setting: a change anywhere in them is a change of it.
  if (JSON.stringify(before) !== JSON.stringify(after)) changed.push(path);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
