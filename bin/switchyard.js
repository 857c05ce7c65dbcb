#!/usr/bin/env node
// Thin launcher. `npm run build` writes both the one-file bundle (fast start, its compiled code
// cached by V8 after the first run) and the module tree it falls back to.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const bundle = fileURLToPath(new URL('../dist/bundle/switchyard.cjs', import.meta.url));

async function loadCli() {
  if (!existsSync(bundle)) return import('../dist/cli/main.js');
  const { loadCompiledBundle } = await import('../dist/launch/compiled-bundle.js');
  return loadCompiledBundle(bundle, { kind: process.argv[2] === 'serve' ? 'serve' : 'commands', mapStackTraces: true })
    .exports;
}

loadCli()
  .then((cli) => cli.main(process.argv.slice(2)))
  .catch((error) => {
    process.stderr.write(`switchyard: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
