// Bundles the CLI, the language server and the VS Code client into CommonJS files.
// CommonJS because VS Code's extension host loads extensions with require(), and Chevrotain is ESM-only.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as esbuild from 'esbuild';

// ESM dependencies (fdir, under tinyglobby) call createRequire(import.meta.url), which is empty in a
// CommonJS bundle: give them the bundle's own file URL.
const importMetaShim = 'var __import_meta_url = require("url").pathToFileURL(__filename).href;';

const common = {
  define: { 'import.meta.url': '__import_meta_url' },
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: 'linked',
  minify: process.env.PACE_MINIFY === '1',
  logLevel: 'warning',
  legalComments: 'none',
};

// The report stage (server/src/core/report/) is pure templates and functions, but its page script is a
// String.raw`...` template, which esbuild must assume has side effects: any bundle that reaches the core's
// façade would carry it. Declared free of side effects, it is left out of bundles that use none of it
// (the server's). The page script is kept ASCII (\u escapes in its strings: esbuild cannot escape a raw
// template), or V8 would hold every bundle that has it (the CLI's) as UTF-16.
const REPORT_DIR = /[\\/]server[\\/]src[\\/]core[\\/]report[\\/]/;
const pureReport = {
  name: 'pure-report',
  setup(build) {
    // Imports that may name a module of the report stage: from inside it, or a path through it.
    build.onResolve({ filter: /^\./ }, async (args) => {
      if (args.pluginData === pureReport || !(REPORT_DIR.test(args.importer) || /(^|\/)report\//.test(args.path))) return undefined;
      const r = await build.resolve(args.path, { resolveDir: args.resolveDir, kind: args.kind, importer: args.importer, pluginData: pureReport });
      return !r.errors.length && REPORT_DIR.test(r.path) ? { ...r, sideEffects: false } : r;
    });
  },
};

await Promise.all([
  // Every `pace` command loads the whole CLI bundle, `pace diff` twice (its worker): without
  // whitespace and comments it is 2.9 MB instead of 4.3 MB, and ASCII (see pureReport), which takes V8
  // about 40% less time to read and compile at each start. Names are kept, as in the server's bundle.
  esbuild.build({ ...common, entryPoints: ['server/src/cli/bin.ts'], outfile: 'server/out/pace.cjs', banner: { js: importMetaShim }, minifyWhitespace: true }),
  // The `pace` binary: it loads pace.cjs with the code cache written below (server/src/cli/loader.ts).
  esbuild.build({ ...common, entryPoints: ['server/src/cli/loader.ts'], outfile: 'server/out/cli.cjs', banner: { js: '#!/usr/bin/env node' }, sourcemap: false }),
  // The language server runs for hours and V8 keeps a script's whole source in memory (for lazy
  // compilation): the unminified bundle was 2.7 MB of it, held as UTF-16 because some comments are not
  // ASCII (5.4 MB). Without whitespace and comments, without the preview worker's code (its own bundle,
  // below) and without the report stage (pureReport), it is 1.5 MB of ASCII, one byte a character.
  // Names are kept (readable stack traces in the server's log; the source map has the rest).
  esbuild.build({ ...common, entryPoints: ['server/src/lsp/main.ts'], outfile: 'server/out/server.cjs', banner: { js: importMetaShim }, minifyWhitespace: true, plugins: [pureReport] }),
  // The preview worker (sample data, evaluator, HTML page): loaded only by a project with sample data.
  esbuild.build({ ...common, entryPoints: ['server/src/lsp/preview/worker-main.ts'], outfile: 'server/out/preview-worker.cjs', banner: { js: importMetaShim }, minifyWhitespace: true }),
  esbuild.build({ ...common, entryPoints: ['client/src/extension.ts'], outfile: 'client/out/extension.cjs', external: ['vscode'], banner: { js: importMetaShim } }),
]);
// The CLI is the package's `bin`: executable whatever the order in which npm links and builds.
chmodSync('server/out/cli.cjs', 0o755);

// The CLI's code caches: what V8 compiled while `pace check` checked samples/ (the lexer, parser and
// checker every command runs), and, under the V8 flags of `pace diff` and `pace generate`
// (BATCH_FLAGS in server/src/cli/loader.ts; V8 refuses a cache made under other flags), while `pace
// generate` generated every target of samples/ into a temporary folder. Keyed by the bundle's hash.
// Without them (this step failed) `pace` works as before, compiling at each start; a cache of an
// earlier bundle is never used.
const caches = [
  { file: 'server/out/pace.cjs.cache', args: ['check', 'samples'] },
  { file: 'server/out/pace.cjs.batch.cache', args: ['generate', 'samples'], intoTemp: true },
];
for (const { file, args, intoTemp } of caches) {
  rmSync(file, { force: true });
  const out = intoTemp ? mkdtempSync(path.join(tmpdir(), 'pace-cache-')) : undefined;
  const cacheRun = spawnSync(process.execPath, ['server/out/cli.cjs', ...args, ...(out ? ['--out', out] : [])], {
    env: { ...process.env, PACE_WRITE_CODE_CACHE: file },
    stdio: ['ignore', 'ignore', 'pipe'],
    encoding: 'utf8',
  });
  if (out) rmSync(out, { recursive: true, force: true });
  if (cacheRun.status !== 0) process.stderr.write(`esbuild.mjs: no code cache ${path.basename(file)} (pace ${args.join(' ')} exited ${cacheRun.status ?? cacheRun.signal}): ${cacheRun.stderr}\n`);
}
