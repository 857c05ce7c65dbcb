#!/usr/bin/env node
// Thin launcher: the compiled CLI lives in dist/ (run `npm run build` after changing src/).
import('../dist/cli/main.js').then((cli) => cli.main(process.argv.slice(2))).catch((error) => {
  process.stderr.write(`switchyard: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
