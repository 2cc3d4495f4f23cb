// The period of a service review (`pace report --period …`): a half-open UTC range [from, to).
// Pure. The forms are the ones a review cadence names: a month (`2026-10`), a quarter (`2026-Q4`),
// an ISO week (`2026-W43`), a day (`2026-10-05`) or a year (`2026`); `--from`/`--to` give any
// other range (the host parses the instants). A bad value is a sentence saying what was expected,
// never a guess.

export interface ReportPeriod {
  /** Unix ms, inclusive. */
  readonly from: number;
  /** Unix ms, exclusive. */
  readonly to: number;
  /** `Oct 2026`, `Q4 2026`, `2026-W43`, `2026-10-05`, `2026`, or `2026-10-01 00:00Z to 2026-10-08 00:00Z`. */
  readonly label: string;
  /** How it was given: a named period or an explicit range. */
  readonly kind: 'month' | 'quarter' | 'week' | 'day' | 'year' | 'range';
}

export const PERIOD_FORMS = '2026-10 (a month), 2026-Q4 (a quarter), 2026-W43 (an ISO week), 2026-10-05 (a day) or 2026 (a year), in UTC';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DAY_MS = 86_400_000;

/** Monday 00:00 UTC of ISO week 1 of `year` (the week holding 4 January). */
function isoWeekOne(year: number): number {
  const jan4 = Date.UTC(year, 0, 4);
  const dow = (new Date(jan4).getUTCDay() + 6) % 7; // Monday 0
  return jan4 - dow * DAY_MS;
}

/** The number of ISO weeks of `year` (52 or 53). */
export function isoWeeksIn(year: number): number {
  return Math.round((isoWeekOne(year + 1) - isoWeekOne(year)) / (7 * DAY_MS));
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** `2026-10-01 00:00Z`. */
export function minuteText(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16).replace('T', ' ') + 'Z';
}

/** A `--period` value, or the sentence of what is wrong with it. */
export function parsePeriod(text: string): { period: ReportPeriod; error?: undefined } | { period?: undefined; error: string } {
  const t = text.trim();
  const bad = (why: string) => ({ error: `--period ${JSON.stringify(text)}: ${why}; expected ${PERIOD_FORMS}` });
  let m: RegExpMatchArray | null;
  const yearOk = (y: number) => y >= 1970 && y <= 9999;
  if ((m = /^(\d{4})$/.exec(t))) {
    const y = Number(m[1]);
    if (!yearOk(y)) return bad(`the year ${y} is out of range`);
    return { period: { from: Date.UTC(y, 0, 1), to: Date.UTC(y + 1, 0, 1), label: String(y), kind: 'year' } };
  }
  if ((m = /^(\d{4})-(\d{1,2})$/.exec(t))) {
    const y = Number(m[1]);
    const mo = Number(m[2]);
    if (!yearOk(y)) return bad(`the year ${y} is out of range`);
    if (mo < 1 || mo > 12) return bad(`there is no month ${mo}`);
    return { period: { from: Date.UTC(y, mo - 1, 1), to: Date.UTC(y, mo, 1), label: `${MONTHS[mo - 1]} ${y}`, kind: 'month' } };
  }
  if ((m = /^(\d{4})-Q(\d)$/i.exec(t))) {
    const y = Number(m[1]);
    const q = Number(m[2]);
    if (!yearOk(y)) return bad(`the year ${y} is out of range`);
    if (q < 1 || q > 4) return bad(`there is no quarter Q${q}`);
    return { period: { from: Date.UTC(y, (q - 1) * 3, 1), to: Date.UTC(y, q * 3, 1), label: `Q${q} ${y}`, kind: 'quarter' } };
  }
  if ((m = /^(\d{4})-W(\d{1,2})$/i.exec(t))) {
    const y = Number(m[1]);
    const w = Number(m[2]);
    if (!yearOk(y)) return bad(`the year ${y} is out of range`);
    const weeks = isoWeeksIn(y);
    if (w < 1 || w > weeks) return bad(`${y} has ISO weeks 1 to ${weeks}, not ${w}`);
    const from = isoWeekOne(y) + (w - 1) * 7 * DAY_MS;
    return { period: { from, to: from + 7 * DAY_MS, label: `${y}-W${pad(w)}`, kind: 'week' } };
  }
  if ((m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(t))) {
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    if (!yearOk(y)) return bad(`the year ${y} is out of range`);
    if (mo < 1 || mo > 12) return bad(`there is no month ${mo}`);
    const from = Date.UTC(y, mo - 1, d);
    if (d < 1 || new Date(from).getUTCDate() !== d) return bad(`${MONTHS[mo - 1]} ${y} has no day ${d}`);
    return { period: { from, to: from + DAY_MS, label: `${y}-${pad(mo)}-${pad(d)}`, kind: 'day' } };
  }
  return bad('not a period');
}

/** An explicit range `--from`/`--to` (Unix ms, already parsed by the host), or what is wrong. */
export function rangePeriod(from: number, to: number): { period: ReportPeriod; error?: undefined } | { period?: undefined; error: string } {
  if (!(to > from)) return { error: `--from ${minuteText(from)} is not before --to ${minuteText(to)}: the period would be empty` };
  return { period: { from, to, label: `${minuteText(from)} to ${minuteText(to)}`, kind: 'range' } };
}
