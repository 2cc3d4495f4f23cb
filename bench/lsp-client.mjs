// A bare LSP client over stdio, enough to drive a language server the way an editor does and to time
// it: requests, notifications, answers to the server's own requests (workspace/configuration from a
// settings object), and waiting for textDocument/publishDiagnostics. Timestamps are taken when the
// bytes arrive.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { performance } from 'node:perf_hooks';

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** VmRSS and VmHWM of a process, in MB. */
export function procMemory(pid) {
  const t = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (k) => Number(new RegExp(`^${k}:\\s+(\\d+) kB`, 'm').exec(t)?.[1]);
  return { rssMB: Math.round(kb('VmRSS') / 102.4) / 10, hwmMB: Math.round(kb('VmHWM') / 102.4) / 10 };
}

export class LspClient {
  /** @param {{name: string, command: string, args: string[], cwd: string, settings: object}} o */
  constructor(o) {
    this.name = o.name;
    this.settings = o.settings ?? {};
    this.folders = [];
    this.proc = spawn(o.command, o.args, { cwd: o.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    this.pid = this.proc.pid;
    this.buf = Buffer.alloc(0);
    this.nextId = 0;
    this.pending = new Map();
    this.waiters = new Set();
    this.lastDiagnosticsAt = 0;
    this.lastMessageAt = performance.now();
    this.published = new Map(); // uri -> last {t, version, diagnostics}
    this.stderr = '';
    this.exited = undefined;
    this.proc.stderr.on('data', (d) => {
      if (this.stderr.length < 20000) this.stderr += d.toString();
    });
    this.proc.stdout.on('data', (d) => this.onData(d));
    this.proc.stdin.on('error', () => {});
    this.proc.on('error', (e) => this.onExit(`spawn error: ${e.message}`));
    this.proc.on('exit', (code, sig) => this.onExit(`exited with ${sig ?? code}`));
  }

  onExit(why) {
    this.exited = why;
    const lines = this.stderr.trim().split('\n');
    const gist = lines.find((l) => /^\w*Error\b|Error:|error:/.test(l)) ?? lines.slice(-3).join(' | ');
    const err = new Error(`${this.name}: server ${why}${this.stderr ? `; stderr: ${gist.trim().slice(0, 200)}` : ''}`);
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
    for (const w of this.waiters) w.reject(err);
    this.waiters.clear();
  }

  onData(d) {
    const t = performance.now();
    this.buf = this.buf.length ? Buffer.concat([this.buf, d]) : d;
    for (;;) {
      const h = this.buf.indexOf('\r\n\r\n');
      if (h < 0) return;
      const m = /Content-Length: *(\d+)/i.exec(this.buf.subarray(0, h).toString());
      if (!m) throw new Error(`${this.name}: bad header ${this.buf.subarray(0, h)}`);
      const len = Number(m[1]);
      if (this.buf.length < h + 4 + len) return;
      const msg = JSON.parse(this.buf.subarray(h + 4, h + 4 + len).toString('utf8'));
      this.buf = this.buf.subarray(h + 4 + len);
      this.onMessage(msg, t);
    }
  }

  onMessage(msg, t) {
    this.lastMessageAt = t;
    if (msg.id !== undefined && !msg.method) {
      const p = this.pending.get(msg.id);
      if (p) {
        this.pending.delete(msg.id);
        p.resolve({ ...msg, t, ms: t - p.t0 });
      }
      return;
    }
    if (msg.method && msg.id !== undefined) {
      this.send({ jsonrpc: '2.0', id: msg.id, result: this.answer(msg) });
      return;
    }
    if (msg.method === 'textDocument/publishDiagnostics') {
      const { uri, diagnostics, version } = msg.params;
      const entry = { t, version, diagnostics };
      this.published.set(uri, entry);
      this.lastDiagnosticsAt = t;
      for (const w of [...this.waiters]) {
        if (w.uri === uri && t >= w.after && (w.version === undefined || version === undefined || version >= w.version)) {
          this.waiters.delete(w);
          w.resolve(entry);
        }
      }
    }
  }

  /** Answers the server's requests to the client. */
  answer(msg) {
    switch (msg.method) {
      case 'workspace/configuration':
        return (msg.params.items ?? []).map((it) => {
          if (!it.section) return this.settings;
          let v = this.settings;
          for (const k of it.section.split('.')) v = v?.[k];
          return v ?? (it.section.includes('.') ? null : {}); // servers read unknown sections (`http`, `editor`) as objects
        });
      case 'workspace/workspaceFolders':
        return this.folders;
      default:
        return null; // registerCapability, workDoneProgress/create, refresh requests, …
    }
  }

  send(m) {
    if (this.exited) throw new Error(`${this.name}: server ${this.exited}`);
    const s = JSON.stringify(m);
    this.proc.stdin.write(`Content-Length: ${Buffer.byteLength(s)}\r\n\r\n${s}`);
  }

  request(method, params, timeoutMs = 60000) {
    return new Promise((resolve, reject) => {
      const id = ++this.nextId;
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${this.name}: ${method} got no answer within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, {
        t0: performance.now(),
        resolve: (m) => (clearTimeout(timer), m.error ? reject(Object.assign(new Error(`${this.name}: ${method}: ${m.error.message}`), { rpc: m.error })) : resolve(m)),
        reject: (e) => (clearTimeout(timer), reject(e)),
      });
      try {
        this.send({ jsonrpc: '2.0', id, method, params });
      } catch (e) {
        this.pending.delete(id);
        clearTimeout(timer);
        reject(e);
      }
    });
  }

  notify(method, params) {
    this.send({ jsonrpc: '2.0', method, params });
  }

  /** The next publishDiagnostics for `uri` that arrives after `after` (and is for `version` or later, when the server says). */
  diagnostics(uri, after, { version, timeoutMs = 60000 } = {}) {
    if (this.exited) return Promise.reject(new Error(`${this.name}: server ${this.exited}`));
    return new Promise((resolve, reject) => {
      const w = {
        uri,
        after,
        version,
        resolve: (x) => (clearTimeout(timer), resolve(x)),
        reject: (e) => (clearTimeout(timer), reject(e)),
      };
      const timer = setTimeout(() => {
        this.waiters.delete(w);
        reject(new Error(`${this.name}: no diagnostics for ${uri.split('/').pop()} within ${Math.round(timeoutMs)} ms`));
      }, timeoutMs);
      this.waiters.add(w);
    });
  }

  async initialize(rootDir, rootUri, capabilitiesExtra = {}) {
    this.folders = [{ uri: rootUri, name: rootDir.split('/').pop() }];
    const r = await this.request(
      'initialize',
      {
        processId: process.pid,
        clientInfo: { name: 'pace-bench' },
        locale: 'en',
        rootUri,
        rootPath: rootDir,
        workspaceFolders: this.folders,
        capabilities: {
          workspace: { configuration: true, workspaceFolders: true, didChangeConfiguration: { dynamicRegistration: true }, didChangeWatchedFiles: { dynamicRegistration: true } },
          textDocument: {
            synchronization: { dynamicRegistration: true, didSave: true },
            publishDiagnostics: { relatedInformation: true, versionSupport: true },
            completion: { completionItem: { snippetSupport: true, documentationFormat: ['markdown', 'plaintext'] } },
            hover: { contentFormat: ['markdown', 'plaintext'] },
            documentSymbol: { hierarchicalDocumentSymbolSupport: true },
          },
          window: { workDoneProgress: true },
          ...capabilitiesExtra,
        },
      },
      30000,
    );
    this.capabilities = r.result?.capabilities ?? {};
    this.serverInfo = r.result?.serverInfo;
    this.notify('initialized', {});
    this.notify('workspace/didChangeConfiguration', { settings: this.settings });
    return r;
  }

  /** Resolves once the server has answered a request sent now: the work queued before it is done. */
  async barrier() {
    try {
      await this.request('pace-bench/barrier', null, 60000); // unknown: answered with MethodNotFound
    } catch (e) {
      if (!e.rpc) throw e;
    }
  }

  /** 1 = full text, 2 = incremental. */
  get syncKind() {
    const s = this.capabilities.textDocumentSync;
    return typeof s === 'number' ? s : s?.change ?? 1;
  }

  async stop() {
    if (!this.exited) {
      try {
        await this.request('shutdown', null, 5000);
        this.notify('exit', null);
      } catch {
        /* it may be gone already */
      }
      for (let i = 0; i < 20 && !this.exited; i++) await sleep(50);
    }
    if (!this.exited) this.proc.kill(); // our own child, by its handle
  }
}
