// The `pace` binary (server/out/cli.cjs): it loads the CLI's bundle (server/out/pace.cjs) with V8's
// code cache, server/out/pace.cjs.cache (pace.cjs.batch.cache for the commands run with other V8
// flags: BATCH_COMMANDS below), which the build writes (esbuild.mjs). Reading and compiling
// the 2.9 MB bundle was most of what every `pace` command spent before doing anything, and `pace
// diff` pays it twice (its worker thread starts this file too); with the cache V8 deserialises the
// functions a run of `pace check` compiled instead of compiling them again.
//
// The cache is used only when it was made from these exact bytes: it starts with the SHA-256 of the
// bundle it was made from (V8 itself checks only its own version, its flags and the source's length).
// A missing, stale or rejected cache costs nothing but the compile it would have saved. Nothing
// here may depend on the project: it is bundled on its own, with node's modules only.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import Module, { createRequire } from 'node:module';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { isMainThread, Worker, workerData } from 'node:worker_threads';

const HASH_BYTES = 32;

// `pace diff` and `pace generate` analyse a whole project once, cold, and exit: `pace diff` twice at
// once, on the two threads of a machine that often has only two cores, where every optimising
// compile that V8 starts in the background takes time from one of them. A larger interrupt budget
// (8× V8's default: how much bytecode a function runs between two checks of whether to optimise
// it) makes V8 optimise later, fewer functions, on riper type feedback. Measured on 2 cores,
// alternating whole processes: `pace diff` of 1,000 services 12–14% faster, `pace generate` 3–5%;
// `pace check` and `pace preview` were not faster (`pace preview samples` was 3% slower),
// so they keep V8's defaults. V8 refuses a code cache made under other flags, so these commands have
// a cache of their own (esbuild.mjs writes both). The diff's worker thread inherits the flags: V8's
// flags are the process's.
//
// The second flag reaches only an isolate created after it is set, that is the diff's worker (this
// thread's heap was configured at its start): the worker's old generation may grow to 256 MB before
// its first full collection. Without it the worker ran a full collection just as its analysis ended
// (≈ 55 ms, on the diff's critical path, while the main thread waited for the base's model). Measured
// on 2 cores, alternating whole processes (9 runs each): `pace diff` of 1,000 services 1,587 →
// 1,527 ms, with a peak RSS of 355–357 MB instead of 332–342. `pace generate` runs on this thread alone and
// is not changed by it; it is set for both commands so that they keep one code cache.
const BATCH_COMMANDS = ['diff', 'generate'];
const BATCH_FLAGS = '--interrupt-budget=540672 --initial-old-space-size=256';
const batch = isMainThread ? BATCH_COMMANDS.includes(process.argv[2]) : (workerData as { paceWorker?: string } | undefined)?.paceWorker === 'diff-side';
if (batch && isMainThread) v8.setFlagsFromString(BATCH_FLAGS);
// `pace diff` on two cores: its two threads analyse at once, and the helper tasks of V8's parallel
// young-generation collection (about 35 of them per thread for 1,000 services, ≈ 230 ms) only
// contend with them for the two cores. Measured, alternating whole processes (11 runs each):
// `pace diff` 1,504 → 1,463 ms; `pace generate`, on one thread, was 6% slower with it (3,364 →
// 3,576 ms, 5 runs), so it keeps them. With more cores the helpers have cores of their own, so the
// flag is left out there (not measured: this machine has two). V8 leaves it out of the flags a code
// cache must match, so `diff` keeps the batch cache.
if (isMainThread && process.argv[2] === 'diff' && os.availableParallelism() <= 2) v8.setFlagsFromString('--no-parallel-scavenge');

// `pace diff` works out its base side in a worker thread (cli/diff-side.ts). Started here, before the
// bundle is loaded, the worker's own start (a V8 isolate, node's bootstrap, the bundle) runs while
// this thread loads the bundle; it waits for its request, which diff-side.ts posts. Unreferenced
// until then, it holds nothing up if the command stops early (`pace diff --help`, a usage error).
if (isMainThread && process.argv[2] === 'diff' && os.availableParallelism() > 1) {
  try {
    const early = { worker: new Worker(__filename, { workerData: { paceWorker: 'diff-side' } }), exited: false };
    early.worker.unref();
    early.worker.on('error', () => (early.exited = true));
    early.worker.on('exit', () => (early.exited = true));
    // Taken by diff-side.ts (EARLY_DIFF_WORKER, the same registered symbol, and this shape).
    (globalThis as Record<symbol, unknown>)[Symbol.for('pace.early-diff-worker')] = early;
  } catch {
    // no worker: diff-side.ts starts one, or works the side out on this thread
  }
}

const bundle = path.join(__dirname, 'pace.cjs');
const cacheFile = `${bundle}${batch ? '.batch' : ''}.cache`;
const code = fs.readFileSync(bundle);
const hash = createHash('sha256').update(code).digest();

let cachedData: Buffer | undefined;
try {
  const c = fs.readFileSync(cacheFile);
  if (c.length > HASH_BYTES && c.subarray(0, HASH_BYTES).equals(hash)) cachedData = c.subarray(HASH_BYTES);
} catch {
  // no cache (a build that could not write it): compile as node would
}

const script = new vm.Script(Module.wrap(code.toString('utf8')), { filename: bundle, cachedData });
// For the tests (test/cli/loader.test.ts) and for anyone asking why a start is slow.
if (process.env.PACE_CODE_CACHE_REPORT) process.stderr.write(`pace: code cache ${cachedData ? (script.cachedDataRejected ? 'rejected' : 'used') : 'absent or stale'}\n`);

// The build's last step (esbuild.mjs): run a command, then write what V8 compiled during it.
const writeTo = process.env.PACE_WRITE_CODE_CACHE;
if (writeTo) {
  process.on('exit', () => {
    const tmp = `${writeTo}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, Buffer.concat([hash, script.createCachedData()]));
    fs.renameSync(tmp, writeTo);
  });
}

const mod = new Module(bundle, module);
mod.filename = bundle;
const run = script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: Module, filename: string, dirname: string) => void;
run.call(mod.exports, mod.exports, createRequire(bundle), mod, bundle, __dirname);
