import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { answerFailure, type ErrorReport } from './error-boundary.js';

/**
 * A request listener whose code is imported on demand: `start()` begins loading it (the server
 * calls it once it listens), and requests that arrive before it is ready wait for it, in order.
 */
export class DeferredListener {
  private ready: RequestListener | undefined;
  private loading: Promise<RequestListener> | undefined;

  constructor(
    private readonly load: () => Promise<RequestListener>,
    private readonly report?: ErrorReport,
  ) {}

  start(): Promise<RequestListener> {
    this.loading ??= this.load().then((listener) => {
      this.ready = listener;
      return listener;
    });
    return this.loading;
  }

  readonly listener: RequestListener = (incoming: IncomingMessage, outgoing: ServerResponse) => {
    if (this.ready !== undefined) {
      this.ready(incoming, outgoing);
      return;
    }
    this.start().then(
      (listener) => listener(incoming, outgoing),
      (error: unknown) =>
        answerFailure(
          outgoing,
          error,
          undefined,
          `loading the HTTP app for ${incoming.method} ${incoming.url}`,
          this.report,
        ),
    );
  };
}
