// Entry point of the extension test suite, loaded by the extension host as `extensionTestsPath`
// (bundled to client/out/test/index.cjs, mocha included). VS Code calls run() once the workbench
// and the extension under development are up, and exits with its result.
// Works under code-server (test/e2e harness) and under @vscode/test-electron (runTest.ts).
//
// Environment: PACE_E2E_RESULTS=<file> writes a JSON summary there; PACE_E2E_GREP=<regex> runs
// only the matching tests.
import * as fs from 'node:fs';
import Mocha from 'mocha';
import * as activation from './activation.test';
import * as commands from './commands.test';
import * as language from './language.test';

interface TestResult { title: string; state: 'passed' | 'failed' | 'pending'; ms?: number; error?: string }

/** Reports through console.log, which VS Code forwards from the extension host in both hosts. */
class PaceReporter {
  constructor(runner: Mocha.Runner) {
    const results: TestResult[] = [];
    const { EVENT_SUITE_BEGIN, EVENT_TEST_PASS, EVENT_TEST_FAIL, EVENT_TEST_PENDING, EVENT_RUN_END } = Mocha.Runner.constants;
    runner.on(EVENT_SUITE_BEGIN, (s: Mocha.Suite) => { if (s.title) console.log(`[pace-e2e] suite: ${s.fullTitle()}`); });
    runner.on(EVENT_TEST_PASS, (t: Mocha.Test) => {
      results.push({ title: t.fullTitle(), state: 'passed', ms: t.duration });
      console.log(`[pace-e2e]   ✓ ${t.title} (${t.duration ?? 0} ms)`);
    });
    runner.on(EVENT_TEST_FAIL, (t: Mocha.Test, err: Error) => {
      const error = (err?.message ?? String(err)).split('\n').slice(0, 6).join('\n');
      results.push({ title: t.fullTitle(), state: 'failed', ms: t.duration, error });
      console.log(`[pace-e2e]   ✗ ${t.title}\n[pace-e2e]       ${error.replace(/\n/g, '\n[pace-e2e]       ')}`);
    });
    runner.on(EVENT_TEST_PENDING, (t: Mocha.Test) => {
      results.push({ title: t.fullTitle(), state: 'pending' });
      console.log(`[pace-e2e]   - ${t.title} (skipped)`);
    });
    runner.once(EVENT_RUN_END, () => {
      const n = (s: TestResult['state']) => results.filter((r) => r.state === s).length;
      const summary = { passed: n('passed'), failed: n('failed'), skipped: n('pending'), results };
      console.log(`[pace-e2e] ${summary.passed} passed, ${summary.failed} failed, ${summary.skipped} skipped`);
      console.log(`[pace-e2e] RESULT ${JSON.stringify(summary)}`);
      const file = process.env.PACE_E2E_RESULTS;
      if (file) {
        try { fs.writeFileSync(file, JSON.stringify(summary, null, 2)); } catch (e) { console.log(`[pace-e2e] cannot write ${file}: ${String(e)}`); }
      }
    });
  }
}

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'tdd', timeout: 60_000, color: false, reporter: PaceReporter as unknown as string });
  if (process.env.PACE_E2E_GREP) mocha.grep(new RegExp(process.env.PACE_E2E_GREP));
  // Files are bundled, not loaded from disk: expose the tdd globals (and the `suite`/`test` exports
  // of 'mocha') the way mocha does before requiring a file, then let each file register its suite.
  mocha.suite.emit('pre-require', globalThis, 'pace-e2e', mocha);
  activation.register();
  language.register();
  commands.register();
  return new Promise((resolve, reject) => {
    try {
      mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} test(s) failed`)) : resolve()));
    } catch (err) {
      reject(err instanceof Error ? err : new Error(String(err)));
    }
  });
}
