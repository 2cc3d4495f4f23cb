// `npm run fuzz -- --iterations N [--seed S] [--from F] [--seconds T] [--jobs J] [--out DIR]`: runs
// the fuzzing harness (test/fuzz/harness.ts, bundled once with esbuild) over the N inputs F, F + 1,
// …, F + N - 1 of the seed (F defaults to 0) or T seconds, whichever ends first. With --jobs J, J worker threads share the iterations of the one seed: worker k takes
// iterations F + k, F + k + J, F + k + 2J, …, so a failure is still reproduced by (seed, iteration) alone, and a
// run cut short by --seconds has covered about the first inputs of every slice. The summary says
// up to which iteration every input was covered, and the --from that continues the run exactly. The main thread
// merges the workers' counts. Prints inputs/s and every distinct failure with its seed and
// iteration; each failure's input, and a minimal reproduction, are written under DIR (default
// .tmp/fuzz). Exit code 1 when anything new failed.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';

const root = path.join(path.dirname(new URL(import.meta.url).pathname), '..');
const bundle = path.join(root, '.tmp/fuzz-harness.cjs');

if (isMainThread) await main();
else work(workerData);

async function main() {
  const args = process.argv.slice(2);
  const opt = (name, dflt) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : dflt;
  };
  const iterations = Number(opt('iterations', '10000'));
  const from = Number(opt('from', '0'));
  const seed = Number(opt('seed', String(Date.now() % 1_000_000)));
  const seconds = Number(opt('seconds', '600'));
  const jobs = Number(opt('jobs', '1'));
  const outDir = path.resolve(root, opt('out', '.tmp/fuzz'));
  if (![iterations, seed, seconds].every(Number.isFinite) || !Number.isInteger(jobs) || jobs < 1 || !Number.isInteger(from) || from < 0) {
    console.error('usage: npm run fuzz -- --iterations N [--seed S] [--from F] [--seconds T] [--jobs J] [--out DIR]');
    process.exit(2);
  }

  const esbuild = await import('esbuild');
  await esbuild.build({
    entryPoints: [path.join(root, 'test/fuzz/harness.ts')],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    logLevel: 'warning',
    outfile: bundle,
  });

  const samplesDir = path.join(root, 'samples');
  const samples = readdirSync(samplesDir)
    .filter((f) => f.endsWith('.pace'))
    .map((f) => readFileSync(path.join(samplesDir, f), 'utf8'));
  for (const f of readdirSync(path.join(samplesDir, 'broken'))) if (f.endsWith('.pace')) samples.push(readFileSync(path.join(samplesDir, 'broken', f), 'utf8'));

  const end = from + iterations;
  console.log(`fuzz: seed ${seed}, iterations ${from} to ${end - 1} or ${seconds} s, ${jobs} job${jobs === 1 ? '' : 's'}, ${samples.length} samples`);
  const start = Date.now();
  const deadline = start + seconds * 1000;
  const seen = new Map();
  const known = new Map();
  const progress = Array.from({ length: jobs }, (_, k) => ({ done: 0, clean: 0, failing: 0, next: from + k }));
  const total = (k) => progress.reduce((a, p) => a + p[k], 0);
  const knownTotal = () => [...known.values()].reduce((a, b) => a + b, 0);

  const onFailure = (m) => {
    if (m.bug) {
      known.set(m.bug, (known.get(m.bug) ?? 0) + 1);
      return;
    }
    const prior = seen.get(m.key);
    if (prior) {
      prior.count++;
      if (m.i < prior.i) prior.i = m.i;
      return;
    }
    mkdirSync(outDir, { recursive: true });
    const name = `fail-${seen.size + 1}`;
    writeFileSync(path.join(outDir, `${name}.input.pace`), m.input);
    writeFileSync(path.join(outDir, `${name}.min.pace`), m.small);
    seen.set(m.key, { count: 1, i: m.i, name });
    console.log(`\nFAIL ${m.key}\n  seed ${seed} iteration ${m.i}: ${path.relative(root, path.join(outDir, name))}.{input,min}.pace\n  ${m.message.split('\n').join('\n  ')}`);
  };

  const report = setInterval(() => {
    const s = (Date.now() - start) / 1000;
    console.log(`  ${total('done')} inputs, ${Math.round(total('done') / s)}/s, ${seen.size} distinct new failures, ${knownTotal()} known-bug failures`);
  }, 10_000);

  let interrupted = false;
  const workers = Array.from({ length: jobs }, (_, k) => new Worker(new URL(import.meta.url), { workerData: { bundle, seed, from, end, deadline, k, jobs, samples } }));
  // Ctrl-C (or a kill) stops the workers; the summary then says how far the run got.
  const stop = () => {
    interrupted = true;
    for (const w of workers) w.postMessage('stop');
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  await Promise.all(
    workers.map(
      (w, k) =>
        new Promise((resolve, reject) => {
          w.on('message', (m) => {
            if (m.type === 'progress') progress[k] = m;
            else if (m.type === 'failure') {
              progress[k] = m.progress;
              onFailure(m);
            }
          });
          w.on('error', reject);
          w.on('exit', resolve);
        }),
    ),
  );
  clearInterval(report);

  const secs = (Date.now() - start) / 1000;
  const done = total('done');
  console.log(
    `\nfuzz: ${done} inputs in ${secs.toFixed(1)} s (${Math.round(done / secs)} inputs/s), seed ${seed}, ${jobs} job${jobs === 1 ? '' : 's'}${interrupted ? ', interrupted' : ''}; ${total('clean')} checked without errors; ${total('failing')} inputs with a failure (known bugs included), ${seen.size} distinct new failures`,
  );
  // Every iteration below `covered` ran: worker k's next iteration is the first it did not run.
  const covered = Math.min(end, ...progress.map((p) => p.next));
  console.log(`  every iteration from ${from} to ${covered - 1} ran (${covered - from} inputs)${covered < end ? `; continue with --seed ${seed} --from ${covered} --iterations ${end - covered}` : ''}`);
  for (const [key, v] of seen) console.log(`  ${v.count}x ${key} (first at iteration ${v.i}, ${v.name})`);
  for (const [bug, n] of known) console.log(`  known bug, not counted as a new failure: ${n}x ${bug}`);
  process.exit(seen.size ? 1 : 0);
}

