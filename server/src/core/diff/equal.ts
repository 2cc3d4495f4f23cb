// Structural equality of the model's JSON data, without building strings (the diff compares every
// declaration of two 1,000-service models; stringifying them was most of its time).

/**
 * Pairs of objects found equal, first to second. The diff asks about the same declarations more than
 * once (its model changes, then what changes in the generated rules); model objects are never
 * changed once built, so an answer stays true. Weak: nothing is kept past the models themselves.
 */
const knownEqual = new WeakMap<object, object>();

/** Whether two JSON values are equal; `skip` names top-level keys to ignore. Key order does not matter. */
export function deepEqual(a: unknown, b: unknown, skip?: ReadonlySet<string>): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (skip) return equalObjects(a, b, skip);
  if (knownEqual.get(a) === b) return true;
  const same = equal(a, b);
  if (same) knownEqual.set(a, b);
  return same;
}

function equal(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  return equalObjects(a, b);
}

function equalObjects(a: object, b: object, skip?: ReadonlySet<string>): boolean {
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!equal(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  // for…in over plain objects: no array of keys per object (the model's objects have no prototype fields).
  let n = 0;
  for (const k in x) {
    if (skip?.has(k)) continue;
    if (!(k in y) || !equal(x[k], y[k])) return false;
    n++;
  }
  for (const k in y) if (!skip?.has(k)) n--;
  return n === 0;
}
