// uPlot's script and stylesheet for the self-contained HTML preview.
//
// Decision: inlined at build time. esbuild bundles both files into the CLI (and any other bundle that
// imports this module) as strings through the `with { type: 'text' }` import attributes below, so a
// bundle needs no node_modules at run time (the VSIX ships bundles only) and a page never depends on
// what is installed beside the tool. Run from the TypeScript sources (vitest, tsx) the attributes are
// ignored and the imports do not yield the text; then, and only then, the files are read from
// node_modules, where npm installed uplot (a runtime dependency, pinned in package.json).
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import uplotScript from 'uplot/dist/uPlot.iife.min.js' with { type: 'text' };
import uplotStyle from 'uplot/dist/uPlot.min.css' with { type: 'text' };

export interface UplotAssets {
  readonly script: string;
  readonly style: string;
  /** `bundle`: inlined by esbuild; `node_modules`: read from the installed package. */
  readonly source: 'bundle' | 'node_modules';
}

let cached: UplotAssets | undefined;

const isText = (x: unknown): x is string => typeof x === 'string' && x.length > 0;

export function uplotAssets(): UplotAssets {
  if (cached) return cached;
  if (isText(uplotScript) && isText(uplotStyle)) cached = { script: uplotScript, style: uplotStyle, source: 'bundle' };
  else {
    const req = createRequire(import.meta.url);
    const read = (spec: string) => fs.readFileSync(req.resolve(spec), 'utf8');
    cached = { script: read('uplot/dist/uPlot.iife.min.js'), style: read('uplot/dist/uPlot.min.css'), source: 'node_modules' };
  }
  return cached;
}
