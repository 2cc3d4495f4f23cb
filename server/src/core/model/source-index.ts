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

/** A SourceIndex read from the wire and not yet decoded: each declaration is decoded when asked for. */
interface Pending {
  readonly wire: SourceIndexWire;
  /** id → its position in the wire's lists. */
  readonly index: Map<string, number>;
  /** Per position: where its places start in `wire.at` (in numbers), and its part names in `wire.parts`. */
  readonly at: Int32Array;
  readonly part: Int32Array;
}

export class SourceIndex implements SourceMap {
  private byId = new Map<string, Declaration>();
  private count = 0;
  /** From fromWire: the declarations not decoded yet. byId then holds the decoded ones, in the order asked. */
  private pending?: Pending;

  /** Places declaration `id`, or its part `part`; a second place for the same key replaces the first. */
  set(id: string, part: string | undefined, uri: string, range: Range): void {
    this.decodeAll();
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
    this.decodeAll();
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

  /**
   * A SourceIndex from its wire form. Declarations are decoded as they are asked for: `pace diff`
   * asks for the few that changed, of the 67,000 places of 1,000 services.
   */
  static fromWire(w: SourceIndexWire): SourceIndex {
    const index = new SourceIndex();
    const n = w.ids.length;
    const at = new Int32Array(n);
    const part = new Int32Array(n);
    const byPosition = new Map<string, number>();
    let a = 0;
    let p = 0;
    for (let k = 0; k < n; k++) {
      byPosition.set(w.ids[k], k);
      at[k] = a;
      part[k] = p;
      const places = w.counts[2 * k] + w.counts[2 * k + 1];
      a += 3 * places;
      p += w.counts[2 * k + 1];
      index.count += places;
    }
    index.pending = { wire: w, index: byPosition, at, part };
    return index;
  }

  /** The declaration at position `k` of a pending wire. */
  private static decode(pending: Pending, k: number): Declaration {
    const w = pending.wire;
    let a = pending.at[k];
    let p = pending.part[k];
    const next = (): SourceLocation => {
      const loc = { uri: w.uris[w.at[a]], range: { start: w.at[a + 1], end: w.at[a + 2] } };
      a += 3;
      return loc;
    };
    const d: Declaration = { parts: [] };
    if (w.counts[2 * k] === 1) d.at = next();
    for (let i = 0, n = w.counts[2 * k + 1]; i < n; i++) d.parts.push(w.parts[p++], next());
    return d;
  }

  /** Declaration `id`, decoded from a pending wire if need be. */
  private declaration(id: string): Declaration | undefined {
    const d = this.byId.get(id);
    if (d || !this.pending) return d;
    const k = this.pending.index.get(id);
    if (k === undefined) return undefined;
    const decoded = SourceIndex.decode(this.pending, k);
    this.byId.set(id, decoded);
    return decoded;
  }

  /** Decodes what is pending, in the wire's order (the order of iteration), keeping what was decoded already. */
  private decodeAll(): void {
    const pending = this.pending;
    if (!pending) return;
    const byId = new Map<string, Declaration>();
    pending.wire.ids.forEach((id, k) => byId.set(id, this.byId.get(id) ?? SourceIndex.decode(pending, k)));
    this.byId = byId;
    this.pending = undefined;
  }

  get(key: string): SourceLocation | undefined {
    const [id, part] = splitKey(key);
    const d = this.declaration(id);
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
    this.decodeAll();
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
