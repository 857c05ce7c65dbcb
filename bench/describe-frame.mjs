// Names a profile's frame (a CPU or allocation sample) as `function file:line`, in switchyard's
// own sources when it is in the bundle (through the bundle's source map), so that profiles of the
// built server read like the code.
import { existsSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';

const bundleMapPath = new URL('../dist/bundle/switchyard.cjs.map', import.meta.url).pathname;
const bundleMap = existsSync(bundleMapPath)
  ? new SourceMap(JSON.parse(readFileSync(bundleMapPath, 'utf8')))
  : undefined;

/** `name file:line` of a sampled frame, in the sources when it is in the bundle. */
export function describeFrame({ functionName, url, lineNumber, columnNumber }) {
  if (bundleMap && url.endsWith('switchyard.cjs')) {
    const entry = bundleMap.findEntry(lineNumber, columnNumber);
    if (entry.originalSource) {
      const file = entry.originalSource.replace(/^.*\/(node_modules|src)\//, '$1/');
      return `${entry.name ?? functionName ?? '(anonymous)'} ${file}:${entry.originalLine + 1}`;
    }
  }
  const file = url.replace(/^.*\/(node_modules|dist|src)\//, '$1/').replace(/^node:/, '');
  return `${functionName || '(anonymous)'} ${file}:${lineNumber + 1}`;
}
