// Run in a child process by streaming.test.ts (bundled with esbuild): loads one file and prints
// its peak RSS growth, time and counts as JSON, so the parent measures memory without its own heap.
import { statSync } from 'node:fs';
import { loadSampleData } from '../../server/src/node/data/index.js';

async function main(): Promise<void> {
  const file = process.argv[2];
  const rssBefore = process.memoryUsage().rss;
  const start = process.hrtime.bigint();
  const data = await loadSampleData([file]);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const peakRss = process.resourceUsage().maxRSS * 1024;
  const samples = data.series.reduce((n, s) => n + s.t.length, 0);
  const bytes = statSync(file).size;
  process.stdout.write(
    JSON.stringify({
      bytes,
      seconds,
      mbPerSecond: bytes / 1e6 / seconds,
      rssGrowthMb: (peakRss - rssBefore) / 1e6,
      series: data.series.length,
      samples,
      issues: data.issues.map((i) => i.code),
    }),
  );
}
void main();
