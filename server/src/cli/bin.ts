// Entry point of the bundled `pace` binary.
import { main } from './main.js';

main(process.argv.slice(2), {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  cwd: process.cwd(),
  env: process.env,
  isTTY: !!process.stdout.isTTY,
}).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`pace: internal error (a bug, please report it): ${(e as Error).stack ?? e}\n`);
    process.exitCode = 3;
  },
);
