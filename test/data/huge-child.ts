// Run in a child process by huge.test.ts and scripts (bundled with esbuild): loads one file and
// prints, as JSON, its issues, series and samples counts, the time taken and the peak RSS
// (VmHWM, from /proc/self/status) in MB, so that the parent measures memory outside its own heap.
import { readFileSync, statSync } from 'node:fs';
import { loadSampleData } from '../../server/src/node/data/index.js';

async function main(): Promise<void> {
  const file = process.argv[2];
  const start = process.hrtime.bigint();
  const data = await loadSampleData([file]);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const hwm = Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? NaN) / 1024;
  process.stdout.write(
    JSON.stringify({
      bytes: statSync(file).size,
      seconds,
      peakRssMb: hwm,
      series: data.series.length,
      samples: data.series.reduce((n, s) => n + s.t.length, 0),
      issues: data.issues.map((i) => ({ code: i.code, line: i.line, message: i.message })),
    }),
  );
}
void main();
