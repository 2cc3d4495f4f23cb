// Bundles the CLI, the language server and the VS Code client into CommonJS files.
// CommonJS because VS Code's extension host loads extensions with require(), and Chevrotain is ESM-only.
import * as esbuild from 'esbuild';

const common = {
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
  esbuild.build({ ...common, entryPoints: ['server/src/cli/bin.ts'], outfile: 'server/out/cli.cjs', banner: { js: '#!/usr/bin/env node' } }),
  esbuild.build({ ...common, entryPoints: ['server/src/lsp/main.ts'], outfile: 'server/out/server.cjs' }),
  esbuild.build({ ...common, entryPoints: ['client/src/extension.ts'], outfile: 'client/out/extension.cjs', external: ['vscode'] }),
]);
