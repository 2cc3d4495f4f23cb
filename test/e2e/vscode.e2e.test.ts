// End-to-end tests of the Pace extension in a real VS Code (Code-OSS from code-server), headless.
// See test/e2e/harness.ts. The first run installs Node 24, code-server, playwright-core and
// Debian's chromium into $PACE_E2E_CACHE (default ~/.cache/pace-e2e; a few minutes); later runs
// reuse it. Needs the bundles: `npm test` builds them first, `npm run e2e` runs only this file.
// `npm run test:fast` runs everything else; PACE_E2E_KEEP=1 keeps the scratch folder; logs and screenshots go
// to test/.artifacts/ (test/.artifacts/vscode-gui.png is the main screenshot).
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { log, runExtensionTests, runGuiCheck, runSetup, Scratch } from './harness';

const MINUTE = 60_000;

describe('VS Code end to end', () => {
  let scratch: Scratch | undefined;

  beforeAll(async () => {
    scratch = new Scratch(await runSetup());
  }, 15 * MINUTE);

  afterAll(async () => {
    await scratch?.dispose();
  }, MINUTE);

  test('the mocha suite passes inside the code-server extension host', async () => {
    const r = await runExtensionTests(scratch!);
    const failed = r.results.filter((t) => t.state === 'failed');
    log(`extension tests: ${r.passed} passed, ${r.failed} failed, ${r.skipped} skipped (exit ${r.exitCode})`);
    expect(r.passed + r.failed, `no test ran; see test/.artifacts/e2e/ext-tests.log\n${r.log.slice(-3000)}`).toBeGreaterThan(0);
    expect(failed.map((t) => `${t.title}: ${t.error}`), 'failing extension tests').toEqual([]);
    expect(r.exitCode).toBe(0);
  }, 8 * MINUTE);

  test('the packaged VSIX works in the GUI', async () => {
    const r = await runGuiCheck(scratch!);
    log(`GUI checks: ${r.checks.filter((c) => c.ok).length} passed, ${r.checks.filter((c) => !c.ok).length} failed; screenshots: ${r.screenshots.join(', ')}`);
    expect(r.checks.filter((c) => !c.ok).map((c) => `${c.name}: ${c.detail}`), 'failing GUI checks').toEqual([]);
  }, 8 * MINUTE);
});
