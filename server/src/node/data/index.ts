// Sample data for previews: files streamed into the shared in-memory form
// (core/evaluate/series.ts). The format follows the extension: .om, .txt, .prom → OpenMetrics,
// .csv → CSV, .json → a saved Prometheus query_range answer. Globs are resolved by the caller.
// Nothing here throws on user input: every problem is a located DataIssue (docs/sample-data.md).
import * as path from 'node:path';
import type { SampleData } from '../../core/index.js';
import { Collector, DEFAULT_LOOKBACK_MS } from './collector.js';
import { readCsv } from './csv.js';
import { DEFAULT_MAX_ISSUES_PER_CODE, IssueSink } from './issues.js';
import { readQueryRange } from './json.js';
import { readOpenMetrics } from './openmetrics.js';
import { withoutCompression } from './compressed.js';

export { DATA_ISSUE_CODES, type DataIssueCode } from './issues.js';
export { writeOpenMetrics } from './openmetrics-writer.js';

export type SampleFormat = 'openmetrics' | 'csv' | 'query-range';

export interface LoadOptions {
  /** Read every file in this format whatever its extension. */
  readonly format?: SampleFormat;
  /** Issues kept per file and code before "N more" (default 20). */
  readonly maxIssuesPerCode?: number;
  /** Gaps longer than this are reported (default 5 minutes, Prometheus's lookback delta). */
  readonly lookbackMs?: number;
}

const EXTENSIONS: Record<string, SampleFormat> = { '.om': 'openmetrics', '.txt': 'openmetrics', '.prom': 'openmetrics', '.csv': 'csv', '.json': 'query-range' };

/** The format of a file by its extension, or undefined. */
export function formatOf(file: string): SampleFormat | undefined {
  return EXTENSIONS[path.extname(withoutCompression(file)).toLowerCase()];
}

const READERS: Record<SampleFormat, (file: string, fileIdx: number, col: Collector) => Promise<void>> = {
  openmetrics: readOpenMetrics,
  csv: readCsv,
  'query-range': readQueryRange,
};

/**
 * Reads `files` (named as the user named them; relative paths against the working directory) into
 * series sorted by key, merging a series found in several files, with every issue found.
 */
export async function loadSampleData(files: readonly string[], opts: LoadOptions = {}): Promise<SampleData> {
  const sink = new IssueSink(opts.maxIssuesPerCode ?? DEFAULT_MAX_ISSUES_PER_CODE);
  const col = new Collector(sink, files, opts.lookbackMs ?? DEFAULT_LOOKBACK_MS);
  for (let i = 0; i < files.length; i++) {
    const file = files[i];
    const format = opts.format ?? formatOf(file);
    if (!format) {
      sink.add({ code: 'data/unknown-format', file, message: `${path.extname(file) || 'no extension'}: sample data is .om, .txt or .prom (OpenMetrics), .csv or .json (a query_range answer)` });
      continue;
    }
    try {
      await READERS[format](file, i, col);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException | undefined)?.code;
      if (typeof code !== 'string' || !/^E[A-Z]+$/.test(code)) throw err;
      sink.add({ code: 'data/io', file, message: `cannot read the file: ${(err as Error).message}` });
    }
  }
  const series = col.finish();
  return { series, issues: sink.finish(files) };
}

/** One OpenMetrics file (any extension). */
export const loadOpenMetrics = (file: string, opts: LoadOptions = {}) => loadSampleData([file], { ...opts, format: 'openmetrics' });
/** One CSV file (any extension). */
export const loadCsv = (file: string, opts: LoadOptions = {}) => loadSampleData([file], { ...opts, format: 'csv' });
/** One saved query_range answer (any extension). */
export const loadQueryRange = (file: string, opts: LoadOptions = {}) => loadSampleData([file], { ...opts, format: 'query-range' });
