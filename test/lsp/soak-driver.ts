// The language-server soak (issue 10): the bundled server (server/out/server.cjs --stdio) driven by a
// bare JSON-RPC client over its pipes, with a seeded stream of edits, requests and abuse, on the 50-file
// project of soak-workspace.ts. Used by test/lsp/soak.test.ts (a short seeded run in CI) and by
// scripts/soak.mjs (the long run, `--edits 10000`). What it checks is in docs/robustness.md
// ("Language-server soak"); in short:
//   - the process never exits;
//   - every request is answered (a result or a JSON-RPC error) within `requestTimeoutMs`;
//   - no handler fails (the server logs "Pace: <method> failed" when one throws) on well-formed input;
//   - the server's live data (heap and external memory after two full collections, less compiled
//     code; read by soak-probe.cjs) after the soak is within 10% of what it was after a warm-up (both
//     after the same work, idle); compiled code and VmRSS are measured beside it, for information;
//   - the diagnostics last published for every file equal a cold `pace check --format json` of the
//     files as they are on disk after the final buffers were written there.
// A bare client (not vscode-jsonrpc) because it must send what a library would refuse to: bad JSON in a
// well-framed message, a message without `method`, wrong parameter types.
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { TextDocument, type TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';
import { KEYWORDS } from '../../grammar/src/tokens.js';
import { ROOT, writeSoakWorkspace } from './soak-workspace.js';

export interface SoakOptions {
  readonly seed: number;
  /** Edits after the warm-up (didChange notifications, each burst counting its 50, and files created or deleted on disk). */
  readonly edits: number;
  /** Edits of the warm-up (the same mix, its own seed), played before the soak and again after it, each time followed by a memory figure. */
  readonly warmupEdits?: number;
  /** The repository (where server/out/ is). */
  readonly root?: string;
  /** The server bundle (default: server/out/server.cjs of `root`). */
  readonly server?: string;
  /** How long a request may wait for its answer. */
  readonly requestTimeoutMs?: number;
  /** How long VmRSS is read (its minimum taken) once the server is idle (default 2 s). */
  readonly idleMs?: number;
  /**
   * Node flags for the server. Default: --predictable-gc-schedule, V8's fixed GC schedule (a fixed heap
   * growing factor and young generation, no memory reducer), so that VmRSS follows what the server
   * keeps rather than how V8 sized its heap; see `memory` and docs/robustness.md. VS Code's flags are
   * `--max-semi-space-size=32`.
   */
  readonly nodeArgs?: readonly string[];
  readonly progress?: (message: string) => void;
  /** Keep the temporary folder (its path is in the result). */
  readonly keep?: boolean;
}

export interface Mismatch {
  readonly file: string;
  readonly server: string[];
  readonly cli: string[];
}

export interface SoakResult {
  readonly seed: number;
  readonly dir: string;
  readonly edits: number;
  readonly warmupEdits: number;
  readonly counts: Record<string, number>;
  readonly requests: number;
  readonly answered: number;
  /** Answers that were JSON-RPC errors, by code. */
  readonly errorCodes: Record<string, number>;
  /** Requests not answered in time (method and id). */
  readonly unanswered: string[];
  /** Positions in answers (and publications) that lie outside their documents as the client has them. */
  readonly badRanges: string[];
  /** Answers to requests that were well formed, but were errors the server should not give. */
  readonly wrongErrors: string[];
  /** "Pace: … failed" lines the server logged (a handler threw) after well-formed input. */
  readonly handlerFailures: string[];
  /** The same, after the malformed requests (expected: the guard answers them). */
  readonly malformedFailures: number;
  /** Every distinct first line the server logged as an error, with how often. */
  readonly serverErrors: Record<string, number>;
  /** VmRSS right after the soak (settled, the same way), before the warm-up is played again: for information. */
  readonly rssEndMB: number;
  /** [edits, VmRSS MB] every second. */
  readonly rssLog: [number, number][];
  /** The server process exited (why), or undefined. */
  readonly exited?: string;
  /** The memory figures: VmRSS after the warm-up, and after the same warm-up played again after the soak (see `memory`). */
  readonly rssWarmMB: number;
  readonly rssAfterMB: number;
  /** rssAfterMB / rssWarmMB - 1: for information (V8's heap sizing moves it by ±10% from run to run). */
  readonly rssGrowth: number;
  /** The live data (heapUsed + external after two full collections, less compiled code; soak-probe.cjs) at the same two points. */
  readonly liveWarmMB: number;
  readonly liveAfterMB: number;
  /** Compiled code (bytecode and machine code) at the same two points: it grows as V8 compiles more of the server. */
  readonly codeWarmMB: number;
  readonly codeAfterMB: number;
  /** liveAfterMB / liveWarmMB - 1: what the soak left behind, the property (< 10%). */
  readonly growth: number;
  readonly hwmMB: number;
  /** CPU time the server used (user and system), all threads. */
  readonly serverCpuMs: number;
  readonly textBytesWarm: number;
  readonly textBytesAfter: number;
  readonly latency: { p50: number; p99: number; max: number };
  readonly durationMs: number;
  readonly soakMs: number;
  /** Files whose last published diagnostics differ from `pace check`'s. */
  readonly mismatches: Mismatch[];
  readonly filesCompared: number;
  readonly diagnosticsCompared: number;
}

// ---------------------------------------------------------------------------------------------
// Seeded randomness
// ---------------------------------------------------------------------------------------------

/** mulberry32: small, fast and good enough to pick edits. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Rng {
  constructor(readonly next: () => number) {}
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)];
  }
  /** One of the keys, by weight. */
  weighted<K extends string>(w: Record<K, number>): K {
    const entries = Object.entries(w) as [K, number][];
    let r = this.next() * entries.reduce((s, [, x]) => s + x, 0);
    for (const [k, x] of entries) if ((r -= x) < 0) return k;
    return entries[entries.length - 1][0];
  }
}

const PUNCT = ['{', '}', '[', ']', '(', ')', '=', ',', '.', '>', '<', '>=', '<=', '"', '`', '/*', '*/', '//', '///', '%', ':', '~', '!~', '=~', '$'];
const VALUES = ['99.9%', '0.999', '30d', '28d', '5m', '1h and 5m', 'calendar month', 'calendar week', '14.4', '"text"', '`raw`', 'true', 'rate(x[5m])', 'http_requests_total{job="x"}', 'critical', 'urgent', '-1', '1e309', '100%', '200%'];
const NAMES = ['checkout', 'payments', 'postgres', 'availability', 'requests', 'fast', 'gen_00', 'gen_01', 'gen_17', 'policy_00', 'policy_40', 'burn_rate_default', 'payments_paging', 'default', 'none', 'nope', 'x'];
const UNICODE = ['😀', 'é', 'Ünïcödé', '\u200b', '\ufeff', '\u0000', '\u2028', '\ud83d', '\udc00', '字', '𝔘', '\t', '\u00a0'];
const NEWLINES = ['\n', '\r\n', '\n\n', '\r\n\r\n'];

