// Editor latency and memory of a language server, driven over stdio by bench/lsp-client.mjs. The same
// scenario runs against Pace's server (on the Pace workload) and yaml-language-server (on its OpenSLO
// twin), one after the other in the same bench run:
//
// A. a fresh server whose workspace folder holds only the big file (~10,000 Pace lines):
//    - cold open: the server is started and, right after `initialized`, the file is opened with one
//      misspelled key; the figure runs from process start to the first publishDiagnostics that reports
//      it (so it covers start-up, any indexing of the folder, and checking the opened text);
//    - edits: EDITS didChange notifications (incremental when the server asks for it), alternating a
//      valid edit (an objective value changes; the misspelling left by the previous edit is undone in
//      the same didChange) and an invalid one (an SLO's objective key misspelled). Latency = didChange
//      sent → the first publishDiagnostics for the file that says the right thing: 0 diagnostics for a
//      valid edit, at least one naming the misspelled key for an invalid one (so validation is known to
//      run). The next edit waits for it;
//    - completion right after an edit: COMPLETIONS times, insert a blank indented line inside an SLO and
//      send textDocument/completion at it at once; latency = didChange sent → completion answer (so a
//      server that must re-analyse first pays for it). Then the server is let finish that version.
// B. a fresh server whose workspace folder is the whole project (1,000 services): didOpen every file,
//    wait until each has had its publishDiagnostics (counted from process start: a server that indexes
//    the folder publishes before the files are opened), then 2 s without any; VmRSS and VmHWM from
//    /proc/PID/status. Then one misspelled key in the first file must be reported, or the figure is not
//    taken for a checking server's.
// Every part that fails (server missing, a request unsupported, no diagnostics) is reported with its
// reason instead of stopping the bench.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { LspClient, procMemory, sleep } from './lsp-client.mjs';

const uriOf = (f) => pathToFileURL(f).href;
/** BENCH_SERVER_CPU_PROF=DIR: run the servers under `node --cpu-prof` (profiles written to DIR at exit). */
const nodeFlags = process.env.BENCH_SERVER_CPU_PROF ? ['--cpu-prof', '--cpu-prof-interval', '250', '--cpu-prof-dir', process.env.BENCH_SERVER_CPU_PROF] : [];

/** A mirror of an open document: applies edits given by offsets and yields LSP content changes. */
class Doc {
  constructor(uri, text) {
    this.uri = uri;
    this.text = text;
    this.version = 1;
  }
  position(off) {
    let line = 0, last = 0;
    for (let i = this.text.indexOf('\n'); i >= 0 && i < off; i = this.text.indexOf('\n', i + 1)) line++, (last = i + 1);
    return { line, character: off - last };
  }
  /** Applies one edit to the mirror; returns its LSP change (range relative to the text before it). */
  edit(off, len, newText) {
    const change = { range: { start: this.position(off), end: this.position(off + len) }, rangeLength: len, text: newText };
    this.text = this.text.slice(0, off) + newText + this.text.slice(off + len);
    return change;
  }
}

