// The head side's model on its way to the diff's worker (server/src/cli/diff-side.ts): rebuilt from
// its wire form, it equals the model that was sent; a service whose JSON is the base's is the base's
// own object (so that it is not parsed again, and the diff finds it equal at once), and any other is
// parsed from what was sent: a changed service, a new one, and one equal to the base's in content but
// not in its JSON (keys in another order), which is parsed rather than trusted.
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { modelFromWire, modelToWire, sharedServices } from '../../server/src/cli/diff-side.js';
import type { NormalizedModel } from '../../server/src/core/index.js';
import { loadWorkspace, readProject } from '../../server/src/node/project.js';

const model = (): NormalizedModel => loadWorkspace(readProject(path.resolve(__dirname, '../../samples'))).analyze().normalized().model;

describe("the head's model on the wire to the diff's worker", () => {
  it('is rebuilt equal to what was sent, with the services that did not change taken from the base', () => {
    const base = model();
    const head = structuredClone(base);
    expect(head.services.length).toBeGreaterThan(3);
    // A changed objective, a service only the head has, and the base's first service with its keys reversed.
    const changed = head.services[1];
    changed.slos[0] = { ...changed.slos[0], objective: changed.slos[0].objective === 0.99 ? 0.995 : 0.99 };
    head.services.push({ ...structuredClone(head.services[2]), id: 'service:only_in_head', name: 'only_in_head' });
    const reordered = Object.fromEntries(Object.entries(base.services[0]).reverse()) as NormalizedModel['services'][number];
    const baseWithReordered = { ...base, services: [reordered, ...base.services.slice(1)] };

    const back = modelFromWire(structuredClone(modelToWire(head)), sharedServices(baseWithReordered, modelToWire(baseWithReordered)));

    expect(back).toEqual(head);
    expect(Object.keys(back)).toEqual(Object.keys(head));
    expect(back.services.map((s) => s.id)).toEqual(head.services.map((s) => s.id));
    // Taken from the base: every service but the reordered, the changed and the new one.
    const shared = back.services.map((s, i) => s === baseWithReordered.services[i]);
    expect(shared).toEqual(back.services.map((_, i) => i >= 2 && i < base.services.length));
    expect(back.services[0]).not.toBe(reordered);
    expect(back.services[0]).toEqual(reordered);
    expect(back.services[1].slos[0].objective).toBe(changed.slos[0].objective);
  });

  it('without a base (or none of its services), every service is parsed', () => {
    const head = model();
    const back = modelFromWire(modelToWire(head));
    expect(back).toEqual(head);
    expect(back.services.some((s, i) => s === head.services[i])).toBe(false);
  });
});
