#!/usr/bin/env node
// Thin launcher. `npm run build` writes both the one-file bundle (fast start) and the module tree.
import { existsSync } from 'node:fs';

const bundle = new URL('../dist/bundle/switchyard.js', import.meta.url);
const entry = existsSync(bundle) ? bundle.href : new URL('../dist/cli/main.js', import.meta.url).href;
import(entry)
  .then((cli) => cli.main(process.argv.slice(2)))
  .catch((error) => {
    process.stderr.write(`switchyard: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
