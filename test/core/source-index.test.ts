// The source map's storage (server/src/core/model/source-index.ts) behaves as the Map of `id#part`
// keys it replaced: the same get, has, size and iteration order, on random sequences of places set
// (declarations and parts, in any order, with repeats); and as the plain data it crosses threads as,
// decoded from it as asked, in any order, without changing the order of iteration.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sourceKey, type SourceLocation } from '../../server/src/core/model/model.js';
import { SourceIndex } from '../../server/src/core/model/source-index.js';

describe('SourceIndex', () => {
  it('is a Map of sourceKey(id, part) → location, whatever the order of the sets', () => {
    const op = fc.record({ id: fc.constantFrom('slo:a.x', 'slo:a.y', 'service:a', 'sli:a.x'), part: fc.option(fc.constantFrom('objective', 'window', 'rules/0', 'rules/1'), { nil: undefined }), start: fc.nat(1000) });
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), (ops) => {
        const index = new SourceIndex();
        const ref = new Map<string, SourceLocation>();
        // The reference: what normalize() did before, one Map; SourceIndex keeps a declaration's parts
        // with it, so its order is by declaration (first set of any of its keys), then the order of its parts.
        for (const o of ops) {
          index.set(o.id, o.part, 'file:///a.pace', { start: o.start, end: o.start + 1 });
          ref.set(sourceKey(o.id, o.part), { uri: 'file:///a.pace', range: { start: o.start, end: o.start + 1 } });
        }
        expect(index.size).toBe(ref.size);
        for (const [k, v] of ref) {
          expect(index.get(k)).toEqual(v);
          expect(index.has(k)).toBe(true);
        }
        expect(index.get('slo:none')).toBeUndefined();
        expect(index.get('slo:a.x#nothing')).toBeUndefined();
        const firstSeen = (k: string) => ops.findIndex((o) => o.id === k.split('#')[0]);
        const expected = [...ref.keys()].sort((a, b) => firstSeen(a) - firstSeen(b) || (a.includes('#') ? 1 : 0) - (b.includes('#') ? 1 : 0) || [...ref.keys()].indexOf(a) - [...ref.keys()].indexOf(b));
        expect([...index.keys()]).toEqual(expected);
        expect(new Map(index)).toEqual(new Map(expected.map((k) => [k, ref.get(k)])));
        // Across threads (structured clone) and back, and from any Map: the same entries in the same order.
        const back = SourceIndex.fromWire(structuredClone(index.toWire()));
        expect([...back]).toEqual([...index]);
        expect(back.size).toBe(index.size);
        expect([...SourceIndex.of(new Map(index))]).toEqual([...index]);
        // Decoded as asked: keys asked in another order first give the same answers, and leave the order of iteration as it was.
        const lazy = SourceIndex.fromWire(structuredClone(index.toWire()));
        for (const k of [...ref.keys()].reverse()) expect(lazy.get(k)).toEqual(ref.get(k));
        expect(lazy.get('slo:none')).toBeUndefined();
        expect(lazy.size).toBe(index.size);
        expect([...lazy]).toEqual([...index]);
        // A place set after some were asked for: as on an index built by sets.
        const later = SourceIndex.fromWire(structuredClone(index.toWire()));
        const eager = SourceIndex.of(new Map(index));
        const firstKey = [...ref.keys()].at(-1);
        if (firstKey) later.get(firstKey);
        for (const x of [later, eager]) x.set('slo:a.y', 'rules/1', 'file:///b.pace', { start: 7, end: 8 });
        expect([...later]).toEqual([...eager]);
        expect(later.toWire()).toEqual(eager.toWire());
        expect(SourceIndex.of(index)).toBe(index);
      }),
      { numRuns: 300 },
    );
  });
});
