// Bundles the CLI, the language server and the VS Code client into CommonJS files.
// CommonJS because VS Code's extension host loads extensions with require(), and Chevrotain is ESM-only.
import { chmodSync } from 'node:fs';
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
// façade would carry it (and its two non-ASCII characters make V8 hold the whole bundle's source as
// UTF-16). Declared free of side effects, it is left out of bundles that use none of it (the server's).
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
  esbuild.build({ ...common, entryPoints: ['server/src/cli/bin.ts'], outfile: 'server/out/cli.cjs', banner: { js: `#!/usr/bin/env node\n${importMetaShim}` } }),
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
