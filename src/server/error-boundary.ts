import type { ServerResponse } from 'node:http';
import { inspect } from 'node:util';
import type { WireFormat } from '../core/types.js';
import { cutOff, ownErrorAnswer, type WholeAnswer, writeWhole } from '../router/response-writer.js';
import { HttpError } from './http-error.js';

/** Where the boundary reports an unexpected error: the server's warnings (stderr by default). */
export type ErrorReport = (message: string) => void;

const reportToProcess: ErrorReport = (message) => process.emitWarning(`switchyard ${message}`);

/**
 * The one place an error thrown while answering a request ends, for the fast path, the Hono app
 * and the app's loading alike. An HttpError is the answer its thrower meant. Anything else is
 * switchyard's own fault: it is reported whole (message, stack and cause: a production 500 must
 * be diagnosable from the log) and the client gets a 500 in its format, with no internals.
 * Returns the answer; Hono sends it itself (its HEAD handling must see it), the node path writes it.
 */
export function failureAnswer(
  error: unknown,
  format: WireFormat | undefined,
  where: string,
  report: ErrorReport = reportToProcess,
): WholeAnswer {
  if (error instanceof HttpError) return ownErrorAnswer(error.format, error, error.headers);
  report(`internal error on ${where}: ${describeError(error)}`);
  return ownErrorAnswer(format, {
    status: 500,
    message: 'switchyard hit an internal error; the request was not completed.',
    code: 'internal_error',
  });
}

/** The boundary on node's own response: writes the failure's answer, or cuts the connection when bytes were sent. */
export function answerFailure(
  response: ServerResponse,
  error: unknown,
  format: WireFormat | undefined,
  where: string,
  report: ErrorReport = reportToProcess,
): void {
  if (response.headersSent) {
    if (!(error instanceof HttpError))
      report(`internal error on ${where} after the answer began: ${describeError(error)}`);
    cutOff(response);
    return;
  }
  const answer = failureAnswer(error, format, where, report);
  writeWhole(response, answer.status, answer.headers, answer.body);
}

/** Message, stack and the chain of causes, in one report. */
export function describeError(error: unknown): string {
  return inspect(error, { depth: 4, breakLength: Number.POSITIVE_INFINITY });
}
