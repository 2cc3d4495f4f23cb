// Runs the extension test suite in a desktop VS Code downloaded by @vscode/test-electron:
//   npm run e2e:electron      (bundles first; needs network access to the VS Code download site)
// Set VSCODE_EXECUTABLE_PATH to use an installed VS Code instead of downloading one.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';

async function main(): Promise<void> {
  // Bundled to client/out/test/runTest.cjs: the repository root is three levels up.
  const root = path.resolve(__dirname, '..', '..', '..');
  const extensionTestsPath = path.join(root, 'client', 'out', 'test', 'index.cjs');
  for (const f of [path.join(root, 'client', 'out', 'extension.cjs'), path.join(root, 'server', 'out', 'server.cjs'), extensionTestsPath]) {
    if (!fs.existsSync(f)) throw new Error(`${f} is missing: run "node esbuild.mjs && node test/e2e/build-tests.mjs" first`);
  }
  // The tests may touch the workspace: run them on a scratch copy of the fixture.
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'pace-electron-'));
  const workspace = path.join(scratch, 'workspace');
  fs.cpSync(path.join(root, 'test', 'e2e', 'workspace'), workspace, { recursive: true });
  // Downloads (VS Code builds, their extensions dir) go to the e2e cache, not into the work tree.
  const cachePath = path.join(process.env.PACE_E2E_CACHE || path.join(os.homedir(), '.cache', 'pace-e2e'), 'vscode-test');
  fs.mkdirSync(cachePath, { recursive: true });
  try {
    await runTests({
      cachePath,
      extensionDevelopmentPath: root,
      extensionTestsPath,
      ...(process.env.VSCODE_EXECUTABLE_PATH ? { vscodeExecutablePath: process.env.VSCODE_EXECUTABLE_PATH } : {}),
      launchArgs: [
        workspace,
        '--disable-extensions',            // only the extension under test
        `--user-data-dir=${path.join(scratch, 'user-data')}`,
        `--extensions-dir=${path.join(scratch, 'extensions')}`,
      ],
      extensionTestsEnv: { PACE_E2E_RESULTS: path.join(scratch, 'results.json') },
    });
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error('e2e:electron failed:', err instanceof Error ? err.message : err);
  process.exit(1);
});
