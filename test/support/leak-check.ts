import { createHook } from 'node:async_hooks';
import { expect, vi } from 'vitest';

/**
 * Where each live timer was made, so that a failed check names the code that left it behind (the
 * process only counts timers by kind). Tracked from the first baseline on.
 */
const timerOrigins = new Map<number, string>();
const timerTracking = createHook({
  init(asyncId, type) {
    if (type !== 'Timeout') return;
    // Node's own frames (async hooks, the timer's constructor) say nothing of who made it.
    const frames = (new Error().stack ?? '').split('\n').slice(1);
    const stack = frames
      .filter((frame) => !frame.includes('(node:internal/'))
      .slice(0, 8)
      .join('\n');
    timerOrigins.set(asyncId, stack);
  },
  destroy(asyncId) {
    timerOrigins.delete(asyncId);
  },
});

/** The kinds of handle a request could leave behind: timers and TCP sockets or servers. */
const watchedResources = ['Timeout', 'TCPSocketWrap', 'TCPServerWrap'] as const;

export type ResourceCounts = Record<(typeof watchedResources)[number], number>;

/** How many timers, sockets and servers the process holds open now. */
export function openResources(): ResourceCounts {
  timerTracking.enable();
  const counts: ResourceCounts = { Timeout: 0, TCPSocketWrap: 0, TCPServerWrap: 0 };
  for (const name of process.getActiveResourcesInfo()) {
    if ((watchedResources as readonly string[]).includes(name)) counts[name as keyof ResourceCounts] += 1;
  }
  return counts;
}

/**
 * Waits until the process holds no more timers, sockets and servers than it did at `baseline`
 * (closing takes a few ticks), and fails naming what was left behind otherwise. The wait is long
 * (15 s): a one-shot timer a closing server still runs is no leak, and on a loaded CI machine two
 * such timers outlived a 5 s wait once (test/faults-endless-answers.test.ts); a leak never clears.
 */
export async function expectNothingLeftBehind(baseline: ResourceCounts): Promise<void> {
  try {
    await vi.waitFor(
      () => {
        const now = openResources();
        for (const name of watchedResources)
          expect({ [name]: now[name] }).toEqual({ [name]: Math.min(now[name], baseline[name]) });
      },
      { timeout: 15_000, interval: 20 },
    );
  } catch (error) {
    const origins = [...timerOrigins.values()].join('\n--\n');
    throw new Error(`${error instanceof Error ? error.message : String(error)}\nlive timers made at:\n${origins}`, {
      cause: error,
    });
  }
}
