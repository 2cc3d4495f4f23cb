// Preloaded with `node -r bench/maxrss.cjs …` into a timed process: at exit, writes the process's own
// peak resident set size (kB, from getrusage) to the file named by BENCH_MAXRSS_FILE.
'use strict';
process.on('exit', () => {
  const f = process.env.BENCH_MAXRSS_FILE;
  if (f) require('node:fs').writeFileSync(f, String(process.resourceUsage().maxRSS));
});
