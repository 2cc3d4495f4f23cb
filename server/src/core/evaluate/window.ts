// The span of an SLO's, SLA's or KPI's window at an instant: a rolling window ends at the instant,
// a calendar window starts at the period's start in its time zone (luxon, via the budget math).
import { calendarPeriod, formatDuration } from '../budget/budget.js';
import type { Window } from '../model/model.js';

export interface WindowSpan {
  /** `30d`, `calendar month in Europe/Paris`. */
  readonly label: string;
  /** Unix ms. */
  readonly start: number;
  readonly end: number;
  /** The calendar period's label (`Jun 2026`) and end. */
  readonly period?: string;
  readonly periodEnd?: number;
}

/** The window of an SLO, SLA or KPI at instant `at`. */
export function windowAt(w: Window, at: number): WindowSpan {
  if (w.type === 'rolling') return { label: formatDuration(w.seconds), start: at - w.seconds * 1000, end: at };
  const p = calendarPeriod(w.unit, at, w.timeZone);
  const zone = w.timeZone !== 'UTC' ? ` in ${w.timeZone}` : '';
  return { label: `calendar ${w.unit}${zone}`, start: p.start, end: at, period: p.label, periodEnd: p.end };
}

