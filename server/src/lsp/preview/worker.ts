// The preview worker: a worker thread of the language server (its own bundle, preview-worker.cjs,
// from ./worker-main.ts; started by ./service.ts) that loads each project's sample data
// and evaluates the preview, so that neither a month of samples being parsed nor the evaluation
// ever holds up diagnostics, completion or any other request on the server's thread.
//
// It keeps the data of the MAX_PROJECTS projects previewed last (a project's data is read again
// only when a file's size or mtime changed, or the globs match other files) and, per project, the
// inputs of its last preview, from which the HTML page (charts included) is built on demand.
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parentPort } from 'node:worker_threads';
import { glob } from 'tinyglobby';
import { preview, previewJson, type IssueLocation, type NormalizedModel, type PreviewIssue, type PreviewResult, type SampleData } from '../../core/index.js';
import { renderPreviewHtml } from '../../cli/html/page.js';
import { loadSampleData } from '../../node/data/index.js';
import { ALWAYS_IGNORED, insideRoot } from '../../node/project.js';
import type { ToWorker, FromWorker, WorkerFigures } from './protocol.js';

/** Projects whose sample data stays in memory (the least recently previewed is dropped first). */
export const MAX_PROJECTS = 2;

interface Loaded {
  /** Files with size and mtime: equal fingerprints, same data. */
  readonly fingerprint: string;
  readonly files: readonly string[];
  readonly data: SampleData;
}

interface Last {
  readonly snapshot: number;
  readonly model: NormalizedModel;
  readonly result: PreviewResult;
  readonly data: SampleData;
  readonly locate: (i: PreviewIssue) => IssueLocation | undefined;
  /** The page, built once, and the random nonce written in it (replaced in each answer). */
  html?: { readonly text: string; readonly nonce: string };
}

const newNonce = () => randomBytes(16).toString('base64');

const loaded = new Map<string, Loaded>();
const last = new Map<string, Last>();

async function dataOf(key: string, root: string, globs: readonly string[]): Promise<Loaded> {
  // A data file that a symbolic link leads out of the project is never read (pace.yaml's diagnostics say so).
  const files = (await glob([...globs], { cwd: root, ignore: ALWAYS_IGNORED, absolute: true, onlyFiles: true }))
    .map((f) => path.resolve(f))
    .filter((f) => insideRoot(root, f))
    .sort();
  const stats = await Promise.all(files.map((f) => fs.promises.stat(f).then((s) => `${s.size}:${s.mtimeMs}`, () => 'gone')));
  const fingerprint = files.map((f, i) => `${f}\u0000${stats[i]}`).join('\n');
  const cached = loaded.get(key);
  if (cached && cached.fingerprint === fingerprint) {
    loaded.delete(key); // most recently used last
    loaded.set(key, cached);
    return cached;
  }
  // Drop the old data first: two copies of a large data set must not be alive at once.
  loaded.delete(key);
  last.delete(key);
  while (loaded.size >= MAX_PROJECTS) {
    const oldest = loaded.keys().next().value as string;
    loaded.delete(oldest);
    last.delete(oldest);
  }
  const read = await loadSampleData(files);
  // Issues name the files relative to the project (as `pace preview` run in it does).
  const shown = (f: string) => (path.relative(root, f).startsWith('..') ? f : path.relative(root, f));
  const data: SampleData = { series: read.series, issues: read.issues.map((i) => (i.file && path.isAbsolute(i.file) ? { ...i, file: shown(i.file) } : i)) };
  const entry: Loaded = { fingerprint, files, data };
  loaded.set(key, entry);
  return entry;
}

function figures(r: PreviewResult): WorkerFigures {
  return { at: r.at, slos: r.slos, slas: r.slas, issues: r.issues.length };
}

export async function handle(msg: ToWorker): Promise<FromWorker | undefined> {
  switch (msg.type) {
    case 'preview': {
      const t0 = performance.now();
      if (!msg.globs.length) return { type: 'preview', id: msg.id, ok: true, figures: null, json: null, files: [], ms: 0 };
      const entry = await dataOf(msg.key, msg.root, msg.globs);
      if (!entry.files.length) return { type: 'preview', id: msg.id, ok: true, figures: null, json: null, files: [], ms: performance.now() - t0, message: `the data globs of pace.yaml (${msg.globs.join(', ')}) match no file` };
      const result = preview(msg.model, entry.data, msg.at === undefined ? {} : { at: msg.at });
      const locations = msg.locations;
      const locate = (i: PreviewIssue): IssueLocation | undefined => (i.subject ? locations[i.subject] : undefined);
      last.set(msg.key, { snapshot: msg.snapshot, model: msg.model, result, data: entry.data, locate });
      return { type: 'preview', id: msg.id, ok: true, figures: figures(result), json: previewJson(result, locate), files: entry.files, ms: performance.now() - t0 };
    }
    case 'html': {
      const l = last.get(msg.key);
      if (!l || l.snapshot !== msg.snapshot) return { type: 'html', id: msg.id, ok: false, error: 'the preview of this version is gone (the project changed)' };
      // Built once per snapshot; each answer gets a fresh nonce (128 random bits cannot occur in the
      // page but where the builder wrote the nonce).
      if (!l.html) {
        const nonce = newNonce();
        l.html = { text: renderPreviewHtml(l.model, l.data, l.result, l.locate, nonce), nonce };
      }
      const nonce = newNonce();
      return { type: 'html', id: msg.id, ok: true, html: l.html.text.split(l.html.nonce).join(nonce), nonce };
    }
    case 'forget':
      loaded.delete(msg.key);
      last.delete(msg.key);
      return undefined;
  }
}

/** Runs the worker's message loop (called by ../main.ts in the worker thread). */
export function runPreviewWorker(): void {
  const port = parentPort;
  if (!port) throw new Error('runPreviewWorker: not in a worker thread');
  // One message at a time: a preview waits for the data another one is loading.
  let queue: Promise<void> = Promise.resolve();
  port.on('message', (msg: ToWorker) => {
    queue = queue.then(async () => {
      let reply: FromWorker | undefined;
      try {
        reply = await handle(msg);
      } catch (e) {
        reply = { type: msg.type === 'html' ? 'html' : 'preview', id: 'id' in msg ? msg.id : -1, ok: false, error: e instanceof Error ? (e.stack ?? e.message) : String(e) } as FromWorker;
      }
      if (reply) port.postMessage(reply);
    });
  });
}
