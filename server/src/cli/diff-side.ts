// One side of `pace diff` (cli/diff.ts): read (server/node/git.ts), analysed and normalized, reduced to
// what the diff and its report need — a structured-cloneable outcome, so that the base side can be
// worked out in a worker thread while the head side is worked out on the main thread. The worker is
// the bundled binary itself (server/out/cli.cjs loading pace.cjs, dispatched by bin.ts); run from the
// TS sources (the tests) there is no bundle to start, and the two sides are worked out one after the
// other.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import pkg from '../../../package.json';
import { SourceIndex, type NormalizedModel, type ProjectConfig, type SourceIndexWire, type SourceMap } from '../core/index.js';
import { readSide, SideError, type ProjectSide } from '../node/git.js';
import { toPath } from '../node/project.js';
import { modelChanges, type OkSide } from './diff-compare.js';
import type { diff } from '../core/index.js';
import { render, type ReportFile } from './report.js';

/** What the diff needs of a side, without its workspace or any function. */
export interface SideInfo {
  readonly label: string;
  readonly kind: 'git' | 'folder';
  readonly commit?: string;
  readonly root: string;
  readonly config: ProjectConfig;
  /** uri → how the file is shown, for every analysed file. */
  readonly shown: Map<string, string>;
}

export type SideOutcome =
  /** A side that cannot be read (a revision that does not exist…): the message, without `pace: `. */
  | { readonly kind: 'unreadable'; readonly message: string }
  /** A side with errors: what goes to stderr, in order. */
  | { readonly kind: 'broken'; readonly stderr: readonly string[] }
  | {
      readonly kind: 'ok';
      readonly side: SideInfo;
      readonly model: NormalizedModel;
      readonly sourceMap: SourceMap;
      readonly texts: Map<string, string>;
    };

export interface SideRequest {
  readonly spec: string | undefined;
  readonly which: 'base' | 'head';
  readonly cwd: string;
  readonly project?: string;
}

/** How the CLI shows a path: relative to the working folder, with `/` (as main.ts shows them). */
const shownPath = (cwd: string) => (file: string) => (path.relative(cwd, file) || '.').split(path.sep).join('/');

/**
 * Reads, analyses and normalizes one side. `display` shows a file path as the CLI does; the worker
 * has no host, so it passes the CLI's own rule (main.ts's `display`), which the tests hold equal.
 */
export function analyseSide(req: SideRequest, display: (file: string) => string): SideOutcome {
  let side: ProjectSide;
  try {
    side = readSide(req.spec, {
      cwd: req.cwd,
      project: req.project,
      display: (f) => display(toPath(f)),
    });
  } catch (e) {
    if (e instanceof SideError) return { kind: 'unreadable', message: e.message };
    throw e;
  }
  const a = side.workspace.analyze();
  const errors = a.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length || side.configDiagnostics.length) {
    const files = new Map<string, ReportFile>();
    for (const [uri, text] of side.texts) files.set(uri, { display: side.display(uri), uri, text });
    for (const [uri, f] of a.files) files.set(uri, { display: side.display(uri), uri, text: f.text });
    return {
      kind: 'broken',
      stderr: [
        render('text', {
          diagnostics: errors,
          files,
          fileCount: a.files.size,
          color: false,
          toolVersion: pkg.version,
        }),
        `pace: ${req.which === 'base' ? 'the base' : 'the head'} (${side.label}) has errors; nothing was compared\n`,
      ],
    };
  }
  const { model, sourceMap } = a.normalized();
  const texts = new Map<string, string>();
  const shown = new Map<string, string>();
  for (const [uri, f] of a.files) {
    texts.set(uri, f.text);
    shown.set(uri, side.display(uri));
  }
  return {
    kind: 'ok',
    side: {
      label: side.label,
      kind: side.kind,
      commit: side.commit,
      root: side.root,
      config: side.config,
      shown,
    },
    model,
    sourceMap,
    texts,
  };
}

interface WorkerData {
  readonly paceWorker: 'diff-side';
  /** Absent for a worker the binary started before it knew the request (loader.ts): it comes as a message. */
  readonly request?: SideRequest;
}

/**
 * A diff worker the `pace` binary (cli/loader.ts) started as it started, before loading the bundle,
 * for a command line that begins with `diff`, so that the worker's own start (a V8 isolate, node's
 * bootstrap, the bundle) runs while this thread loads the bundle. `exited` is set if it failed first.
 */
interface EarlyDiffWorker {
  readonly worker: Worker;
  exited: boolean;
}

/** Where loader.ts leaves it (a registered symbol: the loader is bundled apart and imports nothing of ours). */
const EARLY_DIFF_WORKER = Symbol.for('pace.early-diff-worker');

