// Prints one plain closing line, "tests: N passed, N failed[, N unhandled errors]", that CI systems
// read in any language. An unhandled error fails the run though every test passed: it is counted.
import { writeSync } from 'node:fs';
import type { Reporter, SerializedError, TestModule } from 'vitest/node';

export default class SummaryReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<SerializedError> = []): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const m of modules) {
      for (const t of m.children.allTests()) {
        const s = t.result().state;
        if (s === 'passed') passed++;
        else if (s === 'failed') failed++;
        else skipped++;
      }
      if (m.state() === 'failed' && ![...m.children.allTests()].some((t) => t.result().state === 'failed')) failed++;
    }
    // Written at exit so that it is the very last line, after vitest's own summary.
    const errors = unhandledErrors.length;
    const line = `tests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}${errors ? `, ${errors} unhandled error${errors === 1 ? '' : 's'}` : ''}\n`;
    process.once('exit', () => writeSync(1, line));
  }
}
