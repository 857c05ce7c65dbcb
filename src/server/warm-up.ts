/**
 * Work a server does once it listens that no request needs at once (loading the Hono app,
 * prom-client, pino): it waits for a short pause, so that the first requests (often a readiness
 * probe polling /health) are not held behind a module being compiled, then runs task by task.
 * Whatever a request needs earlier it starts itself, on demand.
 */
export class WarmUp {
  private queue: Promise<unknown>;
  private release: () => void = () => {};
  private readonly timer: NodeJS.Timeout;

  constructor(pauseMs: number) {
    this.queue = new Promise<void>((resolve) => (this.release = resolve));
    this.timer = setTimeout(() => this.release(), pauseMs);
  }

  /** Runs `task` after the pause and after the tasks added before it; resolves with its result. */
  add<T>(task: () => Promise<T>): Promise<T> {
    const result = this.queue.then(task);
    this.queue = result.catch(() => undefined);
    return result;
  }

  /** Ends the pause now: a server that closes finishes what it started. */
  finish(): Promise<unknown> {
    clearTimeout(this.timer);
    this.release();
    return this.queue;
  }
}