export function paceProfile(root, work) {
  const big = path.join(work, 'pace', 'big', 'big.pace');
  return {
    name: 'Pace',
    command: process.execPath,
    args: [...nodeFlags, path.join(root, 'server', 'out', 'server.cjs'), '--stdio'],
    serverFile: path.join(root, 'server', 'out', 'server.cjs'),
    languageId: 'pace',
    bigFile: big,
    projectDir: path.join(work, 'pace', 'project-1000'),
    ext: '.pace',
    settings: { pace: { trace: { server: 'off' }, project: { paths: [] } } },
    // `objective = V%` of every `slo fast` (a latency SLI: outside the availability bound of depends_on).
    valueSites: (t) => [...t.matchAll(/^ {2}slo fast \{\n {4}sli {7}= fast\n {4}(objective) = ([0-9.]+)%$/gm)].map((m) => ({ keyOff: m.index + m[0].length - m[2].length - 4 - 'objective'.length, keyLen: 'objective'.length, valOff: m.index + m[0].length - 1 - m[2].length, valLen: m[2].length })),
    validValue: (k) => (97 + ((k * 13) % 25) / 10).toFixed(1),
    misspell: 'objectiv',
    invalidMessage: /objectiv/,
    completionSites: (t) => [...t.matchAll(/^ {2}slo \w+ \{\n {4}sli {7}= \w+\n/gm)].map((m) => m.index + m[0].length),
    completionLine: '    \n',
    completionColumn: 4,
    expectedCompletions: ['objective', 'window', 'alerting', 'description', 'labels'],
    publishesEveryChange: false, // publishes a file's diagnostics only when they changed
  };
}

export function peerProfile(root, work) {
  const big = path.join(work, 'openslo', 'big', 'big.yaml');
  const schema = path.join(work, 'openslo', 'openslo.folded.schema.json');
  return {
    name: 'yaml-language-server',
    command: process.execPath,
    args: [...nodeFlags, path.join(root, 'node_modules', 'yaml-language-server', 'bin', 'yaml-language-server'), '--stdio'],
    serverFile: path.join(root, 'node_modules', 'yaml-language-server', 'bin', 'yaml-language-server'),
    languageId: 'yaml',
    bigFile: big,
    projectDir: path.join(work, 'openslo', 'project-1000'),
    ext: '.yaml',
    settings: {
      yaml: {
        // ylsp prefixes `**/` and matches the file's URI with picomatch, whose `**` skips dot folders such
        // as .work/: so the folder is spelled out, from the root.
        schemas: { [uriOf(schema)]: ['*.yaml', `${path.join(work, 'openslo').replace(/^\//, '')}/**/*.yaml`] },
        validate: true,
        completion: true,
        hover: true,
        schemaStore: { enable: false }, // offline, and not part of the workload
      },
    },
    valueSites: (t) => [...t.matchAll(/^ {2}(objectives):\n {4}- target: ([0-9.]+)$/gm)].map((m) => ({ keyOff: m.index + 2, keyLen: 'objectives'.length, valOff: m.index + m[0].length - m[2].length, valLen: m[2].length })),
    validValue: (k) => (0.9 + ((k * 13) % 97) / 1000).toFixed(3),
    misspell: 'objectivs',
    invalidMessage: /objectives/,
    completionSites: (t) => [...t.matchAll(/^ {2}budgetingMethod: \w+\n/gm)].map((m) => m.index + m[0].length),
    completionLine: '  \n',
    completionColumn: 2,
    expectedCompletions: ['description', 'indicatorRef', 'alertPolicies'],
    publishesEveryChange: true, // validates (after a 200 ms debounce) and publishes after every change
  };
}

export const stats = (xs) => {
  if (!xs.length) return undefined;
  const s = [...xs].sort((a, b) => a - b), n = s.length;
  const q = (p) => s[Math.min(n - 1, Math.max(0, Math.ceil(p * n) - 1))]; // nearest rank
  const r = (x) => Math.round(x * 10) / 10;
  return { n, min: r(s[0]), p50: r(q(0.5)), p90: r(q(0.9)), p99: r(q(0.99)), max: r(s[n - 1]) };
};

async function startServer(p, rootDir) {
  const t0 = performance.now();
  const c = new LspClient({ name: p.name, command: p.command, args: p.args, cwd: rootDir, settings: p.settings });
  c.spawnedAt = t0;
  await c.initialize(rootDir, uriOf(rootDir));
  c.initializeMs = performance.now() - t0;
  return c;
}

/** Waits for the first publishDiagnostics for doc after t that satisfies ok(diagnostics). */
async function diagnosticsWhere(c, doc, t, ok, timeoutMs) {
  const deadline = t + timeoutMs;
  let after = t, seen = 0;
  for (;;) {
    const left = deadline - performance.now();
    const fail = () => new Error(`${c.name}: no fitting diagnostics within ${timeoutMs} ms (${seen} publishes for the file did not say the right thing)`);
    if (left <= 0) throw fail();
    let d;
    try {
      d = await c.diagnostics(doc.uri, after, { timeoutMs: left });
    } catch (e) {
      throw c.exited ? e : fail();
    }
    if (d.version !== undefined && d.version !== null && d.version < doc.version) {
      after = d.t + 0.001;
      continue;
    }
    if (ok(d.diagnostics)) return { ...d, misfits: seen };
    seen++;
    after = d.t + 0.001;
  }
}

function sendChanges(c, doc, changes) {
  doc.version++;
  const contentChanges = c.syncKind === 2 ? changes : [{ text: doc.text }];
  c.notify('textDocument/didChange', { textDocument: { uri: doc.uri, version: doc.version }, contentChanges });
}

async function phaseA(p, o, res, log) {
  const dir = path.dirname(p.bigFile);
  const text = fs.readFileSync(p.bigFile, 'utf8');
  const doc = new Doc(uriOf(p.bigFile), text);
  res.bigFile = { file: path.basename(p.bigFile), lines: text.split('\n').length - 1, bytes: Buffer.byteLength(text) };
  // The file is opened with one misspelled key (not the text on disk), so that its first diagnostics
  // prove the server checked what was opened (a server that indexed the folder must re-check it).
  const planted = p.valueSites(text)[Math.floor(p.valueSites(text).length / 2)];
  let pendingRevert = { off: planted.keyOff, key: text.slice(planted.keyOff, planted.keyOff + planted.keyLen) }; // the misspelling the next edit undoes
  doc.edit(planted.keyOff, planted.keyLen, p.misspell);
  const invalidOk = (ds) => ds.some((x) => p.invalidMessage.test(x.message));

  const c = await startServer(p, dir);
  res.pid = c.pid;
  res.serverInfo = c.serverInfo;
  res.initializeMs = Math.round(c.initializeMs);
  res.syncKind = c.syncKind === 2 ? 'incremental' : 'full';
  res.completionProvider = !!c.capabilities.completionProvider;
  try {
    // Cold open: process start → the first diagnostics of the opened file that report the planted error.
    try {
      const t0 = performance.now();
      c.notify('textDocument/didOpen', { textDocument: { uri: doc.uri, languageId: p.languageId, version: doc.version, text: doc.text } });
      const d = await diagnosticsWhere(c, doc, t0, invalidOk, o.timeoutMs);
      res.coldOpen = { ms: Math.round((d.t - c.spawnedAt) * 10) / 10, fromDidOpenMs: Math.round((d.t - t0) * 10) / 10, diagnostics: d.diagnostics.length, sample: d.diagnostics.slice(0, 2).map((x) => `${x.range.start.line + 1}: ${x.message}`) };
      res.validates = true;
      log(`${p.name}: cold start + open of ${res.bigFile.lines} lines → diagnostics in ${res.coldOpen.ms} ms (${res.coldOpen.fromDidOpenMs} ms after didOpen; ${res.coldOpen.diagnostics} diagnostics)`);
    } catch (e) {
      res.coldOpen = { error: e.message };
      res.validates = false;
      throw e; // nothing else can be measured on this file
    }
    res.memAfterOpen = procMemory(c.pid);
    await sleep(300);

    // Edits.
    try {
      const edits = [];
      for (let k = 1; k <= o.edits; k++) {
        const changes = [];
        const valid = k % 2 === 1;
        if (pendingRevert) {
          changes.push(doc.edit(pendingRevert.off, p.misspell.length, pendingRevert.key));
          pendingRevert = undefined;
        }
        const sites = p.valueSites(doc.text);
        if (sites.length < 10) throw new Error(`only ${sites.length} edit sites in ${p.bigFile}`);
        const s = sites[(k * 7919) % sites.length];
        if (valid) {
          let v = p.validValue(k);
          if (v === doc.text.slice(s.valOff, s.valOff + s.valLen)) v = p.validValue(k + 1);
          changes.push(doc.edit(s.valOff, s.valLen, v));
        } else {
          pendingRevert = { off: s.keyOff, key: doc.text.slice(s.keyOff, s.keyOff + s.keyLen) };
          changes.push(doc.edit(s.keyOff, s.keyLen, p.misspell));
        }
        const ts = performance.now();
        sendChanges(c, doc, changes);
        const ok = valid ? (ds) => ds.length === 0 : (ds) => ds.some((x) => p.invalidMessage.test(x.message));
        const d = await diagnosticsWhere(c, doc, ts, ok, o.timeoutMs);
        edits.push({ k, valid, ms: d.t - ts, diagnostics: d.diagnostics.length, misfits: d.misfits });
        if (!valid && !res.invalidSample) res.invalidSample = d.diagnostics.slice(0, 3).map((x) => `${x.range.start.line + 1}:${x.range.start.character + 1} ${x.message}`);
        await sleep(20);
      }
      if (pendingRevert) {
        const ts = performance.now();
        sendChanges(c, doc, [doc.edit(pendingRevert.off, p.misspell.length, pendingRevert.key)]);
        await diagnosticsWhere(c, doc, ts, (ds) => ds.length === 0, o.timeoutMs);
      }
      res.edits = stats(edits.map((e) => e.ms));
      res.editsValid = stats(edits.filter((e) => e.valid).map((e) => e.ms));
      res.editsInvalid = stats(edits.filter((e) => !e.valid).map((e) => e.ms));
      res.editMisfits = edits.reduce((n, e) => n + e.misfits, 0);
      res.editSamples = edits.map((e) => Math.round(e.ms * 10) / 10);
      log(`${p.name}: ${o.edits} edits → diagnostics p50 ${res.edits.p50} ms, p99 ${res.edits.p99} ms`);
    } catch (e) {
      res.editsError = e.message;
      log(`${p.name}: edits failed: ${e.message}`);
    }
    res.memAfterEdits = procMemory(c.pid);

    // Completion right after an edit.
    try {
      if (!c.capabilities.completionProvider) throw new Error('the server does not offer completion');
      const samples = [];
      const sites = p.completionSites(doc.text);
      if (sites.length < 10) throw new Error(`only ${sites.length} completion sites`);
      for (let i = 0; i < o.completions; i++) {
        // Sites move as blank lines go in; recount each time.
        const here = p.completionSites(doc.text);
        const off = here[(i * 104729 + 11) % here.length];
        const change = doc.edit(off, 0, p.completionLine);
        const pos = { line: change.range.start.line, character: p.completionColumn };
        const ts = performance.now();
        sendChanges(c, doc, [change]);
        const r = await c.request('textDocument/completion', { textDocument: { uri: doc.uri }, position: pos, context: { triggerKind: 1 } }, o.timeoutMs);
        const items = Array.isArray(r.result) ? r.result : r.result?.items ?? [];
        if (!items.length) throw new Error(`completion at ${pos.line + 1}:${pos.character + 1} returned no items`);
        if (i === 0) {
          res.completionLabels = items.map((x) => x.label).slice(0, 30);
          res.completionExpected = p.expectedCompletions.filter((l) => res.completionLabels.includes(l));
          if (!res.completionExpected.length) throw new Error(`completion inside an SLO offers none of ${p.expectedCompletions.join(', ')}: ${res.completionLabels.join(', ')}`);
        }
        samples.push(r.t - ts);
        // Let the server finish with this version before the next round: a server that publishes after
        // every change is waited for; one that publishes only what changed (Pace) is idle once it
        // answers a request sent after the change.
        if (p.publishesEveryChange) await diagnosticsWhere(c, doc, ts, (ds) => ds.length === 0, o.timeoutMs);
        else await c.barrier();
        await sleep(20);
      }
      res.completion = stats(samples);
      res.completionSamples = samples.map((x) => Math.round(x * 10) / 10);
      log(`${p.name}: ${o.completions} completions right after an edit p50 ${res.completion.p50} ms, p99 ${res.completion.p99} ms`);
    } catch (e) {
      res.completionError = e.message;
      log(`${p.name}: completion failed: ${e.message}`);
    }
  } finally {
    await c.stop();
  }
}

async function phaseB(p, o, res, log) {
  const c = await startServer(p, p.projectDir);
  try {
    const t0 = c.spawnedAt; // a server that indexes its folder may publish before the files are opened
    const files = fs.readdirSync(p.projectDir).filter((f) => f.endsWith(p.ext)).sort().map((f) => path.join(p.projectDir, f));
    const waits = files.map((f) => c.diagnostics(uriOf(f), t0, { timeoutMs: o.projectTimeoutMs }).then((d) => d, (e) => ({ error: e.message })));
    let lines = 0;
    const tOpen = performance.now();
    for (const f of files) {
      const text = fs.readFileSync(f, 'utf8');
      lines += text.split('\n').length - 1;
      c.notify('textDocument/didOpen', { textDocument: { uri: uriOf(f), languageId: p.languageId, version: 1, text } });
    }
    const got = await Promise.all(waits);
    await c.barrier();
    const missing = got.filter((g) => g.error).length;
    const ok = got.filter((g) => !g.error);
    const dirty = ok.filter((g) => g.diagnostics.length).length;
    // Settle: 2 s without any publishDiagnostics.
    while (performance.now() - Math.max(c.lastDiagnosticsAt, t0) < 2000) await sleep(100);
    res.project = {
      files: files.length,
      lines,
      allDiagnosticsMs: ok.length ? Math.round(Math.max(...ok.map((g) => g.t)) - t0) : undefined,
      openMs: Math.round(performance.now() - tOpen),
      filesWithoutDiagnostics: missing,
      filesWithProblems: dirty,
      ...procMemory(c.pid),
    };
    if (missing) res.project.note = `${missing} of ${files.length} files never got publishDiagnostics`;
    // Is it really checking? A misspelled key in the first file must be reported.
    const first = files[0];
    const doc = new Doc(uriOf(first), fs.readFileSync(first, 'utf8'));
    const site = p.valueSites(doc.text)[0];
    const ts = performance.now();
    sendChanges(c, doc, [doc.edit(site.keyOff, site.keyLen, p.misspell)]);
    try {
      await diagnosticsWhere(c, doc, ts, (ds) => ds.some((x) => p.invalidMessage.test(x.message)), o.timeoutMs);
      res.project.validates = true;
    } catch (e) {
      res.project.validates = false;
      res.project.note = `${res.project.note ? `${res.project.note}; ` : ''}a misspelled key was not reported (${e.message})`;
    }
    if (dirty) res.project.sample = ok.find((g) => g.diagnostics.length).diagnostics.slice(0, 2).map((x) => x.message);
    log(`${p.name}: ${files.length} files (${lines} lines) open: every file's diagnostics ${res.project.allDiagnosticsMs} ms after process start; RSS ${res.project.rssMB} MB, peak ${res.project.hwmMB} MB${missing ? `; ${res.project.note}` : ''}`);
  } finally {
    await c.stop();
  }
}

/** Runs both phases for one server; never throws: failures are in the result. */
export async function runLspBench(p, o, log = console.log) {
  const res = { server: p.name };
  if (!fs.existsSync(p.serverFile)) {
    res.unavailable = `${p.name === 'Pace' ? 'not built' : 'not installed'} (${path.relative(process.cwd(), p.serverFile)} is missing)`;
    log(`${p.name}: ${res.unavailable}`);
    return res;
  }
  try {
    await phaseA(p, o, res, log);
  } catch (e) {
    res.phaseAError = e.message;
    log(`${p.name}: ${e.message}`);
  }
  try {
    await phaseB(p, o, res, log);
  } catch (e) {
    res.phaseBError = e.message;
    log(`${p.name}: ${e.message}`);
  }
  return res;
}
