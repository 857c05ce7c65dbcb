import type { UsageWindowsOptions } from './types.js';

const styles: readonly UsageWindowsOptions['style'][] = ['anthropic', 'codex', 'openai'];

function positiveNumber(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0)
    throw new TypeError(`Expected \`${field}\` to be a positive number`);
  return value;
}

function optionalCount(value: unknown, field: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0)
    throw new TypeError(`Expected \`${field}\` to be a number of 0 or more`);
  return value;
}

/** A control API body's usage windows (`POST /__sim/usage-windows`), checked field by field. */
export function parseUsageWindows(body: Record<string, unknown>): UsageWindowsOptions {
  const { style, windows, cost } = body;
  if (typeof style !== 'string' || !styles.includes(style as UsageWindowsOptions['style']))
    throw new TypeError(`Expected \`style\` to be one of ${styles.join(', ')}`);
  if (!Array.isArray(windows) || windows.length === 0)
    throw new TypeError('Expected `windows` to be a non-empty array of windows (or null to stop metering)');
  return {
    style: style as UsageWindowsOptions['style'],
    windows: windows.map((window: unknown, index) => {
      if (typeof window !== 'object' || window === null || Array.isArray(window))
        throw new TypeError(`Expected \`windows[${index}]\` to be an object`);
      const fields = window as Record<string, unknown>;
      const family = fields.family;
      if (family !== undefined && (typeof family !== 'string' || !/^[a-z0-9_-]+$/.test(family)))
        throw new TypeError(`Expected \`windows[${index}].family\` to be a model family such as "opus"`);
      const used = optionalCount(fields.used, `windows[${index}].used`);
      const resetInSeconds = optionalCount(fields.resetInSeconds, `windows[${index}].resetInSeconds`);
      return {
        seconds: positiveNumber(fields.seconds, `windows[${index}].seconds`),
        capacity: positiveNumber(fields.capacity, `windows[${index}].capacity`),
        ...(family === undefined ? {} : { family }),
        ...(used === undefined ? {} : { used }),
        ...(resetInSeconds === undefined ? {} : { resetInSeconds }),
      };
    }),
    ...(cost === undefined ? {} : { cost: positiveNumber(cost, 'cost') }),
  };
}