/** A random piece of text to insert: tokens of the language, garbage, unicode or line breaks. */
function fragment(r: Rng): string {
  switch (r.weighted({ keyword: 4, punct: 3, value: 3, name: 3, unicode: 1, newline: 2, garbage: 1, line: 2 })) {
    case 'keyword':
      return ' ' + r.pick(KEYWORDS) + ' ';
    case 'punct':
      return r.pick(PUNCT);
    case 'value':
      return ' ' + r.pick(VALUES);
    case 'name':
      return r.pick(NAMES);
    case 'unicode':
      return r.pick(UNICODE).repeat(1 + r.int(3));
    case 'newline':
      return r.pick(NEWLINES);
    case 'garbage': {
      let s = '';
      for (let i = r.int(40); i > 0; i--) s += String.fromCharCode(r.chance(0.9) ? 32 + r.int(95) : r.int(0x3000));
      return s;
    }
    default:
      // A whole attribute line, as a user types one.
      return `\n    ${r.pick(['objective', 'window', 'sli', 'alerting', 'tier', 'owner', 'title', 'depends_on', 'under', 'good', 'total'])} = ${r.pick([...VALUES, ...NAMES])}\n`;
  }
}

// ---------------------------------------------------------------------------------------------
// Ranges in answers: they must lie in the document as the client sees it
// ---------------------------------------------------------------------------------------------

interface Pos {
  line: number;
  character: number;
}

/** The lengths of a text's lines, with LSP's line breaks (\n, \r\n and a lone \r, as TextDocument and VS Code split them). */
export function lineLengths(text: string): number[] {
  const out: number[] = [];
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 13 || ch === 10) {
      out.push(i - start);
      if (ch === 13 && text.charCodeAt(i + 1) === 10) i++;
      start = i + 1;
    }
  }
  out.push(text.length - start);
  return out;
}

const isPos = (p: unknown): p is Pos => !!p && typeof p === 'object' && Number.isInteger((p as Pos).line) && Number.isInteger((p as Pos).character);

function posProblem(lines: number[], p: unknown): string | undefined {
  if (!isPos(p)) return `not a position: ${JSON.stringify(p)}`;
  if (p.line < 0 || p.line >= lines.length) return `line ${p.line} of ${lines.length}`;
  if (p.character < 0 || p.character > lines[p.line]) return `character ${p.character} of line ${p.line} (length ${lines[p.line]})`;
  return undefined;
}

function rangeProblem(lines: number[], r: unknown): string | undefined {
  const { start, end } = (r ?? {}) as { start?: Pos; end?: Pos };
  const e = posProblem(lines, start) ?? posProblem(lines, end);
  if (e) return e;
  if (start!.line > end!.line || (start!.line === end!.line && start!.character > end!.character)) return `start after end: ${JSON.stringify(r)}`;
  return undefined;
}

/**
 * The positions in an answer that do not lie in the document they name (`texts`: the documents as the
 * client had them when it sent the request; others are not checked). `self` is the request's document.
 */
export function answerProblems(method: string, result: unknown, self: string, texts: ReadonlyMap<string, string>): string[] {
  const out: string[] = [];
  const cache = new Map<string, number[]>();
  const linesOf = (uri: string) => {
    const t = texts.get(uri);
    if (t === undefined) return undefined;
    let l = cache.get(uri);
    if (!l) cache.set(uri, (l = lineLengths(t)));
    return l;
  };
  const check = (uri: string, what: string, problem: (l: number[]) => string | undefined) => {
    const l = linesOf(uri);
    const e = l && problem(l);
    if (e) out.push(`${method}: ${what} outside ${uri.split('/').pop()}: ${e}`);
  };
  if (method === 'textDocument/semanticTokens/full' && result && typeof result === 'object') {
    const data = (result as { data?: number[] }).data ?? [];
    let line = 0, ch = 0;
    for (let i = 0; i + 4 < data.length; i += 5) {
      line += data[i];
      ch = data[i] === 0 ? ch + data[i + 1] : data[i + 1];
      const len = data[i + 2];
      check(self, 'a semantic token', (l) => (line >= l.length ? `line ${line} of ${l.length}` : ch + len > l[line] ? `characters ${ch}..${ch + len} of line ${line} (length ${l[line]})` : undefined));
    }
    return out;
  }
  if (method === 'textDocument/foldingRange' && Array.isArray(result)) {
    for (const f of result as { startLine: number; endLine: number }[]) check(self, 'a folding range', (l) => (f.endLine >= l.length || f.startLine > f.endLine ? `lines ${f.startLine}..${f.endLine} of ${l.length}` : undefined));
    return out;
  }
  // Everything else: walk the answer; an object with a uri names the document of the ranges under it,
  // WorkspaceEdit.changes names it by key.
  const walk = (v: unknown, uri: string, key: string) => {
    if (Array.isArray(v)) return v.forEach((x) => walk(x, uri, key));
    if (!v || typeof v !== 'object') return;
    const o = v as Record<string, unknown>;
    const u = typeof o.uri === 'string' ? o.uri : typeof o.targetUri === 'string' ? o.targetUri : typeof (o.textDocument as { uri?: unknown } | undefined)?.uri === 'string' ? (o.textDocument as { uri: string }).uri : uri;
    for (const [k, x] of Object.entries(o)) {
      if (k === 'changes' && x && typeof x === 'object' && !Array.isArray(x)) {
        for (const [cu, edits] of Object.entries(x)) walk(edits, cu, k);
      } else if ((k === 'range' || k === 'selectionRange' || k === 'targetRange' || k === 'targetSelectionRange' || k === 'insert' || k === 'replace') && x && typeof x === 'object' && 'start' in x) {
        check(u, typeof o.code === 'string' ? `${k} of ${o.code}` : k, (l) => rangeProblem(l, x));
        // SelectionRange.parent, nested ranges of symbols: on down.
        walk(x, u, k);
      } else if (k === 'position' && method === 'textDocument/inlayHint') {
        check(u, 'an inlay hint', (l) => posProblem(l, x));
      } else if (k !== 'data' && k !== 'command') walk(x, u, k);
    }
  };
  walk(result, self, '');
  return out;
}

// ---------------------------------------------------------------------------------------------
// A bare JSON-RPC client over the server's pipes
// ---------------------------------------------------------------------------------------------

interface Pending {
  readonly method: string;
  readonly t0: number;
  readonly malformed: boolean;
  readonly cancelled: boolean;
  readonly resolve: (m: RpcMessage | undefined) => void;
  readonly timer: ReturnType<typeof setTimeout>;
  done?: Promise<RpcMessage | undefined>;
  /** The request's document and the documents as the client had them (for answerProblems). */
  texts?: { self: string; texts: ReadonlyMap<string, string> };
}