/**
 * A side on the wire. The model crosses as JSON text (WireModel): it is JSON data (schemas/pace-model.schema.json,
 * no undefined, no non-finite number; test/diff/bin.test.ts holds the outputs equal), and JSON.parse
 * takes about 60% of the time that taking the structured clone of the same 7 MB of objects did. The
 * source map crosses by declaration (SourceIndexWire: no key to build or hash per part).
 */
type WireOk = Omit<OkSide, 'sourceMap' | 'model'> & { readonly sourceMap: SourceIndexWire; readonly model: WireModel };

/**
 * A model on the wire: its JSON without its services (an empty list in their place, so that the
 * keys keep their order), then each service's JSON with its id. Most services of a pull request are
 * the same on both sides: the worker takes those from the base instead of parsing them again (see
 * modelFromWire).
 */
interface WireModel {
  readonly rest: string;
  readonly ids: readonly string[];
  readonly services: readonly string[];
}

export const modelToWire = (m: NormalizedModel): WireModel => ({
  rest: JSON.stringify({ ...m, services: [] }),
  ids: m.services.map((s) => s.id),
  services: m.services.map((s) => JSON.stringify(s)),
});

/**
 * A side's model from the wire, with every service whose JSON is the same as the other side's
 * service of that id taken from the other side: the same value (the model is JSON data, never
 * changed once built), not parsed again, and found equal to its counterpart at once by the diff
 * (deepEqual starts with identity). A service whose JSON differs in anything, key order included, is
 * parsed. The worker rebuilds the head so, with the base's services; the main thread the base, with
 * the head's.
 */
export function modelFromWire(w: WireModel, other?: SharedServices): NormalizedModel {
  const model = JSON.parse(w.rest) as NormalizedModel;
  const services = w.services.map((json, i) => {
    const b = other?.get(w.ids[i]);
    return b && b.json === json ? b.service : (JSON.parse(json) as Service);
  });
  return { ...model, services };
}

type Service = NormalizedModel['services'][number];

/** A side's services by id, each with its JSON (the one its wire form holds), for modelFromWire to take from. */
export type SharedServices = ReadonlyMap<string, { readonly service: Service; readonly json: string }>;

/** The services of a model, with the JSON of its wire form (made by modelToWire from that model). */
export const sharedServices = (m: NormalizedModel, w: WireModel): SharedServices => new Map(m.services.map((service, i) => [service.id, { service, json: w.services[i] }]));

/** Main thread → worker: the request (unless the worker was started with it), then the head side to compare the base with, or null when there is none (the head is unreadable or has errors). */
type ToWorker = { readonly request: SideRequest } | { readonly head: WireOk | null };

/** The base side as the main thread needs it to work out the generated rules' half of the diff. */
export interface WireBase {
  readonly side: SideInfo;
  readonly model: WireModel;
}

/** A base side that cannot be compared: what the main thread prints for it. */
type NotOk = Exclude<SideOutcome, { kind: 'ok' }>;

/** Worker → main thread: the base's model as soon as it analysed clean; then, once, when the worker is done, its answer. */
type FromWorker =
  | { readonly base: WireBase }
  /** The base is unreadable or has errors. */
  | { readonly outcome: NotOk }
  /** The base analysed clean, and there was no head to compare it with. */
  | { readonly baseOk: true }
  /** The model changes (diff-compare.ts's modelChanges). */
  | { readonly changes: diff.ModelChange[] }
  /** A bug that threw: the main thread works the diff out itself, where the same failure surfaces. */
  | { readonly failed: string };

const toWire = (o: OkSide, model: WireModel): WireOk => ({ ...o, model, sourceMap: SourceIndex.of(o.sourceMap).toWire() });
const fromWire = (o: WireOk, base: SharedServices): OkSide => ({ ...o, model: modelFromWire(o.model, base), sourceMap: SourceIndex.fromWire(o.sourceMap) });

/** Whether this thread is a diff side's worker (bin.ts asks before starting the CLI). */
export function isDiffSideWorker(): boolean {
  return !isMainThread && (workerData as Partial<WorkerData> | undefined)?.paceWorker === 'diff-side';
}

/**
 * The worker's body: the base side, posted to the main thread as soon as it analysed clean (for the
 * generated rules' half of the diff), then, when the head came, the model changes
 * (diff-compare.ts's modelChanges), posted back. The head usually comes after the base's model has
 * been posted (both threads finish their analysis at about the same time), so what crosses between
 * the threads after the analyses is each side's services' JSON, going opposite ways at once, the
 * head's parse (of the services that differ from the base's: test/diff/wire.test.ts), and the
 * changes.
 */
