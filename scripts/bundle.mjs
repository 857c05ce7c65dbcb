// Bundles the CLI: loading hundreds of small modules cost most of `switchyard serve`'s start-up; a
// pre-linked entry file starts in a fraction of that (issue 3's start-up target).
import { createHash } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { build, transform } from 'esbuild';
import { asciiOnly } from './ascii-only.mjs';

/**
 * zod re-exports every translation of its messages (`z.locales`, dozens of languages) through the `z`
 * namespace, so the bundler cannot drop them; switchyard uses only the English messages zod
 * loads itself. Only the locales index is replaced: `z.locales.en` still works.
 */
const englishZodMessagesOnly = {
  name: 'english-zod-messages-only',
  setup(builder) {
    builder.onResolve({ filter: /\/locales\/index\.js$/ }, (args) =>
      args.importer.includes('/node_modules/zod/')
        ? { path: 'zod-locales', namespace: 'english-zod-messages-only' }
        : undefined,
    );
    builder.onLoad({ filter: /.*/, namespace: 'english-zod-messages-only' }, () => ({
      contents: "export { default as en } from 'zod/v4/locales/en.js';",
      resolveDir: process.cwd(),
      loader: 'js',
    }));
  },
};

/**
 * The two undici plugins below (and src/router/undici-parts.ts, undici-errors.ts) depend on files
 * and a line inside undici, not on its public API: package.json pins undici to one exact version,
 * and the build stops if the installed one is another, so an upgrade is a deliberate step that
 * re-checks them. The bundle loads undici's on-demand parts from the same installed package.
 */
const undiciPin = JSON.parse(await readFile('package.json', 'utf8')).dependencies.undici;
const undiciInstalled = JSON.parse(await readFile('node_modules/undici/package.json', 'utf8')).version;
if (undiciInstalled !== undiciPin) {
  throw new Error(
    `undici ${undiciInstalled} is installed but package.json pins ${undiciPin}: run npm ci, ` +
      'or re-check the undici plugins of scripts/bundle.mjs before changing the pin.',
  );
}

/**
 * undici requires its fetch body code (for FormData request bodies) and its llhttp WebAssembly
 * (a large base64 string, for the first connection) only when first needed; bundled, `serve` still
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
 * undici's Client keeps its connection's requests in one array, nulls each finished one and
 * trims them off only once 256 have piled up. The array's storage is reallocated five times on
 * the way there and each copy lives for a few dozen requests, long enough that V8 moves it to the
 * old generation: at 32 busy connections that was about half of the garbage left there per
 * request (~25 bytes), and RSS grew with it until V8's next major collection. Trimmed at each turn,
 * the array stays a few entries long and its storage dies young. The same code runs, only sooner;
 * the build stops if undici's source no longer has the line, so an upgrade cannot drop it silently.
 * Tests that run src/ in-process use undici as published: the trim only changes when finished
 * entries (already nulled, never read again) are spliced off the queue, not what is sent or
 * answered; the tests that run the built binary run it patched.
 */
const undiciQueueTrimmedEachTurn = {
  name: 'undici-queue-trimmed-each-turn',
  setup(builder) {
    builder.onLoad({ filter: /[\\/]node_modules[\\/]undici[\\/]lib[\\/]dispatcher[\\/]client\.js$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      const trimWhen = 'if (client[kRunningIdx] > 256) {';
      if (!source.includes(trimWhen))
        throw new Error(
          `${args.path} no longer has "${trimWhen}"; see undiciQueueTrimmedEachTurn in scripts/bundle.mjs.`,
        );
      return { contents: source.replace(trimWhen, 'if (client[kRunningIdx] > 0) {'), loader: 'js' };
    });
  },
};

/**
 * Names kept only where code reads them. esbuild's `keepNames` wrapped every function of the
 * bundle in a call that redefines its `name` (thousands at `serve`'s start); the
 * minified names matter only to these packages, whose errors take their names from their classes
 * (`this.name = this.constructor.name`, ioredis's `get name()`) and pino's error serializer
 * (`type`). They alone are compiled with their names kept. switchyard's own errors name
 * themselves (`readonly name = '...'`).
 */
const namesReadAtRunTime =
  /[\\/]node_modules[\\/](oauth4webapi|ioredis|redis-errors|pino-std-serializers)[\\/].*\.(c|m)?js$/;
const keepNamesWhereRead = {
  name: 'keep-names-where-read',
  setup(builder) {
    builder.onLoad({ filter: namesReadAtRunTime }, async (args) => {
      const { code } = await transform(await readFile(args.path, 'utf8'), {
        loader: 'js',
        keepNames: true,
        target: 'node20',
        sourcefile: args.path,
      });
      return { contents: code, loader: 'js' };
    });
  },
};

await rm('dist/bundle', { recursive: true, force: true });

const { outputFiles } = await build({
  entryPoints: ['src/cli/main.ts'],
  bundle: true,
  platform: 'node',
  // One CommonJS file, not ES modules: V8 can cache the compiled code of a classic script
  // (src/launch/compiled-bundle.ts), which halves what compiling costs at every start; Node 20
  // has no such cache for ES modules. What a command loads on demand (the simulator for `demo`,
  // the login flows, pino-pretty, the Redis stores) still runs only when first imported: esbuild
  // wraps each lazily imported module in a function called on first use.
  format: 'cjs',
  target: 'node20',
  outfile: 'dist/bundle/switchyard.cjs',
  write: false,
  legalComments: 'none',
  minify: true,
  // A stack trace from the minified bundle names nothing a person can look up; the map beside it
  // names src/ files, lines and columns (src/launch/bundle-stack-traces.ts reads it when a stack
  // is first formatted). `linked`: tools that follow sourceMappingURL find it too. The sources
  // themselves stay out of it: a checkout has them, and the installed package stays small.
  sourcemap: 'linked',
  sourcesContent: false,
  // version.ts and locations.ts find package.json from their own address.
  define: { 'import.meta.url': '__bundleUrl' },
  // The modules are strict; the directive must open the file, before the banner's statement.
  banner: { js: "'use strict'; var __bundleUrl = require('node:url').pathToFileURL(__filename).href;" },
  plugins: [englishZodMessagesOnly, undiciOnDemandParts, undiciQueueTrimmedEachTurn, keepNamesWhereRead],
  // The price table (about 2 MB of source) loads from node_modules the first time the dashboard
  // asks for usage: inside the bundle, every start would read and scan it.
  external: ['@pydantic/genai-prices'],
  logLevel: 'warning',
});

// V8 checks a code cache against the source's length only; the launcher names cache files after
// this hash instead, so an edited bundle of the same length never runs stale compiled code, and
// no start pays for hashing the whole bundle. The header is one more line above the code: the map's
// `mappings` gain one empty line group (`;`) in front to match.
const bundle = outputFiles.find((file) => file.path.endsWith('.cjs'));
const sourceMap = JSON.parse(outputFiles.find((file) => file.path.endsWith('.cjs.map')).text);
const ascii = asciiOnly(bundle.text, sourceMap.mappings);
const hash = createHash('sha256').update(ascii.code).digest('hex').slice(0, 32);
await mkdir('dist/bundle', { recursive: true });
await writeFile(bundle.path, `// switchyard bundle ${hash}\n${ascii.code}`);
await writeFile(`${bundle.path}.map`, JSON.stringify({ ...sourceMap, mappings: `;${ascii.mappings}` }));
