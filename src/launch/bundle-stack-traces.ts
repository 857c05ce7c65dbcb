import { readFileSync } from 'node:fs';
import { SourceMap, type SourceMapPayload } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * Stack traces name src/ files, lines and columns instead of the minified bundle's: the build
 * writes a source map beside the bundle (scripts/bundle.mjs). Node maps stacks itself only for
 * code its own loader compiled, and only with --enable-source-maps, which reads and parses the
 * whole map at every start; the bundle runs through vm.Script (compiled-bundle.ts). So the map
 * is read and parsed the first time a stack with a frame of the bundle is formatted (once, and a
 * healthy server may never do it), not at every start. The frames are handed on to the formatter
 * in place before (Node's own), which writes everything else as it did.
 */
export function mapBundleStackTraces(bundleFile: string, mapFile = `${bundleFile}.map`): void {
  let sourceMap: SourceMap | null | undefined;
  const mapOnce = (): SourceMap | null => {
    if (sourceMap === undefined) {
      try {
        sourceMap = new SourceMap(JSON.parse(readFileSync(mapFile, 'utf8')) as SourceMapPayload);
      } catch {
        sourceMap = null; // No map (a bundle built without one): the bundle's own positions stay.
      }
    }
    return sourceMap;
  };
  const mapDirectory = pathToFileURL(mapFile);
  const mapped = (callSite: NodeJS.CallSite): NodeJS.CallSite => {
    const line = callSite.getLineNumber();
    const column = callSite.getColumnNumber();
    if (callSite.getFileName() !== bundleFile || line === null || column === null) return callSite;
    const entry = mapOnce()?.findEntry(line - 1, column - 1);
    if (entry === undefined || !('originalSource' in entry)) return callSite;
    const source = fileURLToPath(new URL(entry.originalSource, mapDirectory));
    const position = `${source}:${entry.originalLine + 1}:${entry.originalColumn + 1}`;
    const text = String(callSite).replace(`${bundleFile}:${line}:${column}`, position);
    const overrides: Record<PropertyKey, unknown> = {
      getFileName: () => source,
      getLineNumber: () => entry.originalLine + 1,
      getColumnNumber: () => entry.originalColumn + 1,
      toString: () => text,
    };
    // A call site's own methods insist on being called on the call site itself.
    return new Proxy(callSite, {
      get: (target, key) => {
        const value: unknown = key in overrides ? overrides[key] : Reflect.get(target, key);
        return typeof value === 'function' && !(key in overrides) ? value.bind(target) : value;
      },
    });
  };
  const previous = Error.prepareStackTrace;
  Error.prepareStackTrace = (error, callSites) => {
    const frames = isOrdinaryEnd(error) ? callSites : callSites.map(mapped);
    if (previous !== undefined) return previous(error, frames);
    return [errorHeader(error), ...frames.map((frame) => `    at ${String(frame)}`)].join('\n');
  };
}

/**
 * Codes of the errors a request's ordinary end makes: the client left, the upstream request was
 * aborted or reset. Node's stream code reads the stack of every error a stream is destroyed with
 * (`checkError` in internal/streams/destroy), so each such end formatted a stack nobody reads:
 * the first one parsed the whole source map (~0.3 s with the event loop stopped, and ~30 MB
 * kept), every later one mapped its frames. Their stacks keep the bundle's own positions.
 */
const ordinaryEndCodes = new Set([
  'ABORT_ERR',
  'UND_ERR_ABORTED',
  'UND_ERR_SOCKET',
  // undici's own, when the connection a request was on goes away with it ("aborted", "The client
  // is destroyed", "The client is closed").
  'UND_ERR_INFO',
  'UND_ERR_DESTROYED',
  'UND_ERR_CLOSED',
  'ECONNRESET',
  'EPIPE',
  'ERR_STREAM_PREMATURE_CLOSE',
  'ERR_STREAM_DESTROYED',
]);

function isOrdinaryEnd(error: Error): boolean {
  if (error.name === 'AbortError') return true;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && ordinaryEndCodes.has(code);
}

/**
 * The first line as Node writes it when nothing formats stacks before this: `Name: message`, and
 * `Name [ERR_CODE]: message` for Node's own errors (their classes say so in their toString).
 */
function errorHeader(error: Error): string {
  try {
    const code = (error as { code?: unknown }).code;
    const nodeError = typeof code === 'string' && error.toString !== Error.prototype.toString;
    return nodeError ? String(error) : Error.prototype.toString.call(error);
  } catch {
    return '<error>';
  }
}
