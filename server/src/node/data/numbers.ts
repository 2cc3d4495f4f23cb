// Numbers and times as Prometheus reads them.

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const INF = /^[+-]?(?:inf|infinity)$/i;

/**
 * A float as Prometheus 2.42's text parsers read it (Go's strconv.ParseFloat without hex floats or
 * underscores): decimals with an optional exponent, `NaN` (any case, no sign), `Inf`/`Infinity`
 * (any case, optional sign). Returns a string saying what is wrong when it is not a number;
 * out-of-range values such as 1e400 are errors, as in Go.
 */
export function parsePromFloat(s: string): number | string {
  if (DECIMAL.test(s)) {
    const v = Number(s);
    return Number.isFinite(v) ? v : `"${s}" is out of range for a 64-bit float`;
  }
  const c = s.charCodeAt(0);
  if (c === 0x6e || c === 0x4e) {
    if (s.length === 3 && s.toLowerCase() === 'nan') return NaN;
  } else if (INF.test(s)) {
    return c === 0x2d ? -Infinity : Infinity;
  }
  if (s === '') return 'a number is missing';
  if (/^[+-]?0[xX]|_/.test(s)) return `"${s}" is not a number: Prometheus reads neither hexadecimal floats nor underscores`;
  if (s.includes(',')) return `"${s}" is not a number: the decimal separator is "."`;
  if (s.endsWith('\r')) return `"${s.slice(0, -1)}\\r" is not a number: the line ends with a carriage return (Windows line endings)`;
  return `"${s}" is not a number (Prometheus reads decimals, NaN, +Inf and -Inf)`;
}

/** Largest |ms| kept exactly in a Float64Array (and in Prometheus's int64, comfortably). */
export const MAX_TIMESTAMP_MS = 2 ** 53;

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;
const UNIX_SECONDS = /^[+-]?(?:\d+\.?\d*|\.\d+)$/;

/**
 * A timestamp as Prometheus's HTTP API reads one: RFC 3339 (fractions beyond milliseconds truncated,
 * as Prometheus's timestamp.FromTime does) or Unix seconds (rounded to the millisecond, as its
 * parseTime does). Returns Unix milliseconds, or a string saying what is wrong.
 */
export function parseTimestamp(s: string): number | string {
  if (UNIX_SECONDS.test(s)) {
    const ms = Math.round(Number(s) * 1000);
    return Math.abs(ms) <= MAX_TIMESTAMP_MS ? ms : `timestamp "${s}" is out of range`;
  }
  const m = RFC3339.exec(s);
  if (!m) return `"${s}" is neither an RFC 3339 time (2026-10-01T00:00:00Z) nor Unix seconds`;
  const [year, month, day, hour, minute, second] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i]));
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth || hour > 23 || minute > 59 || second > 59) {
    return `"${s}" is not a valid date and time`;
  }
  let ms = Date.UTC(year, month - 1, day, hour, minute, second);
  if (year < 100) ms = new Date(ms).setUTCFullYear(year);
  if (m[7]) ms += Number(m[7].slice(0, 3).padEnd(3, '0'));
  if (m[9]) {
    const offH = Number(m[10]);
    const offM = Number(m[11]);
    if (offH > 23 || offM > 59) return `"${s}" has an invalid time zone offset`;
    ms -= (m[9] === '-' ? -1 : 1) * (offH * 60 + offM) * 60_000;
  }
  return ms;
}

/** `1700000000.5` → `2023-11-14T22:13:20.500Z`: timestamps in messages. */
export function formatTime(ms: number): string {
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? `${ms} ms` : d.toISOString().replace('.000Z', 'Z');
}

/** `300000` → `5m`, `5400000` → `1h30m`: durations in messages. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  let s = Math.round(ms / 1000);
  const parts: string[] = [];
  for (const [unit, size] of [['d', 86400], ['h', 3600], ['m', 60], ['s', 1]] as const) {
    if (s >= size) {
      parts.push(`${Math.floor(s / size)}${unit}`);
      s %= size;
    }
  }
  return parts.join('');
}

/** A float as Prometheus prints one (label values of `le`, messages): NaN, +Inf, -Inf, shortest decimal. */
export function formatPromFloat(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}
