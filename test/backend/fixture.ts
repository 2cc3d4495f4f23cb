// Shared by the backend tests: three days of the samples' data (samples/data/generate.mjs, with a
// counter reset, an incident that pages and a latency regression), placed ten days in the past so
// that VictoriaMetrics accepts it (it refuses samples more than two days ahead of the clock), and
// `pace preview samples … --format json` run in process.
import * as path from 'node:path';
import { expect } from 'vitest';
import { main } from '../../server/src/cli/main.js';
import type { NormalizedModel } from '../../server/src/core/index.js';
import { loadWorkspace, readProject } from '../../server/src/node/project.js';
// @ts-expect-error: a plain ES module script without types
import { generate } from '../../samples/data/generate.mjs';

export const root = path.join(__dirname, '../..');
export const MIN = 60_000;
export const HOUR = 60 * MIN;
export const DAY = 24 * HOUR;
/** Midnight UTC ten days ago: the first sample. */
export const S = Math.floor(Date.now() / DAY) * DAY - 10 * DAY;
/** The last sample (3 days of 1-minute samples). */
export const END = S + 3 * DAY;
export const INCIDENT = S + 2 * DAY + 10 * HOUR;

export function threeDays(): string {
  // The time-slice SLOs' events too (an exporter down longer than the lookback, a stuck sync and a replica
  // rebuild that open tickets), moved into the three days so that their alerts are compared as well.
  return generate({
    days: 3,
    start: S,
    restartAt: S + DAY + 5 * HOUR,
    incident: [INCIDENT, INCIDENT + 40 * MIN],
    regressionAt: S + DAY + 12 * HOUR,
    kpis: false,
    exporterDown: [S + DAY + 13 * HOUR, S + DAY + 13 * HOUR + 25 * MIN],
    syncStuck: [S + DAY + 8 * HOUR + 40 * MIN, S + DAY + 11 * HOUR + 10 * MIN],
    rebuild: [S + 2 * DAY + 15 * HOUR, S + 2 * DAY + 15 * HOUR + 40 * MIN, S + 2 * DAY + 16 * HOUR + 25 * MIN],
  }) as string;
}

export function samplesModel(): NormalizedModel {
  const analysis = loadWorkspace(readProject(path.join(root, 'samples'))).analyze();
  expect(analysis.errorCount).toBe(0);
  return analysis.normalized().model;
}

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

export async function pace(argv: string[], env: Record<string, string> = {}): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), cwd: root, env, isTTY: false });
  return { code, stdout, stderr };
}

export interface JsonPreview {
  at: string;
  data: { start: string; end: string } | null;
  slos: JsonSlo[];
  slas: { id: string; attainment: number | null; met: boolean | null; creditOwed: number | null; tier: string | null }[];
  issues: { severity: string; code: string; message: string }[];
}

export interface JsonSlo {
  id: string;
  sliKind: string;
  attainment: number | null;
  errorRatio: number | null;
  events: { total: number; bad: number } | null;
  errorBudget: { total: number; totalSeconds: number; remaining: number | null; remainingRatio: number | null; remainingSeconds: number | null; events: { allowed: number; remaining: number } | null };
  burnRates: Record<string, number | null>;
  currentBurn: { window: string; rate: number | null };
  exhausted: boolean;
  exhaustionAt: string | null;
  alerts: { severity: string; rule: string; ruleIndex: number; threshold: number; activeAt: string; firedAt: string; resolvedAt: string | null }[];
  window: { start: string; end: string };
  note?: string;
}

/** `pace preview samples <args> --format json`, expecting exit 0 and nothing on stderr. */
export async function previewJson(args: string[], env: Record<string, string> = {}): Promise<JsonPreview> {
  const r = await pace(['preview', 'samples', ...args, '--format', 'json'], env);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as JsonPreview;
}

/** Every number of two SLO previews side by side (null where either has none), by name. */
export function sloNumbers(s: JsonSlo): Record<string, number | null> {
  const out: Record<string, number | null> = {
    attainment: s.attainment,
    errorRatio: s.errorRatio,
    'events.total': s.events?.total ?? null,
    'events.bad': s.events?.bad ?? null,
    'budget.remaining': s.errorBudget.remaining,
    'budget.remainingRatio': s.errorBudget.remainingRatio,
    'budget.remainingSeconds': s.errorBudget.remainingSeconds,
    'budget.events.allowed': s.errorBudget.events?.allowed ?? null,
    'budget.events.remaining': s.errorBudget.events?.remaining ?? null,
    currentBurn: s.currentBurn.rate,
    exhaustionAt: s.exhaustionAt === null ? null : Date.parse(s.exhaustionAt),
  };
  for (const [w, v] of Object.entries(s.burnRates)) out[`burn ${w}`] = v;
  return out;
}

export const relDiff = (a: number, b: number) => (a === b ? 0 : Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b)));
