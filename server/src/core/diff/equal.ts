// Structural equality of the model's JSON data, without building strings (the diff compares every
// declaration of two 1,000-service models; stringifying them was most of its time).

/** Whether two JSON values are equal; `skip` names top-level keys to ignore. Key order does not matter. */
export function deepEqual(a: unknown, b: unknown, skip?: ReadonlySet<string>): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  let ka = Object.keys(x);
  let kb = Object.keys(y);
  if (skip) {
    ka = ka.filter((k) => !skip.has(k));
    kb = kb.filter((k) => !skip.has(k));
  }
  if (ka.length !== kb.length) return false;
  for (const k of ka) if (!(k in y) || !deepEqual(x[k], y[k])) return false;
  return true;
}
