// Entry point of the bundled `pace` binary. The same bundle, started in a worker thread by `pace
// diff`, works out the base side of the diff (cli/diff-side.ts).
import { isDiffSideWorker, runDiffSideWorker } from './diff-side.js';
import { main } from './main.js';
import { outputSink } from './output.js';

if (isDiffSideWorker()) runDiffSideWorker();
else cli();

function cli(): void {
  const stderr = outputSink(process.stderr);
  const stdout = outputSink(process.stdout, (e) => stderr.write(`pace: cannot write the output: ${e.code ?? e.message}\n`));

  main(process.argv.slice(2), {
    stdout: stdout.write,
    stderr: stderr.write,
    cwd: process.cwd(),
    env: process.env,
    isTTY: !!process.stdout.isTTY,
    stderrIsTTY: !!process.stderr.isTTY,
  }).then(
    (code) => {
      // Output that could not be written (a full disk, say; not a reader that went away) is an IO error.
      process.exitCode = stdout.failed() || stderr.failed() ? Math.max(code, 2) : code;
    },
    (e: unknown) => {
      stderr.write(`pace: internal error (a bug, please report it): ${(e as Error).stack ?? e}\n`);
      process.exitCode = 3;
    },
  );
}
