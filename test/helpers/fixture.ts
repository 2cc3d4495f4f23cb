// Test fixtures (rust-analyzer / Langium style):
//
//   //- services/checkout.pace        a header starts a file (without one: a single `main.pace`)
//   service checkout { tier = <|> }  `<|>` is the cursor
//   sli = <|availability|>           `<|` … `|>` marks a range
//
// A bare `|` is never a marker: PromQL uses it (`code=~"5..|429"`).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Workspace, type Analysis } from '../../server/src/core/index.js';

export interface FixtureFile {
  readonly path: string;
  readonly text: string;
}

export interface Marker {
  readonly path: string;
  readonly offset: number;
}

export interface MarkedRange {
  readonly path: string;
  readonly start: number;
  readonly end: number;
}

export interface Fixture {
  readonly files: FixtureFile[];
  readonly cursor?: Marker;
  readonly ranges: MarkedRange[];
}

const HEADER = /^\/\/- (\S+)\s*$/;

/** Removes the markers of one file's text, recording where they were. */
function strip(filePath: string, raw: string, out: { cursor?: Marker; ranges: MarkedRange[] }): string {
  let text = '';
  const open: number[] = [];
  for (let i = 0; i < raw.length; ) {
    if (raw.startsWith('<|>', i)) {
      if (out.cursor) throw new Error(`fixture: more than one cursor (<|>) in ${filePath}`);
      out.cursor = { path: filePath, offset: text.length };
      i += 3;
    } else if (raw.startsWith('<|', i)) {
      open.push(text.length);
      i += 2;
    } else if (raw.startsWith('|>', i) && open.length) {
      out.ranges.push({ path: filePath, start: open.pop()!, end: text.length });
      i += 2;
    } else {
      text += raw[i];
      i++;
    }
  }
  if (open.length) throw new Error(`fixture: unclosed range marker (<|) in ${filePath}`);
  return text;
}

export function fixture(source: string): Fixture {
  const lines = source.split('\n');
  const chunks: { path: string; lines: string[] }[] = [];
  for (const line of lines) {
    const m = HEADER.exec(line);
    if (m) chunks.push({ path: m[1], lines: [] });
    else {
      if (!chunks.length) {
        if (!line.trim()) continue;
        chunks.push({ path: 'main.pace', lines: [] });
      }
      chunks[chunks.length - 1].lines.push(line);
    }
  }
  const out: { cursor?: Marker; ranges: MarkedRange[] } = { ranges: [] };
  const files = chunks.map((c) => ({ path: c.path, text: strip(c.path, c.lines.join('\n').replace(/\n*$/, '\n'), out) }));
  return { files, cursor: out.cursor, ranges: out.ranges };
}

/** The uri of a fixture path in an in-memory workspace. */
export function memUri(p: string): string {
  return `file:///fixture/${p}`;
}

/** Loads a fixture into a core Workspace and analyses it. */
export function analyzeFixture(source: string): { fx: Fixture; analysis: Analysis; uri: string; offset: number; text: string; ws: Workspace } {
  const fx = fixture(source);
  const ws = new Workspace();
  for (const f of fx.files) ws.setFile(memUri(f.path), f.text);
  const at = fx.cursor ?? { path: fx.files[0].path, offset: 0 };
  const text = fx.files.find((f) => f.path === at.path)!.text;
  return { fx, analysis: ws.analyze(), uri: memUri(at.path), offset: at.offset, text, ws };
}

/** Writes a fixture into a new temporary folder; returns its path. */
export function writeFixture(fx: Fixture | string, extra: Record<string, string> = {}): string {
  const f = typeof fx === 'string' ? fixture(fx) : fx;
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'pace-fx-')));
  for (const file of f.files) writeFile(dir, file.path, file.text);
  for (const [p, t] of Object.entries(extra)) writeFile(dir, p, t);
  return dir;
}

export function writeFile(dir: string, rel: string, text: string): string {
  const abs = path.join(dir, rel);
  fs.mkdirSync(path.dirname(abs), { recursive: true });
  fs.writeFileSync(abs, text);
  return abs;
}

export function fileUri(dir: string, rel: string): string {
  return pathToFileURL(path.join(dir, rel)).href;
}

/** 0-based line/character (UTF-16) of an offset. */
export function positionOf(text: string, offset: number): { line: number; character: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  return { line, character: offset - (before.lastIndexOf('\n') + 1) };
}
