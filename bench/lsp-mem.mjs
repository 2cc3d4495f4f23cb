// Quick memory probe of the language server, the same round as bench/lsp-bench.mjs's phase B (every
// file of the 1,000-service project opened, every file's diagnostics, 2 s without any, VmRSS), for
// iterating on the server's memory without the whole LSP bench. Not part of `npm run bench`.
//
//   node bench/lsp-mem.mjs [--peer] [--snapshot DIR] [--idle] [--dir DIR] [--runs N] [--edits N] [--settle MS] [--logs] [-- extra node flags]
//
// Prints VmRSS, VmHWM and the server's CPU time at the settle. --snapshot DIR: the server runs with
// --heapsnapshot-signal=SIGUSR2 and writes a heap snapshot to DIR after the settle. --idle: the server on
// an empty folder (start-up memory); --dir: on another folder. --peer: yaml-language-server.
// --edits N: then N full-text edits of the first file (a key misspelled, then restored), each waited for:
// latency, CPU time and VmRSS after them. --settle MS: quiet time before reading (2000, as the bench).
// --logs: the server's window/logMessage lines.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { LspClient, procMemory, sleep } from './lsp-client.mjs';
import { paceProfile, peerProfile } from './lsp-bench.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const work = path.join(root, 'bench', '.work');
const argv = process.argv.slice(2);
const dash = argv.indexOf('--');
const extra = dash >= 0 ? argv.slice(dash + 1) : [];
const args = dash >= 0 ? argv.slice(0, dash) : argv;
const flag = (n) => args.includes(n);
const opt = (n) => (args.includes(n) ? args[args.indexOf(n) + 1] : undefined);
const runs = Number(opt('--runs') ?? 1);
const snapshotDir = opt('--snapshot');

const p = flag('--peer') ? peerProfile(root, work) : paceProfile(root, work);
const nodeArgs = [...(snapshotDir ? ['--heapsnapshot-signal=SIGUSR2', `--diagnostic-dir=${snapshotDir}`] : []), ...extra];
p.args = [...nodeArgs, ...p.args];
const uriOf = (f) => pathToFileURL(f).href;
/** User + system CPU time of a process so far, in ms. */
const cpuMs = (pid) => {
  const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(f[11]) + Number(f[12])) * 10; // clock ticks (100 Hz)
};

async function once() {
  const dir = flag('--idle') ? fs.mkdtempSync(path.join(os.tmpdir(), 'lsp-mem-')) : opt('--dir') ? path.resolve(opt('--dir')) : p.projectDir;
  const t0 = performance.now();
  const c = new LspClient({ name: p.name, command: p.command, args: p.args, cwd: dir, settings: p.settings });
  const logs = [];
  const onMessage = c.onMessage.bind(c);
  c.onMessage = (msg, t) => (msg.method === 'window/logMessage' && logs.push(msg.params.message), onMessage(msg, t));
  await c.initialize(dir, uriOf(dir));
  try {
    const files = fs.readdirSync(dir).filter((f) => f.endsWith(p.ext)).sort().map((f) => path.join(dir, f));
    const waits = files.map((f) => c.diagnostics(uriOf(f), t0, { timeoutMs: 120000 }));
    for (const f of files) c.notify('textDocument/didOpen', { textDocument: { uri: uriOf(f), languageId: p.languageId, version: 1, text: fs.readFileSync(f, 'utf8') } });
    await Promise.all(waits);
    await c.barrier();
    const tDiag = performance.now() - t0;
    while (performance.now() - Math.max(c.lastDiagnosticsAt, t0) < Number(opt("--settle") ?? 2000)) await sleep(100);
    const m = procMemory(c.pid);
    const cpu = cpuMs(c.pid);
    if (flag('--logs')) console.log(logs.join('\n'));
    console.log(`${p.name}: ${files.length} files, diagnostics ${Math.round(tDiag)} ms; RSS ${m.rssMB} MB, peak ${m.hwmMB} MB; CPU ${cpu} ms`);
    if (flag('--edits') && files.length) {
      // Edits to the first file, each waited for: a value changed (valid), then a key misspelled (reported).
      const f = files[0];
      let text = fs.readFileSync(f, 'utf8');
      const uri = uriOf(f);
      const sites = p.valueSites(text);
      const lat = [];
      let version = 1;
      const cpu0 = cpuMs(c.pid);
      for (let k = 0; k < Number(opt('--edits')); k++) {
        const s = sites[(k * 7919) % sites.length];
        const bad = k % 2 === 0;
        const next = bad ? text.slice(0, s.keyOff) + p.misspell + text.slice(s.keyOff + s.keyLen) : text;
        const ts = performance.now();
        c.notify('textDocument/didChange', { textDocument: { uri, version: ++version }, contentChanges: [{ text: next }] });
        for (;;) {
          const d = await c.diagnostics(uri, ts, { timeoutMs: 30000 });
          if (bad ? d.diagnostics.some((x) => p.invalidMessage.test(x.message)) : d.diagnostics.length === 0) break;
        }
        lat.push(performance.now() - ts);
        await sleep(20);
      }
      lat.sort((a, b) => a - b);
      const m2 = procMemory(c.pid);
      console.log(`edits: p50 ${lat[Math.floor(lat.length / 2)].toFixed(1)} ms, p90 ${lat[Math.floor(lat.length * 0.9)].toFixed(1)} ms; CPU ${cpuMs(c.pid) - cpu0} ms; RSS after ${m2.rssMB} MB, peak ${m2.hwmMB} MB`);
    }
    if (process.env.MEMHOOK) {
      process.kill(c.pid, 'SIGWINCH');
      await c.barrier();
      await sleep(200);
      console.log(fs.readFileSync(`/tmp/memstat-${c.pid}.txt`, 'utf8'));
    }
    if (snapshotDir) {
      const before = new Set(fs.readdirSync(snapshotDir));
      process.kill(c.pid, 'SIGUSR2');
      for (let i = 0; i < 600; i++) {
        await sleep(100);
        const now = fs.readdirSync(snapshotDir).filter((f) => !before.has(f) && f.endsWith('.heapsnapshot'));
        if (now.length) {
          const f = path.join(snapshotDir, now[0]);
          await c.request('pace-bench/barrier', null, 600000).catch(() => undefined); // the snapshot is written on the server's thread
          let size = -1;
          while (size !== fs.statSync(f).size || size === 0) (size = fs.statSync(f).size), await sleep(500);
          console.log(`snapshot ${f}`);
          break;
        }
      }
    }
    return m;
  } finally {
    await c.stop();
  }
}

const all = [];
for (let i = 0; i < runs; i++) all.push(await once());
if (runs > 1) console.log(`median RSS ${all.map((m) => m.rssMB).sort((a, b) => a - b)[Math.floor(runs / 2)]} MB`);