/** One worker: iterations from + k, from + k + jobs, … of the seed, until `end` or the deadline. */
function work({ bundle, seed, from, end, deadline, k, jobs, samples }) {
  const h = createRequire(import.meta.url)(bundle);
  let stopped = false;
  parentPort.on('message', (m) => {
    if (m === 'stop') stopped = true;
  });
  const p = { type: 'progress', done: 0, clean: 0, failing: 0, next: from + k };
  const shrunk = new Set();
  let last = Date.now();
  // Runs in slices of about a second, so that a 'stop' message is seen between them.
  const slice = (i) => {
    const until = Date.now() + 1000;
    for (; i < end && Date.now() < deadline && Date.now() < until && !stopped; i += jobs) {
      const input = h.inputFor(seed, i, samples);
      const { failures, clean } = h.runOne(input);
      p.done++;
      p.next = i + jobs;
      if (clean) p.clean++;
      if (failures.length) p.failing++;
      for (const f of failures) {
        const bug = h.knownBug(input, f);
        const key = h.failureKey(f);
        // Each worker shrinks the first input of each failure it meets; the main thread keeps the first it hears of.
        const first = !bug && !shrunk.has(key);
        if (first) shrunk.add(key);
        parentPort.postMessage({ type: 'failure', progress: { ...p }, i, key, bug, message: f.message, input: first ? input : '', small: first ? h.minimize(input, key) : '' });
      }
    }
    if (Date.now() - last > 2000) {
      last = Date.now();
      parentPort.postMessage({ ...p });
    }
    if (i < end && Date.now() < deadline && !stopped) setImmediate(() => slice(i));
    else {
      parentPort.postMessage({ ...p });
      parentPort.close();
    }
  };
  slice(from + k);
}
