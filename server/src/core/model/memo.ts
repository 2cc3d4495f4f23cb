// A pure function of one number or string with its answers remembered: the generators format the
// same few durations, percentages and factors tens of thousands of times at 5,000 SLOs. At most `max`
// answers are kept (then all are forgotten at once), so a long-lived language server stays bounded.

export function memo<K extends number | string, V>(fn: (k: K) => V, max = 4096): (k: K) => V {
  const known = new Map<K, V>();
  return (k) => {
    let v = known.get(k);
    if (v === undefined && !known.has(k)) {
      if (known.size >= max) known.clear();
      v = fn(k);
      known.set(k, v);
    }
    return v as V;
  };
}
