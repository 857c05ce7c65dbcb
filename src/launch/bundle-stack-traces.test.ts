import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** Runs `script` in a fresh Node (mapping is process-wide), the built bundle loaded as the CLI loads it. */
function runWithBundle(script: string, env: NodeJS.ProcessEnv = {}): string {
  const caches = mkdtempSync(join(tmpdir(), 'switchyard-stack-traces-'));
  const program = `
    const { loadCompiledBundle } = await import(${JSON.stringify(join(root, 'dist/launch/compiled-bundle.js'))});
    const cli = loadCompiledBundle(${JSON.stringify(join(root, 'dist/bundle/switchyard.cjs'))}, {
      kind: 'test', cacheDirectories: [${JSON.stringify(caches)}], mapStackTraces: true,
    }).exports;
    ${script}`;
  const environment = { ...process.env, ...env };
  return execFileSync(process.execPath, ['--input-type=module', '-e', program], { encoding: 'utf8', env: environment });
}

// runCli reads argv[0] before anything else: null makes it throw from inside the bundle.
const throwInsideBundle = 'try { await cli.runCli(null, {}); } catch (error) { process.stdout.write(error.stack); }';

// Needs `npm run build` (npm test builds first).
describe('stack traces from the built bundle', () => {
  it('name the src/ file, line and column of each frame in the bundle', () => {
    const stack = runWithBundle(throwInsideBundle);
    expect(stack).toMatch(/^TypeError: Cannot read properties of null/);
    expect(stack).toMatch(/\n {4}at .*\(?.*\/src\/cli\/main\.ts:\d+:\d+\)?/);
    expect(stack).not.toContain('switchyard.cjs:');
  });

  it('do so whether or not the code cache is in use', () => {
    const stack = runWithBundle(throwInsideBundle, { SWITCHYARD_COMPILE_CACHE: '0' });
    expect(stack).toMatch(/\/src\/cli\/main\.ts:\d+:\d+/);
  });

  it('are left unmapped for the errors of an ordinary end (a client gone, an upstream aborted), which nobody reads', () => {
    // Node's stream code reads the stack of every error a stream is destroyed with: mapping it
    // parsed the whole source map on the request path the first time a client left.
    for (const code of ['UND_ERR_ABORTED', 'UND_ERR_INFO', 'UND_ERR_DESTROYED', 'ECONNRESET', 'EPIPE']) {
      const stack = runWithBundle(
        `try { await cli.runCli(null, {}); } catch (error) { error.code = '${code}'; process.stdout.write(error.stack); }`,
      );
      expect(stack).toMatch(/^TypeError: Cannot read properties of null/);
      expect(stack).toContain('switchyard.cjs:');
      expect(stack).not.toContain('/src/cli/main.ts');
    }
    const aborted = runWithBundle(
      "try { await cli.runCli(null, {}); } catch (error) { error.name = 'AbortError'; process.stdout.write(error.stack); }",
    );
    expect(aborted).toContain('switchyard.cjs:');
  });

  it("leave Node's own errors as Node writes them, code and all", () => {
    const stack = runWithBundle('try { Buffer.alloc(-1); } catch (error) { process.stdout.write(error.stack); }');
    expect(stack).toMatch(/^RangeError \[ERR_OUT_OF_RANGE\]: /);
  });
});
