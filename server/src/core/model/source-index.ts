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

  get(key: string): SourceLocation | undefined {
    const hash = key.indexOf('#');
    if (hash < 0) return this.byId.get(key)?.at;
    const d = this.byId.get(key.slice(0, hash));
    if (!d) return undefined;
    const part = key.slice(hash + 1);
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
