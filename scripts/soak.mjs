// `node scripts/soak.mjs [--edits 10000] [--seed S] [--warmup N] [--node-args "FLAGS"] [--keep]`: the long language-server soak
// (issue 10). test/lsp/soak-driver.ts (bundled with esbuild) drives the bundled server
// (server/out/server.cjs, built by `node esbuild.mjs`) through a warm-up and N seeded edits with
// requests, cancellations and malformed messages mixed in, then compares its last diagnostics with a
// cold `pace check --format json`. Prints the figures docs/robustness.md records ("Language-server
// soak") and their JSON (all of it, with a VmRSS log, in .tmp/soak-result.json); exit code 1 when a
// property failed.
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import * as esbuild from 'esbuild';

const root = path.join(path.dirname(new URL(import.meta.url).pathname), '..');
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : dflt;
};
const edits = Number(opt('edits', '10000'));
const seed = Number(opt('seed', String(Date.now() % 1_000_000)));
const warmup = opt('warmup', undefined);
// The server's node flags (default: the driver's, --predictable-gc-schedule); VS Code's: "--max-semi-space-size=32".
const nodeArgs = opt('node-args', undefined);
if (!Number.isFinite(edits) || !Number.isFinite(seed) || (warmup !== undefined && !Number.isFinite(Number(warmup)))) {
  console.error('usage: node scripts/soak.mjs [--edits N] [--seed S] [--warmup N] [--node-args "FLAGS"] [--keep]');
  process.exit(2);
}

const bundle = path.join(root, '.tmp/soak-driver.cjs');
await esbuild.build({
  entryPoints: [path.join(root, 'test/lsp/soak-driver.ts')],
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  logLevel: 'warning',
  outfile: bundle,
});
const { runSoak, soakFailures } = createRequire(import.meta.url)(bundle);

const r = await runSoak({
  root,
  seed,
  edits,
  warmupEdits: warmup === undefined ? undefined : Number(warmup),
  keep: args.includes('--keep'),
  nodeArgs: nodeArgs === undefined ? undefined : nodeArgs.split(' ').filter(Boolean),
  progress: (m) => console.log(m),
});
const failures = soakFailures(r);
// The whole result (with the VmRSS log) for a closer look.
fs.writeFileSync(path.join(root, '.tmp/soak-result.json'), JSON.stringify(r, null, 1));
console.log(`
seed ${r.seed}: ${r.edits} edits after a warm-up of ${r.warmupEdits}, in ${(r.soakMs / 1000).toFixed(1)} s (${(r.durationMs / 1000).toFixed(1)} s in all)
server CPU ${(r.serverCpuMs / 1000).toFixed(1)} s; requests ${r.requests}, answered ${r.answered}, unanswered ${r.unanswered.length}; errors by code ${JSON.stringify(r.errorCodes)}; latency p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms, max ${r.latency.max} ms
live data after the warm-up ${r.liveWarmMB.toFixed(1)} MB, after the same warm-up after the soak ${r.liveAfterMB.toFixed(1)} MB (${(r.growth * 100).toFixed(1)}%); compiled code ${r.codeWarmMB.toFixed(1)} → ${r.codeAfterMB.toFixed(1)} MB; RSS ${r.rssWarmMB.toFixed(1)} → ${r.rssAfterMB.toFixed(1)} MB (${(r.rssGrowth * 100).toFixed(1)}%); right after the soak ${r.rssEndMB.toFixed(1)} MB; peak ${r.hwmMB.toFixed(1)} MB; text ${r.textBytesWarm} → ${r.textBytesAfter} bytes
diagnostics: ${r.filesCompared} files, ${r.diagnosticsCompared} diagnostics compared with pace check, ${r.mismatches.length} files differ
positions outside their documents ${r.badRanges.length}; handler failures ${r.handlerFailures.length} (after malformed requests: ${r.malformedFailures}); server ${r.exited ?? 'alive'}
${failures.length ? 'FAILED:\n  ' + failures.join('\n  ') : 'PASSED'}`);
console.log(JSON.stringify({ ...r, mismatches: r.mismatches.slice(0, 5), handlerFailures: r.handlerFailures.slice(0, 5), badRanges: r.badRanges.slice(0, 5), rssLog: undefined }, null, 1));
process.exit(failures.length ? 1 : 0);
