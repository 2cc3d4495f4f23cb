// The source map's storage (model.ts describes its keys): by declaration, each with the places of its
// parts. As one Map of `id#part` keys it was the normalizer's largest cost (67,000 entries for 1,000
// services, each a new string to hash); here a part is an entry in its declaration's small list, and
// an `id#part` key is only built when someone iterates. Reading it is a ReadonlyMap like any other,
// in the order the entries were added (a declaration, then its parts).
import type { Range } from '../../../../grammar/src/ast.js';
import { sourceKey, type SourceLocation, type SourceMap } from './model.js';

interface Declaration {
  /** Undefined until the declaration itself is placed (a part may come first). */
  at?: SourceLocation;
  /** Part names and their places, alternating: `objective`, loc, `rules/0`, loc… */
  readonly parts: (string | SourceLocation)[];
}

/**
 * A SourceIndex as plain data, for another thread (`pace diff`'s worker: cli/diff-side.ts): per
 * declaration whether it is placed and how many parts it has, the part names, the files, and three
 * numbers a place (file, start, end). Rebuilt with fromWire without a key to hash per part.
 */
export interface SourceIndexWire {
  readonly ids: string[];
  /** Per declaration: 1 when it is placed itself, 0 when only its parts are; then its number of parts. */
  readonly counts: Int32Array;
  readonly parts: string[];
  readonly uris: string[];
  readonly at: Int32Array;
}

/** sourceKey's parts: `slo:a.b#objective` → [`slo:a.b`, `objective`]; a key without `#` names the declaration. */
function splitKey(key: string): [id: string, part: string | undefined] {
  const hash = key.indexOf('#');
  return hash < 0 ? [key, undefined] : [key.slice(0, hash), key.slice(hash + 1)];
}

export class SourceIndex implements SourceMap {
  private readonly byId = new Map<string, Declaration>();
  private count = 0;

  /** Places declaration `id`, or its part `part`; a second place for the same key replaces the first. */
  set(id: string, part: string | undefined, uri: string, range: Range): void {
    let d = this.byId.get(id);
    if (!d) this.byId.set(id, (d = { parts: [] }));
    const loc: SourceLocation = { uri, range };
    if (part === undefined) {
      if (!d.at) this.count++;
      d.at = loc;
      return;
    }
    for (let i = 0; i < d.parts.length; i += 2)
      if (d.parts[i] === part) {
        d.parts[i + 1] = loc;
        return;
      }
    d.parts.push(part, loc);
    this.count++;
  }

  /** Any source map as a SourceIndex (the same object when it is one). */
  static of(map: SourceMap): SourceIndex {
    if (map instanceof SourceIndex) return map;
    const index = new SourceIndex();
    for (const [key, loc] of map) {
      const [id, part] = splitKey(key);
      index.set(id, part, loc.uri, loc.range);
    }
    return index;
  }

  toWire(): SourceIndexWire {
    const ids: string[] = [];
    const counts = new Int32Array(this.byId.size * 2);
    const parts: string[] = [];
    const uris: string[] = [];
    const uriIndex = new Map<string, number>();
    const at = new Int32Array(this.count * 3);
    let c = 0;
    let a = 0;
    const place = (loc: SourceLocation) => {
      let u = uriIndex.get(loc.uri);
      if (u === undefined) uriIndex.set(loc.uri, (u = uris.push(loc.uri) - 1));
      at[a++] = u;
      at[a++] = loc.range.start;
      at[a++] = loc.range.end;
    };
    for (const [id, d] of this.byId) {
      ids.push(id);
      counts[c++] = d.at ? 1 : 0;
      counts[c++] = d.parts.length / 2;
      if (d.at) place(d.at);
      for (let i = 0; i < d.parts.length; i += 2) {
        parts.push(d.parts[i] as string);
        place(d.parts[i + 1] as SourceLocation);
      }
    }
    return { ids, counts, parts, uris, at };
  }

  static fromWire(w: SourceIndexWire): SourceIndex {
    const index = new SourceIndex();
    let a = 0;
    let p = 0;
    const next = (): SourceLocation => {
      const loc = { uri: w.uris[w.at[a]], range: { start: w.at[a + 1], end: w.at[a + 2] } };
      a += 3;
      return loc;
    };
    w.ids.forEach((id, k) => {
      const placed = w.counts[2 * k] === 1;
      const n = w.counts[2 * k + 1];
      const d: Declaration = { parts: [] };
      if (placed) d.at = next();
      for (let i = 0; i < n; i++) d.parts.push(w.parts[p++], next());
      index.byId.set(id, d);
      index.count += (placed ? 1 : 0) + n;
    });
    return index;
  }

  get(key: string): SourceLocation | undefined {
    const [id, part] = splitKey(key);
    const d = this.byId.get(id);
    if (!d || part === undefined) return d?.at;
    for (let i = 0; i < d.parts.length; i += 2) if (d.parts[i] === part) return d.parts[i + 1] as SourceLocation;
    return undefined;
  }

  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  get size(): number {
    return this.count;
  }

  *entries(): MapIterator<[string, SourceLocation]> {
    for (const [id, d] of this.byId) {
      if (d.at) yield [id, d.at];
      for (let i = 0; i < d.parts.length; i += 2) yield [sourceKey(id, d.parts[i] as string), d.parts[i + 1] as SourceLocation];
    }
  }

  *keys(): MapIterator<string> {
    for (const [k] of this.entries()) yield k;
  }

  *values(): MapIterator<SourceLocation> {
    for (const [, v] of this.entries()) yield v;
  }

  [Symbol.iterator](): MapIterator<[string, SourceLocation]> {
    return this.entries();
  }

  forEach(f: (value: SourceLocation, key: string, map: ReadonlyMap<string, SourceLocation>) => void, thisArg?: unknown): void {
    for (const [k, v] of this.entries()) f.call(thisArg, v, k, this);
  }
}
