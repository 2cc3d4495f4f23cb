// Bundles the extension test suite (mocha included) and the @vscode/test-electron launcher:
//   client/src/test/suite/index.ts → client/out/test/index.cjs   (extensionTestsPath; `vscode` external)
//   client/src/test/runTest.ts     → client/out/test/runTest.cjs (plain Node)
import * as esbuild from 'esbuild';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const common = {
  absWorkingDir: root, bundle: true, platform: 'node', target: 'node20', format: 'cjs',
  sourcemap: 'inline', logLevel: 'error', legalComments: 'none',
};
await Promise.all([
  esbuild.build({ ...common, entryPoints: ['client/src/test/suite/index.ts'], outfile: 'client/out/test/index.cjs', external: ['vscode'] }),
  esbuild.build({ ...common, entryPoints: ['client/src/test/runTest.ts'], outfile: 'client/out/test/runTest.cjs', external: ['@vscode/test-electron'] }),
]);
