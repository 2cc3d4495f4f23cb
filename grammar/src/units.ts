// The one table of units: Pace's duration units with their length, the percent sign, and the
// words people write for them (`30 days`, `99.9 percent`). The parser, the checker's unit fixes and
// completion all read it.

/** Pace's duration units and their length in milliseconds. */
export const DURATION_UNITS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** The units completion offers, with their docs and the value types they fit. */
export const UNITS: readonly { readonly unit: string; readonly doc: string; readonly types: readonly string[] }[] = [
  { unit: '%', doc: 'percent', types: ['percent'] },
  { unit: 'ms', doc: 'milliseconds', types: ['duration', 'window'] },
  { unit: 's', doc: 'seconds', types: ['duration', 'window'] },
  { unit: 'm', doc: 'minutes', types: ['duration', 'window'] },
  { unit: 'h', doc: 'hours', types: ['duration', 'window'] },
  { unit: 'd', doc: 'days', types: ['duration', 'window'] },
  { unit: 'w', doc: 'weeks (7 days)', types: ['duration', 'window'] },
];

/**
 * Unit words (lower case) written after a number with a space → the Pace unit they mean, or null for
 * months and years, which have no fixed length (the checker offers a calendar window instead).
 */
export const UNIT_WORDS: Readonly<Record<string, string | null>> = {
  ms: 'ms', msec: 'ms',
  s: 's', sec: 's', secs: 's', second: 's', seconds: 's',
  m: 'm', min: 'm', mins: 'm', minute: 'm', minutes: 'm',
  h: 'h', hr: 'h', hrs: 'h', hour: 'h', hours: 'h',
  d: 'd', day: 'd', days: 'd',
  w: 'w', week: 'w', weeks: 'w',
  month: null, months: null, year: null, years: null,
  percent: '%', pct: '%',
};
