// Reading typed values out of blocks, shared by the checker, the normalizer and the editor features.
import type { Attribute, Block, CalendarValue, NumberValue, Value } from '../../../../grammar/src/ast.js';
import { CALENDAR_UNITS } from '../language/blocks.js';
import type { Window } from '../budget/budget.js';

export function attribute(block: Block, name: string): Attribute | undefined {
  for (const m of block.members) if (m.type === 'attribute' && m.name.text === name) return m;
  return undefined;
}

export function attributeValue(block: Block, name: string): Value | undefined {
  return attribute(block, name)?.value;
}

export function percentOf(v: Value | undefined): number | undefined {
  return v?.type === 'number' && v.unit === 'percent' ? v.value : undefined;
}

export function durationOf(v: Value | undefined): number | undefined {
  return v?.type === 'number' && v.unit === 'duration' ? v.value : undefined;
}

export function numberOf(v: Value | undefined): NumberValue | undefined {
  return v?.type === 'number' ? v : undefined;
}

export { canonicalTimeZone, isValidTimeZone, timeZoneSuggestion } from '../budget/time-zones.js';
import { isValidTimeZone } from '../budget/time-zones.js';

/** A well-formed window value, or undefined (the checker reports why). */
export function windowOf(v: Value | undefined): Window | undefined {
  if (!v) return undefined;
  if (v.type === 'number' && v.unit === 'duration' && v.value > 0) return { type: 'rolling', seconds: v.value / 1000 };
  if (v.type === 'calendar') return calendarWindow(v);
  return undefined;
}

function calendarWindow(v: CalendarValue): Window | undefined {
  const unit = v.unit?.text;
  if (!unit || !(CALENDAR_UNITS as readonly string[]).includes(unit)) return undefined;
  const tz = v.timeZone?.value ?? 'UTC';
  if (!isValidTimeZone(tz)) return undefined;
  return { type: 'calendar', unit: unit as 'week' | 'month' | 'quarter', timeZone: tz };
}

/** Text of a percentage as Pace writes it: 0.999 → `99.9%`. */
export function percentText(ratio: number): string {
  return `${Number((ratio * 100).toPrecision(10))}%`;
}
