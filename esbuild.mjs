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

await Promise.all([
  esbuild.build({ ...common, entryPoints: ['server/src/cli/bin.ts'], outfile: 'server/out/cli.cjs', banner: { js: `#!/usr/bin/env node\n${importMetaShim}` } }),
  // The language server runs for hours: V8 keeps a script's whole source in memory (for lazy compilation),
  // and the unminified bundle is 2.7 MB of it, held as UTF-16 because its comments are not all ASCII
  // (5.4 MB). Without whitespace and comments it is 1.9 MB of one-byte text. Names are kept (readable
  // stack traces in the server's log; the source map has the rest).
  esbuild.build({ ...common, entryPoints: ['server/src/lsp/main.ts'], outfile: 'server/out/server.cjs', banner: { js: importMetaShim }, minifyWhitespace: true }),
  // The preview worker (sample data, evaluator, HTML page): loaded only by a project with sample data.
  esbuild.build({ ...common, entryPoints: ['server/src/lsp/preview/worker-main.ts'], outfile: 'server/out/preview-worker.cjs', banner: { js: importMetaShim }, minifyWhitespace: true }),
  esbuild.build({ ...common, entryPoints: ['client/src/extension.ts'], outfile: 'client/out/extension.cjs', external: ['vscode'], banner: { js: importMetaShim } }),
]);
// The CLI is the package's `bin`: executable whatever the order in which npm links and builds.
chmodSync('server/out/cli.cjs', 0o755);
