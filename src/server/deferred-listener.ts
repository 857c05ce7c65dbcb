import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { HttpError } from './http-error.js';

/**
 * A request listener whose code is imported on demand: `start()` begins loading it (the server
 * calls it once it listens), and requests that arrive before it is ready wait for it, in order.
 */
export class DeferredListener {
  private ready: RequestListener | undefined;
  private loading: Promise<RequestListener> | undefined;

  constructor(private readonly load: () => Promise<RequestListener>) {}

  start(): Promise<RequestListener> {
    return (this.loading ??= this.load().then((listener) => (this.ready = listener)));
  }

  readonly listener: RequestListener = (incoming: IncomingMessage, outgoing: ServerResponse) => {
    if (this.ready !== undefined) {
      this.ready(incoming, outgoing);
      return;
    }
    this.start().then(
      (listener) => listener(incoming, outgoing),
      (error: unknown) => {
        const failure = new HttpError(500, 'switchyard hit an internal error; the request was not completed.', 'internal_error', undefined, {}, { cause: error });
        process.emitWarning(`switchyard internal error: could not load the HTTP app (${error instanceof Error ? error.message : String(error)})`);
        outgoing.writeHead(failure.status, { 'content-type': 'application/json' });
        outgoing.end(failure.render());
      },
    );
  };
}
