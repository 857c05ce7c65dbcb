import { expect, vi } from 'vitest';

/** The kinds of handle a request could leave behind: timers and TCP sockets or servers. */
const watchedResources = ['Timeout', 'TCPSocketWrap', 'TCPServerWrap'] as const;

export type ResourceCounts = Record<(typeof watchedResources)[number], number>;

/** How many timers, sockets and servers the process holds open now. */
export function openResources(): ResourceCounts {
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
  await vi.waitFor(
    () => {
      const now = openResources();
      for (const name of watchedResources)
        expect({ [name]: now[name] }).toEqual({ [name]: Math.min(now[name], baseline[name]) });
    },
    { timeout: 15_000, interval: 20 },
  );
}