export function runDiffSideWorker(): void {
  const port = parentPort!;
  // The base side, with its services' JSON (sharedServices).
  let base: { readonly side: OkSide; readonly services: SharedServices } | undefined;
  let cwd = '';
  let head: Extract<ToWorker, { head: unknown }> | undefined;
  let done = false;
  const finish = (m: FromWorker) => {
    done = true;
    port.off('message', onMessage);
    port.postMessage(m);
  };
  const attempt = (f: () => FromWorker | undefined) => {
    let m: FromWorker | undefined;
    try {
      m = f();
    } catch (e) {
      m = { failed: (e as Error).stack ?? String(e) };
    }
    if (m) finish(m);
  };
  const compare = () => {
    if (done || !base || !head) return;
    const [b, h] = [base, head];
    attempt(() => (h.head ? { changes: modelChanges(b.side, fromWire(h.head, b.services), shownPath(cwd)) } : { baseOk: true }));
  };
  const analyse = (request: SideRequest) =>
    attempt(() => {
      const o = analyseSide(request, shownPath(request.cwd));
      if (o.kind !== 'ok') return { outcome: o };
      const model = modelToWire(o.model);
      base = { side: o, services: sharedServices(o.model, model) };
      cwd = request.cwd;
      port.postMessage({ base: { side: o.side, model } } satisfies FromWorker);
      return undefined;
    });
  function onMessage(m: ToWorker): void {
    if ('request' in m) analyse(m.request);
    else head = m;
    compare();
  }
  port.on('message', onMessage);
  const { request } = workerData as WorkerData;
  if (request) {
    analyse(request);
    compare();
  }
}

/**
 * The script a worker starts, when this code runs from a bundle: the `pace` binary beside the bundle
 * (cli.cjs, which loads pace.cjs with its code cache: server/src/cli/loader.ts), or a bundle that is
 * itself named cli.cjs; undefined from the TS sources.
 */
function bundle(): string | undefined {
  try {
    const here = fileURLToPath(import.meta.url);
    if (/cli\.cjs$/.test(here)) return here;
    const loader = path.join(path.dirname(here), 'cli.cjs');
    return /pace\.cjs$/.test(here) && fs.existsSync(loader) ? loader : undefined;
  } catch {
    return undefined;
  }
}

/** What the worker answered: the model changes, or the base side when there is nothing to compare. */
export type WorkerAnswer = { readonly kind: 'changes'; readonly changes: diff.ModelChange[] } | { readonly kind: 'base'; readonly outcome: NotOk } | { readonly kind: 'base-ok' };

export interface SideWorker {
  /**
   * Posts the head side (null: it cannot be compared), with its model's wire form (modelToWire), and
   * gives the base side's model once the worker has posted it, or undefined when it will not come
   * (the base is unreadable or has errors, or the worker failed).
   */
  post(head: OkSide | null, model: WireModel | null): Promise<WireBase | undefined>;
  /**
   * The worker's answer, or undefined when the worker failed (a crash, out of memory, a bug that
   * threw): the caller then works the diff out on its own thread, where the same failure surfaces as
   * it always did.
   */
  readonly answer: Promise<WorkerAnswer | undefined>;
}

/** Starts working out the base side in a worker thread; undefined when no worker can be started. */
export function startSideWorker(request: SideRequest): SideWorker | undefined {
  // On one core a second thread only adds its start and a cold JIT (~1.5 s of CPU for 1,000 services).
  const script = os.availableParallelism() > 1 ? bundle() : undefined;
  if (!script) return undefined;
  const early = (globalThis as { [EARLY_DIFF_WORKER]?: EarlyDiffWorker })[EARLY_DIFF_WORKER];
  delete (globalThis as { [EARLY_DIFF_WORKER]?: EarlyDiffWorker })[EARLY_DIFF_WORKER];
  let w: Worker;
  if (early && !early.exited) {
    w = early.worker;
    w.ref();
    w.postMessage({ request } satisfies ToWorker);
  } else {
    try {
      w = new Worker(script, { workerData: { paceWorker: 'diff-side', request } satisfies WorkerData });
    } catch {
      return undefined;
    }
  }
  let settled = false;
  let baseModel: (b: WireBase | undefined) => void = () => {};
  const based = new Promise<WireBase | undefined>((resolve) => (baseModel = resolve));
  const answer = new Promise<WorkerAnswer | undefined>((resolve) => {
    const settle = (a: WorkerAnswer | undefined) => {
      if (settled) return;
      settled = true;
      baseModel(undefined);
      resolve(a);
      // The answer is here: the thread's teardown need not hold the process.
      w.unref();
    };
    w.on('message', (m: FromWorker) => {
      if ('base' in m) baseModel(m.base);
      else settle('changes' in m ? { kind: 'changes', changes: m.changes } : 'outcome' in m ? { kind: 'base', outcome: m.outcome } : 'baseOk' in m ? { kind: 'base-ok' } : undefined);
    });
    w.on('error', () => settle(undefined));
    w.on('exit', () => settle(undefined));
  });
  return {
    post(head, model) {
      if (!settled) w.postMessage({ head: head && model && toWire(head, model) } satisfies ToWorker);
      return based;
    },
    answer,
  };
}
