import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { decryptTokenJson, encryptTokenJson } from '../auth/token-encryption.js';
import type { TokenKeySetting } from '../auth/token-key.js';
import { readJsonOrNull, writePrivateFile } from '../config/secure-files.js';
import type { ProxyRequest } from '../router/proxy-request.js';
import { redactCredentials, redactHeaders } from './credential-redaction.js';

/** One captured body: at most the configured bytes, credentials redacted. */
export interface CapturedBody {
  text: string;
  /** The body's whole size in bytes, as sent. */
  bytes: number;
  /** Whether `text` stops short of the whole body. */
  truncated: boolean;
}

/** What `/dashboard/data/requests/{id}/bodies` shows of one request. */
export interface CapturedExchange {
  id: number;
  request: CapturedBody & { headers: Record<string, string> };
  response: CapturedBody;
}

/** Extra bytes kept past the bound before redaction, so a secret cut at the bound is still found whole. */
const redactionMargin = 4_096;
const fileName = /^\d+\.json$/;

/** Collects up to `limit` bytes of what is written to a response, and counts the rest. */
class ResponseCollector {
  readonly parts: Buffer[] = [];
  kept = 0;
  total = 0;

  /**
   * `request`: the request's kept part and its whole length, taken when the head is written,
   * because the router lets go of the request's body right after (releaseBody).
   */
  constructor(
    private readonly limit: number,
    readonly request: { part: Buffer; total: number },
  ) {}

  add(chunk: unknown, encoding: unknown): void {
    if (typeof chunk !== 'string' && !(chunk instanceof Uint8Array)) return;
    const bytes =
      typeof chunk === 'string'
        ? Buffer.from(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8')
        : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    this.total += bytes.length;
    if (this.kept >= this.limit) return;
    const piece = Buffer.from(bytes.subarray(0, this.limit - this.kept));
    this.parts.push(piece);
    this.kept += piece.length;
  }
}

/**
 * Off by default (`dashboard.captureBodies`): the bodies of the requests in the request log, each
 * kept to `limitBytes`, credentials redacted, encrypted with SWITCHYARD_TOKEN_KEY in one file per
 * request under SWITCHYARD_HOME/request-bodies (0600), deleted when the request leaves the log and
 * at each start (the log itself lives in memory). Written off the request path.
 */
export class BodyCapture {
  // Keyed by the response: the router may hand observers copies of the request, never of its response.
  private readonly responses = new WeakMap<ProxyRequest['response'], ResponseCollector>();
  private readonly writes = new Map<number, Promise<void>>();

  private constructor(
    private readonly directory: string,
    private readonly key: Extract<TokenKeySetting, { kind: 'key' }>,
    readonly limitBytes: number,
    private readonly secrets: () => Promise<string[]>,
    private readonly onError: (message: string) => void,
  ) {}

  /** A capture into `directory`, emptied of an earlier run's files first. */
  static async open(options: {
    directory: string;
    key: Extract<TokenKeySetting, { kind: 'key' }>;
    limitBytes: number;
    secrets: () => Promise<string[]>;
    onError: (message: string) => void;
  }): Promise<BodyCapture> {
    const names = await readdir(options.directory).catch(() => [] as string[]);
    for (const name of names.filter((candidate) => fileName.test(candidate)))
      await rm(join(options.directory, name), { force: true });
    return new BodyCapture(options.directory, options.key, options.limitBytes, options.secrets, options.onError);
  }

  /** From the response head on, copies what the client is sent (up to the bound, plus the margin). */
  watch(request: ProxyRequest): void {
    const response = request.response;
    const collector = new ResponseCollector(this.limitBytes + redactionMargin, this.requestPart(request));
    this.responses.set(response, collector);
    const write = response.write;
    const end = response.end;
    response.write = function (this: typeof response, chunk: unknown, ...rest: unknown[]) {
      collector.add(chunk, rest[0]);
      return (write as (...parameters: unknown[]) => boolean).call(this, chunk, ...rest);
    } as typeof response.write;
    response.end = function (this: typeof response, chunk?: unknown, ...rest: unknown[]) {
      if (typeof chunk !== 'function') collector.add(chunk, rest[0]);
      return (end as (...parameters: unknown[]) => typeof response).call(this, chunk, ...rest);
    } as typeof response.end;
  }

  /** The request body's first bytes (up to the bound, plus the margin), copied, and its whole length. */
  private requestPart(request: ProxyRequest): { part: Buffer; total: number } {
    const bytes = Buffer.from(request.rawBody);
    return { part: Buffer.from(bytes.subarray(0, this.limitBytes + redactionMargin)), total: bytes.length };
  }

  /** Saves the request's bodies as entry `id` of the request log (encrypted, in the background). */
  keep(id: number, request: ProxyRequest): void {
    const collector = this.responses.get(request.response);
    this.responses.delete(request.response);
    // A request answered without a head of the router's (refused, nothing left) still has its body.
    const { part: requestPart, total: requestTotal } = collector?.request ?? this.requestPart(request);
    const headers = { ...request.headers };
    const responsePart = collector === undefined ? Buffer.alloc(0) : Buffer.concat(collector.parts);
    const responseTotal = collector?.total ?? 0;
    const saving = this.secrets()
      .then((secrets) => {
        const exchange: CapturedExchange = {
          id,
          request: {
            ...this.bounded(requestPart, requestTotal, secrets),
            headers: redactHeaders(headers, secrets),
          },
          response: this.bounded(responsePart, responseTotal, secrets),
        };
        return writePrivateFile(this.pathOf(id), JSON.stringify(encryptTokenJson(exchange, this.key.key)));
      })
      .catch((error: unknown) => this.onError(`cannot keep the bodies of request ${id}: ${String(error)}`));
    this.writes.set(id, saving);
  }

  /** Whether entry `id` has bodies kept. */
  has(id: number): boolean {
    return this.writes.has(id);
  }

  /** Deletes entry `id`'s file (once written), when it leaves the request log. */
  forget(id: number): void {
    const saving = this.writes.get(id);
    if (saving === undefined) return;
    this.writes.delete(id);
    void saving.then(() => rm(this.pathOf(id), { force: true })).catch(() => undefined);
  }

  /** Entry `id`'s bodies, decrypted; undefined when none are kept. */
  async read(id: number): Promise<CapturedExchange | undefined> {
    const saving = this.writes.get(id);
    if (saving === undefined) return undefined;
    await saving;
    const path = this.pathOf(id);
    const json = await readJsonOrNull(path);
    if (json === null) return undefined;
    return decryptTokenJson(json, this.key, path) as CapturedExchange;
  }

  private bounded(part: Buffer, total: number, secrets: readonly string[]): CapturedBody {
    const text = redactCredentials(part.toString('utf8'), secrets);
    // Cut after redaction, on a character boundary.
    const cut = Buffer.from(text)
      .subarray(0, this.limitBytes)
      .toString('utf8')
      .replace(/\uFFFD$/, '');
    return { text: cut, bytes: total, truncated: total > this.limitBytes || cut.length < text.length };
  }

  private pathOf(id: number): string {
    return join(this.directory, `${id}.json`);
  }
}
