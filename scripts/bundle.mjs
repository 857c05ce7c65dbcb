// Bundles the CLI: loading ~300 small modules cost most of `switchyard serve`'s start-up; a
// pre-linked entry file starts in a fraction of that (issue 3's 300 ms target).
import { readFile, rm } from 'node:fs/promises';
import { build, transform } from 'esbuild';

/**
 * zod re-exports every translation of its messages (`z.locales`, ~260 KB) through the `z`
 * namespace, so the bundler cannot drop them; switchyard uses only the English messages zod
 * loads itself. Only the locales index is replaced: `z.locales.en` still works.
 */
const englishZodMessagesOnly = {
  name: 'english-zod-messages-only',
  setup(builder) {
    builder.onResolve({ filter: /\/locales\/index\.js$/ }, (args) =>
      args.importer.includes('/node_modules/zod/') ? { path: 'zod-locales', namespace: 'english-zod-messages-only' } : undefined,
    );
    builder.onLoad({ filter: /.*/, namespace: 'english-zod-messages-only' }, () => ({
      contents: "export { default as en } from 'zod/v4/locales/en.js';",
      resolveDir: process.cwd(),
      loader: 'js',
    }));
  },
};

/**
 * undici requires its fetch body code (for FormData request bodies) and its llhttp WebAssembly
 * (144 KB of base64, for the first connection) only when first needed; bundled, `serve` still
 * read and parsed them at every start. They stay in node_modules, required at run time.
 */
const undiciOnDemandParts = {
  name: 'undici-on-demand-parts',
  setup(builder) {
    builder.onResolve({ filter: /^\.\.\/(web\/fetch\/body|llhttp\/llhttp(_simd)?-wasm)\.js$/ }, (args) =>
      /\/node_modules\/undici\/lib\/dispatcher\/client-h[12]\.js$/.test(args.importer)
        ? { path: `undici/lib/${args.path.slice('../'.length)}`, external: true }
        : undefined,
    );
  },
};

/**
 * Names kept only where code reads them. esbuild's `keepNames` wrapped every function of the
 * bundle in a call that redefines its `name` (thousands at `serve`'s start, ~25 ms); the
 * minified names matter only to these packages, whose errors take their names from their classes
 * (`this.name = this.constructor.name`, ioredis's `get name()`) and pino's error serializer
 * (`type`). They alone are compiled with their names kept. switchyard's own errors name
 * themselves (`readonly name = '...'`).
 */
const namesReadAtRunTime = /[\\/]node_modules[\\/](oauth4webapi|ioredis|redis-errors|pino-std-serializers)[\\/].*\.(c|m)?js$/;
const keepNamesWhereRead = {
  name: 'keep-names-where-read',
  setup(builder) {
    builder.onLoad({ filter: namesReadAtRunTime }, async (args) => {
      const { code } = await transform(await readFile(args.path, 'utf8'), { loader: 'js', keepNames: true, target: 'node20', sourcefile: args.path });
      return { contents: code, loader: 'js' };
    });
  },
};

// Chunk names carry content hashes: clear the old ones so a rebuild leaves no stale files.
await rm('dist/bundle', { recursive: true, force: true });

await build({
  entryPoints: ['src/cli/main.ts'],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // One entry file plus chunks: what a command loads on demand (the simulator for `demo`, the
  // login flows, pino-pretty, the Redis stores) stays out of `serve`'s start-up.
  outdir: 'dist/bundle',
  entryNames: 'switchyard',
  chunkNames: 'chunks/[name]-[hash]',
  splitting: true,
  legalComments: 'none',
  minify: true,
  // CommonJS dependencies (undici, bottleneck, proper-lockfile) use require() and __filename.
  banner: {
    js: [
      "import { createRequire as __createRequire } from 'node:module';",
      "import { fileURLToPath as __fileURLToPath } from 'node:url';",
      "import { dirname as __pathDirname } from 'node:path';",
      'const require = __createRequire(import.meta.url);',
      'const __filename = __fileURLToPath(import.meta.url);',
      'const __dirname = __pathDirname(__filename);',
    ].join(' '),
  },
  plugins: [englishZodMessagesOnly, undiciOnDemandParts, keepNamesWhereRead],
  logLevel: 'warning',
});
