// CSV sample data: a header `timestamp,series,value` (any order, any case), then one sample a row.
// `timestamp` is RFC 3339 or Unix seconds; `series` is `name{label="v",...}` as PromQL writes it
// (a CSV field with commas is quoted, its quotes doubled: "x{a=""1"",b=""2""}"); `value` is a
// float as Prometheus reads it (NaN, +Inf, -Inf). Empty lines and lines starting with # are skipped.
import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { parse, type CsvError } from 'csv-parse';
import { bucketProblem, Collector, kindFromName, type SeriesEntry } from './collector.js';
import type { IssueInput } from './issues.js';
import { boundLines, MAX_LINE_BYTES } from './lines.js';
import { parsePromFloat, parseTimestamp } from './numbers.js';
import { isSeriesTextError, parseSeriesText } from './series-text.js';

const COLUMNS = ['timestamp', 'series', 'value'] as const;

interface Row {
  readonly record: string[];
  readonly info: { readonly lines: number };
}

export async function readCsv(file: string, fileIdx: number, col: Collector): Promise<void> {
  const name = col.files[fileIdx];
  const issue = (i: Omit<IssueInput, 'file'>) => col.sink.add({ ...i, file: name });
  const cache = new Map<string, SeriesEntry>();
  const parser = parse({
    info: true,
    bom: true,
    trim: true,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    comment: '#',
    comment_no_infix: true,
    skip_records_with_error: true,
    on_skip: (err: CsvError | undefined) => {
      if (err) issue({ code: 'data/syntax', line: (err as CsvError & { lines?: number }).lines, message: err.message.replace(/^Invalid Record Length: |^Invalid Closing Quote: /, '') });
      return undefined;
    },
  });
  let at: Record<(typeof COLUMNS)[number], number> | undefined;
  let width = 0;
  let bad = false;
  // A line longer than MAX_LINE_BYTES is cut short before the parser buffers it (a 1 GB file without a newline).
  const bounded = boundLines((line, bytes, atEnd) => issue({ code: 'data/syntax', line, message: `the line is ${bytes.toLocaleString('en-US')} bytes long, more than the ${MAX_LINE_BYTES.toLocaleString('en-US')} a line may have: skipped, unread${atEnd ? ' (the file ends inside it, with no newline)' : ''}` }));
  await pipeline(createReadStream(file), bounded, parser, async (rows: AsyncIterable<Row>) => {
    for await (const { record, info } of rows) {
      const line = info.lines;
      if (bad) continue;
      if (!at) {
        const names = record.map((c) => c.toLowerCase());
        const missing = COLUMNS.filter((c) => !names.includes(c));
        if (missing.length) {
          issue({ code: 'data/csv-header', line, message: `the header "${record.join(',')}" lacks ${missing.join(', ')}: the first line names the columns timestamp,series,value; the file is skipped` });
          bad = true;
          continue;
        }
        const extra = record.filter((c) => !(COLUMNS as readonly string[]).includes(c.toLowerCase()));
        if (extra.length) issue({ code: 'data/csv-header', severity: 'warning', line, message: `column${extra.length > 1 ? 's' : ''} ${extra.join(', ')} ignored: sample data has timestamp,series,value` });
        at = { timestamp: names.indexOf('timestamp'), series: names.indexOf('series'), value: names.indexOf('value') };
        width = Math.max(at.timestamp, at.series, at.value) + 1;
        continue;
      }
      if (record.length < width) {
        issue({ code: 'data/syntax', line, message: `${record.length} field${record.length === 1 ? '' : 's'}: the row needs ${width}, as the header says${record.length === 1 && record[0].includes('{') ? ' (a series with commas must be quoted: "x{a=""1"",b=""2""}")' : ''}` });
        continue;
      }
      const seriesText = record[at.series];
      let e = cache.get(seriesText);
      if (e === undefined) {
        const r = parseSeriesText(seriesText, 0, true);
        if (isSeriesTextError(r) || seriesText.slice(r.end).trim() !== '') {
          const [msg, pos] = isSeriesTextError(r) ? [r.error, r.at] : ['unexpected text after the series', r.end];
          issue({ code: r && isSeriesTextError(r) && r.duplicate ? 'data/duplicate-label' : 'data/syntax', line, message: `series "${seriesText}": ${msg} (character ${pos + 1})` });
          continue;
        }
        e = col.series(r.metric, r.labels, kindFromName(r.metric), fileIdx);
        const problem = bucketProblem(r.metric, r.labels);
        if (problem) issue({ code: 'data/type', line, series: e.key, message: problem });
        cache.set(seriesText, e);
      }
      const t = parseTimestamp(record[at.timestamp]);
      if (typeof t === 'string') {
        issue({ code: 'data/syntax', line, series: e.key, message: `timestamp: ${t}` });
        continue;
      }
      const v = parsePromFloat(record[at.value]);
      if (typeof v === 'string') {
        issue({ code: 'data/syntax', line, series: e.key, message: `value: ${v}` });
        continue;
      }
      col.add(e, fileIdx, t, v, line);
    }
  });
  if (!at && !bad) issue({ code: 'data/csv-header', message: 'the file is empty: it needs the header timestamp,series,value' });
}