interface RpcMessage {
  id?: number | string | null;
  method?: string;
  params?: unknown;
  result?: unknown;
  error?: { code: number; message: string };
}

interface Published {
  readonly version?: number;
  readonly diagnostics: { range: { start: { line: number; character: number }; end: { line: number; character: number } }; severity?: number; code?: string | number; message: string }[];
}

function procStatus(pid: number): { rss: number; hwm: number } {
  const t = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+) kB`, 'm').exec(t)?.[1] ?? NaN);
  return { rss: kb('VmRSS') / 1024, hwm: kb('VmHWM') / 1024 };
}

/** CPU time (user + system) of a process, in ms. */
function cpuMs(pid: number): number {
  const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = f.slice(f.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime, stime in clock ticks (100/s)
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

class Client {
  private buf = Buffer.alloc(0);
  private nextId = 0;
  readonly pending = new Map<number | string, Pending>();
  readonly published = new Map<string, Published>();
  readonly logs: { type: number; message: string; malformed: boolean }[] = [];
  stderr = '';
  exited: string | undefined;
  lastMessageAt = Date.now();
  /** Set while only malformed requests are in flight: what the server logs then is theirs. */
  malformedPhase = false;
  readonly latencies: number[] = [];
  readonly errorCodes: Record<string, number> = {};
  readonly unanswered: string[] = [];
  readonly wrongErrors: string[] = [];
  /** Answers with positions outside their documents, and publications with ranges outside theirs. */
  readonly badRanges: string[] = [];
  /** Recent texts of each open document, by version (to check a publication for an older version). */
  readonly history = new Map<string, Map<number, string>>();
  requests = 0;
  answered = 0;

  constructor(
    readonly proc: ChildProcessWithoutNullStreams,
    private readonly timeoutMs: number,
  ) {
    proc.stdout.on('data', (d: Buffer) => this.onData(d));
    proc.stderr.on('data', (d: Buffer) => {
      if (this.stderr.length < 100_000) this.stderr += d.toString();
    });
    proc.stdin.on('error', () => undefined);
    proc.on('exit', (code, sig) => {
      this.exited = `exited with ${sig ?? code}`;
      for (const p of this.pending.values()) {
        clearTimeout(p.timer);
        p.resolve(undefined);
      }
      this.pending.clear();
    });
  }

  private onData(d: Buffer): void {
    this.lastMessageAt = Date.now();
    this.buf = this.buf.length ? Buffer.concat([this.buf, d]) : Buffer.from(d);
    for (;;) {
      const h = this.buf.indexOf('\r\n\r\n');
      if (h < 0) return;
      const m = /Content-Length: *(\d+)/i.exec(this.buf.subarray(0, h).toString('latin1'));
      if (!m) throw new Error(`bad header from the server: ${this.buf.subarray(0, h).toString()}`);
      const len = Number(m[1]);
      if (this.buf.length < h + 4 + len) return;
      const msg = JSON.parse(this.buf.subarray(h + 4, h + 4 + len).toString('utf8')) as RpcMessage;
      this.buf = this.buf.subarray(h + 4 + len);
      this.onMessage(msg);
    }
  }

  private onMessage(msg: RpcMessage): void {
    if (msg.method === undefined && msg.id !== undefined && msg.id !== null) {
      const p = this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id);
      clearTimeout(p.timer);
      this.answered++;
      this.latencies.push(Date.now() - p.t0);
      if (msg.error) {
        this.errorCodes[msg.error.code] = (this.errorCodes[msg.error.code] ?? 0) + 1;
        // Errors a well-formed request may get: cancelled, refused (rename), content modified, and
        // MethodNotFound for pace/generate and unknown methods (sent as malformed).
        const fine = p.cancelled ? [-32800, -32801, -32803] : [-32803, -32801];
        // pace/generate is MethodNotFound (not yet), pace/preview refuses a file of no project (InvalidParams).
        const deliberate = (p.method === 'pace/generate' && msg.error.code === -32601) || (p.method === 'pace/preview' && msg.error.code === -32602);
        if (!p.malformed && !fine.includes(msg.error.code) && !deliberate) {
          this.wrongErrors.push(`${p.method}: ${msg.error.code} ${msg.error.message}`);
        }
      }
      if (!msg.error && p.texts && !p.malformed) this.badRanges.push(...answerProblems(p.method, msg.result, p.texts.self, p.texts.texts));
      p.resolve(msg);
      return;
    }
    if (msg.method !== undefined && msg.id !== undefined) {
      // The server's own requests (registerCapability, refreshes): answered like an editor.
      this.write({ jsonrpc: '2.0', id: msg.id, result: null });
      return;
    }
    if (msg.method === 'textDocument/publishDiagnostics') {
      const p = msg.params as { uri: string } & Published;
      this.published.set(p.uri, { version: p.version, diagnostics: p.diagnostics });
      const text = p.version === undefined || p.version === null ? undefined : this.history.get(p.uri)?.get(p.version);
      if (text !== undefined) this.badRanges.push(...answerProblems('publishDiagnostics', p.diagnostics, p.uri, new Map([[p.uri, text]])));
    } else if (msg.method === 'window/logMessage') {
      const p = msg.params as { type: number; message: string };
      this.logs.push({ type: p.type, message: p.message, malformed: this.malformedPhase });
    }
  }

  /** Writes one framed message (a body that is not JSON, too). */
  writeRaw(body: string | Buffer): void {
    if (this.exited) return;
    const b = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    this.proc.stdin.write(Buffer.concat([Buffer.from(`Content-Length: ${b.length}\r\n\r\n`, 'latin1'), b]));
  }

  write(m: unknown): void {
    this.writeRaw(JSON.stringify(m));
  }

  notify(method: string, params: unknown): void {
    this.write({ jsonrpc: '2.0', method, params });
  }

  /** Sends a request; the promise resolves with its answer, or with undefined when none came in time. */
  request(method: string, params: unknown, o: { malformed?: boolean; cancel?: boolean; id?: number | string; raw?: (id: number | string) => string; texts?: Pending['texts'] } = {}): { id: number | string; done: Promise<RpcMessage | undefined> } {
    const id = o.id ?? ++this.nextId;
    this.requests++;
    const done = new Promise<RpcMessage | undefined>((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        this.unanswered.push(`${method} (id ${JSON.stringify(id)})`);
        resolve(undefined);
      }, this.timeoutMs);
      this.pending.set(id, { method, t0: Date.now(), malformed: !!o.malformed, cancelled: !!o.cancel, resolve, timer });
    });
    this.pending.get(id)!.done = done;
    this.pending.get(id)!.texts = o.texts;
    if (o.raw) this.writeRaw(o.raw(id));
    else this.write({ jsonrpc: '2.0', id, method, params });
    if (o.cancel) this.notify('$/cancelRequest', { id });
    return { id, done };
  }

  /** Waits for every request in flight (answered or timed out). */
  async drain(): Promise<void> {
    while (this.pending.size && !this.exited) await Promise.all([...this.pending.values()].map((p) => p.done));
  }

  /** Waits until the server has been silent for `quietMs` (it has published everything). */
  async idle(quietMs = 500, maxMs = 60_000): Promise<void> {
    const end = Date.now() + maxMs;
    while (Date.now() - this.lastMessageAt < quietMs && Date.now() < end && !this.exited) await sleep(50);
  }
}

// ---------------------------------------------------------------------------------------------
// The soak
// ---------------------------------------------------------------------------------------------

const fileUri = (dir: string, rel: string) => pathToFileURL(path.join(dir, rel)).href;

const REQUESTS = [
  'textDocument/completion',
  'textDocument/hover',
  'textDocument/definition',
  'textDocument/references',
  'textDocument/documentHighlight',
  'textDocument/prepareRename',
  'textDocument/rename',
  'textDocument/codeAction',
  'textDocument/semanticTokens/full',
  'textDocument/documentSymbol',
  'textDocument/formatting',
  'textDocument/rangeFormatting',
  'textDocument/codeLens',
  'textDocument/inlayHint',
  'textDocument/foldingRange',
  'textDocument/selectionRange',
  'workspace/symbol',
  'pace/check',
  'pace/preview',
  'pace/generate',
] as const;

export async function runSoak(opts: SoakOptions): Promise<SoakResult> {
  const root = opts.root ?? ROOT;
  const server = opts.server ?? path.join(root, 'server', 'out', 'server.cjs');
  const cli = path.join(root, 'server', 'out', 'cli.cjs');
  if (!fs.existsSync(server) || !fs.existsSync(cli)) throw new Error(`${server} or ${cli} is missing: build them with \`node esbuild.mjs\``);
  const log = opts.progress ?? (() => undefined);
  // The soak's randomness; the warm-up has its own, so that it can be played again exactly.
  let r = new Rng(prng(opts.seed));
  const t0 = Date.now();
  const { dir, files } = writeSoakWorkspace(root);
  const onDisk = new Set(files); // relative paths of the .pace files on disk now
  const probeOut = path.join(dir, '.soak-probe.json');
  const nodeArgs = [...(opts.nodeArgs ?? ['--predictable-gc-schedule']), '--expose-gc', '--require', path.join(root, 'test/lsp/soak-probe.cjs')];
  const proc = spawn(process.execPath, [...nodeArgs, server, '--stdio'], { cwd: dir, stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, PACE_SOAK_PROBE: probeOut } });
  const c = new Client(proc, opts.requestTimeoutMs ?? 15_000);
  const counts: Record<string, number> = {};
  const count = (k: string, n = 1) => (counts[k] = (counts[k] ?? 0) + n);

  // Open documents: the client's mirror, by uri (TextDocument applies changes as the server's does).
  const open = new Map<string, TextDocument>();
  const relOf = (uri: string) => (uri.startsWith(pathToFileURL(dir).href + '/') ? path.relative(dir, new URL(uri).pathname) : undefined);
  /** How many files have been created on disk (they are named after it). */
  let created = 0;
  const original = new Map(files.map((f) => [f, fs.readFileSync(path.join(dir, f), 'utf8')]));
  const pool = () => [...onDisk];
  let sampler: ReturnType<typeof setInterval> | undefined;

  try {
    await c.request('initialize', {
      processId: process.pid,
      clientInfo: { name: 'pace-soak' },
      rootUri: pathToFileURL(dir).href,
      workspaceFolders: [{ uri: pathToFileURL(dir).href, name: 'soak' }],
      capabilities: {
        workspace: { didChangeWatchedFiles: { dynamicRegistration: true }, workspaceFolders: true, codeLens: { refreshSupport: true }, inlayHint: { refreshSupport: true } },
        textDocument: {
          synchronization: { didSave: true },
          publishDiagnostics: { relatedInformation: true, versionSupport: true, dataSupport: true },
          completion: { completionItem: { snippetSupport: true } },
          rename: { prepareSupport: true },
          documentSymbol: { hierarchicalDocumentSymbolSupport: true },
          codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix'] } }, dataSupport: true },
          semanticTokens: { requests: { full: true }, tokenTypes: [], tokenModifiers: [], formats: ['relative'] },
        },
      },
    }).done;
    if (c.exited) throw new Error(`the server ${c.exited} at start: ${c.stderr}`);
    c.notify('initialized', {});
    await c.idle(500);

    // --- one step of the soak -----------------------------------------------------------------
    let edits = 0;
    const version = new Map<string, number>();
    const remember = (uri: string, v: number, text: string) => {
      let h = c.history.get(uri);
      if (!h) c.history.set(uri, (h = new Map()));
      h.set(v, text);
      if (h.size > 300) h.delete(h.keys().next().value!);
    };
    const openDoc = (rel: string, text?: string, uri = fileUri(dir, rel)) => {
      const t = text ?? (fs.existsSync(path.join(dir, rel)) ? fs.readFileSync(path.join(dir, rel), 'utf8') : '');
      const v = (version.get(uri) ?? 0) + 1;
      version.set(uri, v);
      open.set(uri, TextDocument.create(uri, 'pace', v, t));
      remember(uri, v, t);
      c.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'pace', version: v, text: t } });
      count('didOpen');
    };
    const closeDoc = (uri: string) => {
      open.delete(uri);
      c.notify('textDocument/didClose', { textDocument: { uri } });
      count('didClose');
    };
    const someOpen = (): TextDocument => {
      if (!open.size || (open.size < 12 && r.chance(0.05))) {
        const candidates = pool().filter((f) => !open.has(fileUri(dir, f)));
        if (candidates.length) openDoc(r.pick(candidates));
      }
      return r.pick([...open.values()]);
    };
    /** A random range of a document, kept small. */
    const randomRange = (d: TextDocument): { start: number; end: number } => {
      const len = d.getText().length;
      const start = r.int(len + 1);
      const end = Math.min(len, start + (r.chance(0.5) ? 0 : r.int(r.chance(0.9) ? 12 : 400)));
      return { start, end };
    };
    const change = (d: TextDocument, changes: TextDocumentContentChangeEvent[]) => {
      const v = (version.get(d.uri) ?? d.version) + 1;
      version.set(d.uri, v);
      const next = TextDocument.update(d, changes, v);
      open.set(d.uri, next);
      remember(d.uri, v, next.getText());
      c.notify('textDocument/didChange', { textDocument: { uri: d.uri, version: v }, contentChanges: changes });
      edits++;
    };
    const incremental = (d: TextDocument) => {
      const n = r.chance(0.8) ? 1 : 2 + r.int(3);
      const changes: TextDocumentContentChangeEvent[] = [];
      // Each change's range is in the text left by the ones before it (TextDocument.update changes the
      // document it is given: work on a copy).
      let cur = TextDocument.create(d.uri, d.languageId, d.version, d.getText());
      for (let i = 0; i < n; i++) {
        const { start, end } = randomRange(cur);
        // Keep documents near their size: a grown document is cut more often than it is extended.
        const grown = cur.getText().length > 2 * (original.get(relOf(cur.uri) ?? '')?.length ?? 2000);
        const kind = r.weighted({ insert: grown ? 1 : 5, delete: grown ? 6 : 3, replace: 4 });
        const text = kind === 'delete' ? '' : fragment(r);
        const e = kind === 'insert' ? start : Math.max(end, kind === 'delete' ? Math.min(cur.getText().length, start + 1 + r.int(20)) : end);
        const ch = { range: { start: cur.positionAt(start), end: cur.positionAt(e) }, text };
        changes.push(ch);
        cur = TextDocument.update(cur, [ch], cur.version);
      }
      count('incremental');
      change(d, changes);
    };
    const fullText = (d: TextDocument) => {
      const rel = relOf(d.uri);
      const base = r.chance(0.6) && rel && original.has(rel) ? original.get(rel)! : original.get(r.pick([...original.keys()]))!;
      // The original text, another file's, or one with CRLF line ends.
      const text = r.chance(0.3) ? base.replace(/\n/g, '\r\n') : base;
      count('fullText');
      change(d, [{ text }]);
    };
    const position = (d: TextDocument | undefined) => {
      const wild = r.chance(0.15);
      // Past the end of a line or of the document: well formed (a negative one is not: see 'wrongTypes').
      if (wild || !d) return r.pick([{ line: 1_000_000, character: 0 }, { line: 0, character: 1_000_000 }, { line: 2 ** 31 - 1, character: 5 }, { line: 3, character: 1_000_000 }, { line: 2 ** 31 - 1, character: 2 ** 31 - 1 }]);
      return d.positionAt(r.int(d.getText().length + 1));
    };
    const targetUri = (): { uri: string; d?: TextDocument } => {
      const k = r.weighted({ open: 8, closed: 2, unknown: 1 });
      if (k === 'open' && open.size) {
        const d = r.pick([...open.values()]);
        return { uri: d.uri, d };
      }
      if (k !== 'unknown' && onDisk.size) return { uri: fileUri(dir, r.pick(pool())) };
      return { uri: r.pick(['file:///nowhere/x.pace', 'untitled:Untitled-3', fileUri(dir, 'gone.pace'), 'file:///', 'https://example.com/a.pace', '', 'not a uri']) };
    };
    const paramsFor = (method: (typeof REQUESTS)[number]) => {
      const { uri, d } = targetUri();
      const textDocument = { uri };
      const rangeOf = () => {
        const a = position(d), b = position(d);
        return { start: a, end: b };
      };
      switch (method) {
        case 'textDocument/references':
          return { textDocument, position: position(d), context: { includeDeclaration: r.chance(0.5) } };
        case 'textDocument/rename':
          return { textDocument, position: position(d), newName: r.pick(['renamed', 'gen_99', 'checkout', '', '1bad', 'with space', '😀', 'x'.repeat(300)]) };
        case 'textDocument/codeAction': {
          const diags = c.published.get(uri)?.diagnostics ?? [];
          return { textDocument, range: rangeOf(), context: { diagnostics: diags.slice(0, r.int(4)), ...(r.chance(0.2) ? { only: [r.pick(['quickfix', 'refactor', 'source', ''])] } : {}) } };
        }
        case 'textDocument/semanticTokens/full':
        case 'textDocument/documentSymbol':
        case 'textDocument/codeLens':
        case 'textDocument/foldingRange':
          return { textDocument };
        case 'textDocument/formatting':
          return { textDocument, options: { tabSize: r.pick([2, 4, 0, -1, 100]), insertSpaces: r.chance(0.8) } };
        case 'textDocument/rangeFormatting':
          return { textDocument, range: rangeOf(), options: { tabSize: 2, insertSpaces: true } };
        case 'textDocument/inlayHint':
          return { textDocument, range: rangeOf() };
        case 'textDocument/selectionRange':
          return { textDocument, positions: [position(d), position(d)] };
        case 'workspace/symbol':
          return { query: r.pick(['', 'gen', 'check', 'avail', '😀', '.*', 'x'.repeat(200)]) };
        case 'pace/check':
          return r.chance(0.5) ? {} : { uri };
        case 'pace/preview':
          return { uri, html: r.chance(0.3) };
        case 'pace/generate':
          return {};
        default:
          return { textDocument, position: position(d) };
      }
    };
    const sendRequest = () => {
      const method = r.pick(REQUESTS);
      const cancel = r.chance(0.1);
      count(cancel ? 'cancelled' : 'request');
      count(`request ${method}`);
      // Most requests wait for their answer (an editor waits for a completion list); some overlap.
      const params = paramsFor(method) as { textDocument?: { uri: string }; uri?: string };
      const self = params.textDocument?.uri ?? params.uri ?? '';
      // The documents as they are now: the server answers after every change sent before.
      const texts = new Map([...open].map(([u, d]) => [u, d.getText()]));
      const rel = relOf(self);
      if (!texts.has(self) && rel && onDisk.has(rel)) texts.set(self, fs.readFileSync(path.join(dir, rel), 'utf8'));
      const req = c.request(method, params, { cancel, texts: { self, texts } });
      return req.done;
    };
    /** Malformed input, sent when nothing else is in flight so that what the server logs is known to be its. */
    const malformed = async () => {
      await c.drain();
      await c.idle(50, 2000);
      c.malformedPhase = true;
      const k = r.weighted({ badJson: 2, noMethod: 1, nullParams: 2, wrongTypes: 3, unknownRequest: 2, unknownNotification: 1, notificationAsRequest: 1, requestAsNotification: 1, cancelUnknown: 1, nonObject: 1, badUtf8: 1, stringId: 1, noJsonrpc: 1, didChangeUnknown: 1, badNotification: 2 });
      count(`malformed ${k}`);
      const waits: Promise<unknown>[] = [];
      const m = r.pick(REQUESTS);
      switch (k) {
        case 'badJson':
          // Bad JSON in a well-framed message: a real client's bug; the framing is intact.
          c.writeRaw(r.pick(['{"jsonrpc":"2.0","id":', '{"jsonrpc":"2.0","method":"textDocument/hover",', '{]', '', ' ', '{"jsonrpc":"2.0","id":1,"method":"x"}}', 'nul']));
          break;
        case 'noMethod':
          c.write({ jsonrpc: '2.0', id: 1_000_000 + r.int(1000), params: {} });
          break;
        case 'nullParams':
          waits.push(c.request(m, null, { malformed: true }).done);
          break;
        case 'wrongTypes': {
          const p = r.pick<unknown>([
            { textDocument: 5, position: 'here' },
            { textDocument: { uri: 42 }, position: { line: 'a', character: null } },
            { textDocument: { uri: fileUri(dir, files[0]) }, position: { line: 1.5, character: NaN } },
            { textDocument: { uri: fileUri(dir, files[0]) }, position: { line: 0, character: -1 }, range: { start: { line: -1, character: 5 }, end: { line: 0, character: 0 } } },
            { textDocument: { uri: fileUri(dir, files[0]) }, range: { start: 1, end: 2 }, context: 'x' },
            { textDocument: { uri: fileUri(dir, files[0]) }, position: { line: 0, character: 0 }, context: null, options: 'tabs', newName: 7, positions: 'p', query: 3 },
            [1, 2, 3],
            'params',
            {},
          ]);
          waits.push(c.request(m, p, { malformed: true }).done);
          break;
        }
        case 'unknownRequest':
          waits.push(c.request(r.pick(['pace/unknown', 'textDocument/nope', 'workspace/executeCommand', '$/unknown', 'x']), {}, { malformed: true }).done);
          break;
        case 'unknownNotification':
          c.notify(r.pick(['pace/nothing', 'textDocument/nope', '$/ping', '$/setTrace', '$/progress']), r.pick([{}, null, { token: 'x', value: 1 }, { value: 'verbose' }]));
          break;
        case 'notificationAsRequest':
          waits.push(c.request(r.pick(['textDocument/didChange', 'textDocument/didSave', 'workspace/didChangeWatchedFiles', 'initialized']), { textDocument: { uri: fileUri(dir, 'nowhere.pace') }, changes: [] }, { malformed: true }).done);
          break;
        case 'requestAsNotification':
          c.notify(m, paramsFor(m));
          break;
        case 'cancelUnknown':
          c.notify('$/cancelRequest', { id: r.pick([123456789, 'nope', null, -1]) });
          break;
        case 'nonObject':
          c.writeRaw(r.pick(['42', 'null', '"hello"', '[]', 'true', '[{"jsonrpc":"2.0","id":7,"method":"pace/check"}]']));
          break;
        case 'badUtf8':
          c.writeRaw(Buffer.concat([Buffer.from('{"jsonrpc":"2.0","method":"pace/nothing","params":{"x":"'), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('"}}')]));
          break;
        case 'stringId':
          waits.push(c.request('pace/check', {}, { id: `s-${r.int(1e6)}` }).done);
          break;
        case 'noJsonrpc':
          c.writeRaw(JSON.stringify({ method: 'pace/nothing', params: {} }));
          break;
        case 'didChangeUnknown':
          c.notify('textDocument/didChange', { textDocument: { uri: r.pick([fileUri(dir, 'never-opened.pace'), 'untitled:x']), version: 3 }, contentChanges: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: 'x' }] });
          break;
        case 'badNotification': {
          // Text synchronisation with wrong parameters (for documents that are not open: a client this
          // broken loses its own documents, but the server must keep serving the others).
          const n = r.pick(['textDocument/didOpen', 'textDocument/didChange', 'textDocument/didClose', 'textDocument/didSave', 'workspace/didChangeWatchedFiles', 'workspace/didChangeWorkspaceFolders']);
          c.notify(n, r.pick<unknown>([null, {}, [], 'x', { textDocument: null }, { textDocument: { uri: 7 } }, { changes: null }, { changes: [{ uri: 5, type: 'x' }] }, { event: null }, { textDocument: { uri: fileUri(dir, 'never-opened.pace'), version: 'v' }, contentChanges: 'abc' }]));
          break;
        }
      }
      // A well-formed request after it: the server still answers, and nothing the server logs later is put down to the malformed one.
      waits.push(c.request('pace/check', {}).done);
      await Promise.all(waits);
      c.malformedPhase = false;
    };
    const disk = () => {
      // A file created or deleted on disk (by git, another tool), told by didChangeWatchedFiles.
      if (r.chance(0.5) || onDisk.size < 45) {
        const rel = `gen/new_${created++}.pace`;
        const text = r.chance(0.5) ? `service new_${created} {\n  depends_on = [gen_0${r.int(9)}]\n}\n` : original.get(r.pick([...original.keys()]))!.replace(/\b(service|objective|alerting) (\w+)/g, `$1 $2_n${created}`);
        fs.writeFileSync(path.join(dir, rel), text);
        onDisk.add(rel);
        c.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: fileUri(dir, rel), type: 1 }] });
        count('created');
      } else {
        const rel = r.pick(pool().filter((f) => f.includes('new_') || r.chance(0.3)));
        if (!rel) return;
        fs.rmSync(path.join(dir, rel), { force: true });
        onDisk.delete(rel);
        c.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: fileUri(dir, rel), type: 3 }] });
        count('deleted');
      }
      edits++;
    };
    const save = () => {
      if (!open.size) return;
      const d = r.pick([...open.values()]);
      const rel = relOf(d.uri);
      if (!rel) return;
      // As an editor does: write the buffer, tell the server it was saved (and the watcher that it changed).
      fs.writeFileSync(path.join(dir, rel), d.getText());
      onDisk.add(rel);
      c.notify('textDocument/didSave', { textDocument: { uri: d.uri } });
      c.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: d.uri, type: 2 }] });
      count('didSave');
    };

    let inFlight: Promise<unknown>[] = [];
    const step = async () => {
      const k = r.weighted({ edit: 60, full: 3, burst: 1.5, request: 25, openClose: 3, save: 2, disk: 1, outside: 0.5, malformed: 3, config: 0.2 });
      switch (k) {
        case 'edit':
          incremental(someOpen());
          break;
        case 'full':
          fullText(someOpen());
          break;
        case 'burst': {
          // 50 didChange without waiting, as fast typing or a paste-and-undo storm sends them.
          const d = someOpen();
          count('burst');
          for (let i = 0; i < 50; i++) incremental(open.get(d.uri)!);
          break;
        }
        case 'request':
          inFlight.push(sendRequest());
          // An editor has a few requests in flight at most.
          if (inFlight.length >= 4 || r.chance(0.5)) {
            await Promise.all(inFlight);
            inFlight = [];
          }
          break;
        case 'openClose': {
          if (open.size > 3 && r.chance(0.5)) closeDoc(r.pick([...open.keys()]));
          else {
            const rel = r.pick(pool());
            const uri = fileUri(dir, rel);
            if (open.has(uri)) {
              // Opened twice (a second editor group): the server must take the newer text.
              const d = open.get(uri)!;
              closeDoc(uri);
              openDoc(rel, d.getText());
            } else openDoc(rel);
          }
          break;
        }
        case 'save':
          save();
          break;
        case 'disk':
          disk();
          break;
        case 'outside': {
          // A Pace document outside the project (untitled, or another folder): a one-file project.
          const uri = r.pick(['untitled:Untitled-1', 'file:///tmp/pace-soak-outside/loose.pace']);
          if (open.has(uri)) closeDoc(uri);
          else openDoc('', r.pick([...original.values()]).slice(0, 500), uri);
          break;
        }
        case 'malformed':
          await Promise.all(inFlight);
          inFlight = [];
          await malformed();
          break;
        case 'config':
          // pace.yaml touched on disk (unchanged): the server finds its projects again.
          c.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: fileUri(dir, 'pace.yaml'), type: 2 }] });
          count('configTouched');
          break;
      }
    };

    const run = async (n: number, label: string) => {
      const end = edits + n;
      let next = edits + 500;
      const started = Date.now();
      while (edits < end && !c.exited) {
        await step();
        // Never let the server fall far behind: a request every few hundred edits waits for all before it.
        if (edits >= next) {
          await Promise.all(inFlight);
          inFlight = [];
          await c.request('pace/check', {}).done;
          log(`${label}: ${edits} edits, ${c.requests} requests, ${Math.round((Date.now() - started) / 1000)} s, RSS ${procStatus(proc.pid!).rss.toFixed(0)} MB`);
          next = edits + 500;
        }
      }
      await Promise.all(inFlight);
      inFlight = [];
    };

    const textBytes = () => [...open.values()].reduce((s, d) => s + d.getText().length, 0) + [...onDisk].filter((f) => !open.has(fileUri(dir, f))).reduce((s, f) => s + fs.statSync(path.join(dir, f)).size, 0);
    // The memory figure. VmRSS follows V8's committed heap, which holds whatever garbage the last
    // collection left: an idle server does not collect, and a real client cannot make it (no
    // --expose-gc). A reading depends as much on what the server did in the last seconds as on what it
    // keeps. So the two readings follow the same work: the warm-up, from the same state (reset), with
    // the same seed, then a settle (every request answered, everything published, 500 ms of silence)
    // and the minimum VmRSS over `idleMs`. Once before the soak and once after it: what the soak left
    // behind is the difference. With V8's default schedule the heap keeps growing its limits for
    // thousands of edits and the garbage between collections is up to 3x what is live, so the
    // default flags ask for the predictable schedule (see nodeArgs). VmRSS is also logged all along
    // (rssLog) to show the trend.
    const rssLog: { edits: number; rss: number }[] = [];
    sampler = setInterval(() => {
      if (!c.exited) rssLog.push({ edits, rss: procStatus(proc.pid!).rss });
    }, 200);
    const memory = async (): Promise<{ rss: number; live: number; code: number }> => {
      await c.drain();
      await c.request('pace/check', {}).done;
      await c.idle(500);
      let min = Infinity;
      const end = Date.now() + (opts.idleMs ?? 2000);
      while (Date.now() < end && !c.exited) {
        min = Math.min(min, procStatus(proc.pid!).rss);
        await sleep(100);
      }
      // The live heap: the probe collects and writes process.memoryUsage() (see soak-probe.cjs).
      fs.rmSync(probeOut, { force: true });
      if (!c.exited) proc.kill('SIGUSR2');
      const until = Date.now() + 10_000;
      while (!fs.existsSync(probeOut) && Date.now() < until && !c.exited) await sleep(20);
      const u = fs.existsSync(probeOut) ? (JSON.parse(fs.readFileSync(probeOut, 'utf8')) as { heapUsed: number; external: number; code: number; spaces: Record<string, number> }) : undefined;
      if (u) log(`live: ${Object.entries(u.spaces).map(([k, v]) => `${k} ${(v / 2 ** 20).toFixed(2)}`).join(', ')}, external ${(u.external / 2 ** 20).toFixed(2)}, compiled code ${(u.code / 2 ** 20).toFixed(2)} MB`);
      fs.rmSync(probeOut, { force: true });
      return { rss: min, live: u ? (u.heapUsed + u.external - u.code) / 2 ** 20 : NaN, code: u ? u.code / 2 ** 20 : NaN };
    };
    /** Back to the start: every document closed, the 50 files on disk as they were, the server told. */
    const reset = async () => {
      await c.drain();
      for (const uri of [...open.keys()]) closeDoc(uri);
      const changes: { uri: string; type: number }[] = [];
      for (const rel of [...onDisk]) {
        if (original.has(rel)) continue;
        fs.rmSync(path.join(dir, rel), { force: true });
        onDisk.delete(rel);
        changes.push({ uri: fileUri(dir, rel), type: 3 });
      }
      for (const [rel, text] of original) {
        const f = path.join(dir, rel);
        if (onDisk.has(rel) && fs.readFileSync(f, 'utf8') === text) continue;
        changes.push({ uri: fileUri(dir, rel), type: onDisk.has(rel) ? 2 : 1 });
        fs.writeFileSync(f, text);
        onDisk.add(rel);
      }
      if (changes.length) c.notify('workspace/didChangeWatchedFiles', { changes });
      await c.request('pace/check', {}).done;
    };
    /** The warm-up: from the start, with its own seed, the same every time. */
    const warmUp = async (n: number, label: string) => {
      await reset();
      const soakRng = r;
      r = new Rng(prng((opts.seed ^ 0x5eed) >>> 0));
      const createdBefore = created;
      created = 1_000_000; // the same names for the files it creates
      const before = edits;
      await run(n, label);
      created = createdBefore;
      r = soakRng;
      return edits - before;
    };

    const warmupEdits = opts.warmupEdits ?? Math.max(300, Math.round(opts.edits / 5));
    const warmEdits = await warmUp(warmupEdits, 'warm-up');
    const NONE = { rss: NaN, live: NaN, code: NaN };
    const warm = c.exited ? NONE : await memory();
    const textBytesWarm = textBytes();
    log(`after the warm-up: ${edits} edits, RSS ${warm.rss.toFixed(1)} MB, live data ${warm.live.toFixed(1)} MB, code ${warm.code.toFixed(1)} MB`);
    const soakStart = Date.now();
    const soakFrom = edits;
    await run(opts.edits, 'soak');
    const soakMs = Date.now() - soakStart;
    const soakEdits = edits - soakFrom;
    const end = c.exited ? NONE : await memory();
    const rssEnd = end.rss;
    log(`after the soak: ${soakEdits} edits in ${Math.round(soakMs / 1000)} s, RSS ${rssEnd.toFixed(1)} MB, live data ${end.live.toFixed(1)} MB, code ${end.code.toFixed(1)} MB`);

    // --- the final diagnostics against a cold `pace check` ----------------------------------------
    // Documents outside the project are closed (their diagnostics must be cleared); every open buffer
    // is written to disk, as a save would, and the server told so.
    for (const uri of [...open.keys()]) if (!relOf(uri)) closeDoc(uri);
    for (const [uri, d] of open) {
      const rel = relOf(uri)!;
      fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      fs.writeFileSync(path.join(dir, rel), d.getText());
      // A lone surrogate has no UTF-8 form (it is written as U+FFFD): the editor shows the file as saved.
      const back = fs.readFileSync(path.join(dir, rel), 'utf8');
      if (back !== d.getText()) change(d, [{ text: back }]);
      if (!onDisk.has(rel)) {
        onDisk.add(rel);
        c.notify('workspace/didChangeWatchedFiles', { changes: [{ uri, type: 1 }] });
      }
      c.notify('textDocument/didSave', { textDocument: { uri } });
    }
    await c.drain();
    await c.request('pace/check', {}).done;
    await c.idle(1000);
    const mismatches: Mismatch[] = [];
    let diagnosticsCompared = 0;
    let filesCompared = 0;
    if (!c.exited) {
      const out = spawnSync(process.execPath, [cli, 'check', '--format', 'json', '.'], { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 28 });
      const report = JSON.parse(out.stdout) as { diagnostics: { file: string; range: Published['diagnostics'][number]['range']; severity: string; code: string; message: string }[] };
      const SEV: Record<string, number> = { error: 1, warning: 2, info: 3, hint: 4 };
      const key = (d: { range: Published['diagnostics'][number]['range']; severity?: number; code?: string | number; message: string }) =>
        `${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character} ${d.severity} ${d.code} ${d.message}`;
      const cliBy = new Map<string, string[]>();
      for (const d of report.diagnostics) {
        const rel = path.relative(dir, path.resolve(dir, d.file));
        cliBy.set(rel, [...(cliBy.get(rel) ?? []), key({ ...d, severity: SEV[d.severity] })]);
      }
      const all = new Set([...onDisk, 'pace.yaml', ...cliBy.keys(), ...[...c.published.keys()].map(relOf).filter((x): x is string => x !== undefined)]);
      for (const rel of [...all].sort()) {
        const server = (c.published.get(fileUri(dir, rel))?.diagnostics ?? []).map(key).sort();
        const fromCli = (cliBy.get(rel) ?? []).sort();
        filesCompared++;
        diagnosticsCompared += fromCli.length;
        if (JSON.stringify(server) !== JSON.stringify(fromCli)) mismatches.push({ file: rel, server, cli: fromCli });
      }
      // Documents outside the project were closed: nothing of theirs may stay published.
      for (const [uri, p] of c.published) if (!relOf(uri) && p.diagnostics.length) mismatches.push({ file: uri, server: p.diagnostics.map(key), cli: [] });
    }

    // --- memory: the same warm-up again, from the same state ------------------------------------------
    if (!c.exited) await warmUp(warmupEdits, 'warm-up again');
    const after = c.exited ? NONE : await memory();
    const textBytesAfter = textBytes();
    const hwm = c.exited ? NaN : procStatus(proc.pid!).hwm;
    const serverCpuMs = c.exited ? NaN : cpuMs(proc.pid!);
    clearInterval(sampler);
    log(`after the warm-up again: RSS ${after.rss.toFixed(1)} MB (${((after.rss / warm.rss - 1) * 100).toFixed(1)}%), live data ${after.live.toFixed(1)} MB (${((after.live / warm.live - 1) * 100).toFixed(1)}%), code ${after.code.toFixed(1)} MB`);

    const lat = [...c.latencies].sort((a, b) => a - b);
    const q = (p: number) => lat[Math.min(lat.length - 1, Math.max(0, Math.ceil(p * lat.length) - 1))] ?? NaN;
    const failed = (l: { type: number; message: string }) => l.type === 1 && /^Pace: .* failed|unexpected error/.test(l.message);
    return {
      seed: opts.seed,
      dir,
      edits: soakEdits,
      warmupEdits: warmEdits,
      counts,
      requests: c.requests,
      answered: c.answered,
      errorCodes: c.errorCodes,
      unanswered: c.unanswered,
      wrongErrors: c.wrongErrors,
      badRanges: c.badRanges,
      handlerFailures: c.logs.filter((l) => failed(l) && !l.malformed).map((l) => l.message.slice(0, 2000)),
      malformedFailures: c.logs.filter((l) => failed(l) && l.malformed).length,
      serverErrors: c.logs.filter((l) => l.type === 1).reduce<Record<string, number>>((o, l) => {
        const k = l.message.split('\n')[0].slice(0, 300);
        o[k] = (o[k] ?? 0) + 1;
        return o;
      }, {}),
      rssEndMB: rssEnd,
      rssLog: rssLog.filter((_, i) => i % 5 === 0).map((x) => [x.edits, Math.round(x.rss)]),
      exited: c.exited,
      rssWarmMB: warm.rss,
      rssAfterMB: after.rss,
      rssGrowth: after.rss / warm.rss - 1,
      liveWarmMB: warm.live,
      liveAfterMB: after.live,
      codeWarmMB: warm.code,
      codeAfterMB: after.code,
      growth: after.live / warm.live - 1,
      hwmMB: hwm,
      serverCpuMs,
      textBytesWarm,
      textBytesAfter,
      latency: { p50: q(0.5), p99: q(0.99), max: lat[lat.length - 1] ?? NaN },
      durationMs: Date.now() - t0,
      soakMs,
      mismatches,
      filesCompared,
      diagnosticsCompared,
    };
  } finally {
    clearInterval(sampler);
    if (!c.exited) {
      const exited = new Promise<void>((res) => proc.once('exit', () => res()));
      c.request('shutdown', null);
      await Promise.race([c.drain(), sleep(3000)]);
      c.notify('exit', null);
      await Promise.race([exited, sleep(3000)]);
      if (!c.exited) proc.kill('SIGKILL'); // our own child, by its handle
    }
    if (!opts.keep) fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** What failed in a soak, one line each (empty when every property held). */
export function soakFailures(r: SoakResult, maxGrowth = 0.1): string[] {
  const out: string[] = [];
  if (r.exited) out.push(`the server ${r.exited}`);
  if (r.unanswered.length) out.push(`${r.unanswered.length} requests unanswered: ${r.unanswered.slice(0, 5).join(', ')}`);
  if (r.answered !== r.requests) out.push(`${r.requests} requests, ${r.answered} answered`);
  if (r.badRanges.length) out.push(`${r.badRanges.length} positions outside their documents: ${r.badRanges.slice(0, 5).join('; ')}`);
  if (r.wrongErrors.length) out.push(`error answers to well-formed requests: ${r.wrongErrors.slice(0, 5).join('; ')}`);
  if (r.handlerFailures.length) out.push(`${r.handlerFailures.length} handler failures: ${r.handlerFailures.slice(0, 3).join(' | ')}`);
  if (!(r.growth < maxGrowth)) out.push(`the live data grew ${(r.growth * 100).toFixed(1)}% (${r.liveWarmMB.toFixed(1)} → ${r.liveAfterMB.toFixed(1)} MB; VmRSS ${r.rssWarmMB.toFixed(1)} → ${r.rssAfterMB.toFixed(1)} MB)`);
  for (const m of r.mismatches.slice(0, 5)) out.push(`${m.file}: server ${JSON.stringify(m.server.slice(0, 3))} (${m.server.length}), pace check ${JSON.stringify(m.cli.slice(0, 3))} (${m.cli.length})`);
  return out;
}
