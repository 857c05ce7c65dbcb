// Bundles the CLI into one file: loading ~300 small modules cost most of `switchyard serve`'s
// start-up; one pre-linked file starts in a fraction of that (issue 3's 300 ms target).
import { build } from 'esbuild';

await build({
  entryPoints: ['src/cli/main.ts'],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  outfile: 'dist/bundle/switchyard.js',
  legalComments: 'none',
  minify: true,
  keepNames: true,
  // CommonJS dependencies (undici, bottleneck) call require(); give the ESM bundle one.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  logLevel: 'warning',
});
