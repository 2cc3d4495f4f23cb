// The bad-sample-data catalogue (issue 10): small generated files, each with the issue Pace
// reports for it. test/data/bad-data.test.ts runs each through the real loader; docs/sample-data.md
// "Bad data" lists every case (a test checks it).
import { gzipSync } from 'node:zlib';

export interface BadDataCase {
  /** Short name, as listed in the docs table. */
  readonly name: string;
  /** File name (the extension picks the format). */
  readonly file: string;
  readonly content: string | Buffer;
  /** The issue expected: code, 1-based line (absent when the issue has none), and a message pattern. */
  readonly code: string;
  readonly line?: number;
  readonly message: RegExp;
  /** Series loaded despite the issue (default: not checked). */
  readonly series?: number;
}

const T = 1790812800; // 2026-10-01T00:00:00Z, seconds
const om = (...lines: string[]) => lines.join('\n') + '\n';
const counter = (n: number, v: (i: number) => number | string, ts: (i: number) => number = (i) => T + 60 * i) =>
  Array.from({ length: n }, (_, i) => `req_total{job="api"} ${v(i)} ${ts(i)}`);

export const BAD_DATA_CASES: readonly BadDataCase[] = [
  { name: 'gap longer than the lookback', file: 'gap.om', content: om('# TYPE req counter', `req_total{job="api"} 1 ${T}`, `req_total{job="api"} 2 ${T + 600}`, '# EOF'), code: 'data/gap', line: 3, message: /no sample for 10m between .* longer than the 5m lookback/ },
  { name: 'counter reset', file: 'reset.om', content: om('# TYPE req counter', ...counter(3, (i) => [5, 9, 2][i]), '# EOF'), code: 'data/counter-reset', line: 4, message: /counter goes down from 9 to 2 .*a reset/ },
  { name: 'NaN value', file: 'nan.om', content: om('# TYPE q gauge', `q 1 ${T}`, `q NaN ${T + 60}`, '# EOF'), code: 'data/non-finite', line: 3, message: /1 NaN value .*kept/ },
  { name: '+Inf value in a counter', file: 'inf.om', content: om('# TYPE req counter', ...counter(2, (i) => (i ? '+Inf' : 1)), '# EOF'), code: 'data/non-finite', line: 3, message: /±Inf value .*increase\(\) and rate\(\)/ },
  { name: '-Inf value', file: 'neginf.om', content: om('# TYPE q gauge', `q 1 ${T}`, `q -Inf ${T + 60}`, '# EOF'), code: 'data/non-finite', line: 3, message: /1 ±Inf value/ },
  { name: 'sample out of order', file: 'order.om', content: om('# TYPE req counter', ...counter(3, (i) => i, (i) => T + [0, 120, 60][i]), '# EOF'), code: 'data/out-of-order', line: 4, message: /is older than one .* in the same 2-hour block: dropped/ },
  { name: 'sample in an earlier 2-hour block', file: 'unsorted.om', content: om('# TYPE req counter', ...counter(2, (i) => i, (i) => T + [7200, 0][i]), '# EOF'), code: 'data/unsorted', line: 3, message: /in an earlier 2-hour block: kept/ },
  { name: 'duplicate timestamp, different value', file: 'dupts.om', content: om('# TYPE req counter', ...counter(2, (i) => i, () => T), '# EOF'), code: 'data/duplicate-timestamp', line: 3, message: /a second value 1 at .*where 0 was read first: the first is kept/ },
  { name: 'duplicate sample', file: 'dup.om', content: om('# TYPE req counter', ...counter(2, () => 1, () => T), '# EOF'), code: 'data/duplicate-sample', line: 3, message: /appears twice: merged/ },
  { name: 'duplicate series in two files', file: 'dupseries.csv', content: `timestamp,series,value\n${T},up{job="a"},1\n${T},up{ job = "a" },0\n`, code: 'data/duplicate-timestamp', line: 3, message: /a second value 0 .* where 1 was read first/ },
  { name: 'duplicate label name', file: 'duplabel.om', content: om(`up{a="1",a="2"} 1 ${T}`, '# EOF'), code: 'data/duplicate-label', line: 1, message: /label a appears twice in one series/ },
  { name: 'counter declared gauge (_total name)', file: 'gauge-total.om', content: om('# TYPE req gauge', `req_total 1 ${T}`, '# EOF'), code: 'data/type', line: 2, message: /req_total is not a sample of gauge req/ },
  { name: 'negative counter', file: 'negcounter.om', content: om('# TYPE req counter', `req_total -1 ${T}`, '# EOF'), code: 'data/type', line: 2, message: /counter value -1 .* is negative/ },
  { name: 'text in a value', file: 'text.om', content: om(`up one ${T}`, '# EOF'), code: 'data/syntax', line: 1, message: /\"one\" is not a number/ },
  { name: 'truncated mid-line', file: 'cut.om', content: `# TYPE req counter\nreq_total{job="api"} 1 ${T}\nreq_total{job="a`, code: 'data/syntax', line: 3, message: /the value of label job is not closed/ },
  { name: 'truncated gzip', file: 'cut.om.gz', content: gzipSync(om(...counter(2000, (i) => i), '# EOF')).subarray(0, 2000), code: 'data/io', message: /not a valid gzip file \(unexpected end of file\)/ },
  { name: 'empty file', file: 'empty.om', content: '', code: 'data/missing-eof', message: /the file is empty/ },
  { name: 'only comments', file: 'comments.om', content: om('# HELP req Requests.', '# TYPE req counter', '# EOF'), code: 'data/empty-series', line: 2, message: /counter family req has no samples/ },
  { name: 'huge label set', file: 'labels.om', content: om(`up{${Array.from({ length: 300 }, (_, i) => `l${i}="v"`).join(',')}} 1 ${T}`, '# EOF'), code: 'none', message: /^$/ },
  { name: 'very long label value', file: 'longvalue.om', content: om(`up{a="${'x'.repeat(200_000)}"} 1 ${T}`, '# EOF'), code: 'none', message: /^$/ },
  { name: 'invalid UTF-8', file: 'utf8.om', content: Buffer.concat([Buffer.from(`up{a="`), Buffer.from([0xff, 0xfe]), Buffer.from(`"} 1 ${T}\n# EOF\n`)]), code: 'data/invalid-utf8', line: 1, message: /not valid UTF-8: skipped/ },
  { name: 'byte order mark', file: 'bom.om', content: `\uFEFFup 1 ${T}\n# EOF\n`, code: 'data/syntax', line: 1, message: /byte order mark .*save the file without the BOM/ },
  { name: 'CRLF line endings', file: 'crlf.om', content: `up 1 ${T}\r\nup 2 ${T + 60}\r\n# EOF\r\n`, code: 'data/syntax', line: 1, message: /Windows line endings/ },
  { name: 'missing # EOF', file: 'noeof.om', content: `up 1 ${T}\n`, code: 'data/missing-eof', line: 1, message: /does not end with \"# EOF\"/ },
  { name: 'data after # EOF', file: 'aftereof.om', content: `up 1 ${T}\n# EOF\nup 2 ${T + 60}\n`, code: 'data/after-eof', line: 3, message: /data after \"# EOF\" \(line 2\)/ },
  { name: 'missing timestamp', file: 'nots.om', content: om('up 1', '# EOF'), code: 'data/missing-timestamp', line: 1, message: /no timestamp/ },
  { name: 'timestamps in milliseconds', file: 'ms.om', content: om(`up 1 ${T * 1000}`, `up 2 ${(T + 60) * 1000}`, '# EOF'), code: 'data/far-timestamp', line: 1, message: /after the year 9999: it looks like milliseconds/ },
  { name: 'future timestamps', file: 'future.om', content: om(`up 1 ${T + 100 * 365 * 86400}`, '# EOF'), code: 'none', message: /^$/ },
  { name: 'timestamp before 1970', file: 'negts.om', content: om('up 1 -60', '# EOF'), code: 'data/negative-timestamp', line: 1, message: /before 1970/ },
  { name: 'CSV missing column', file: 'nocol.csv', content: `timestamp,value\n${T},1\n`, code: 'data/csv-header', line: 1, message: /lacks series/ },
  { name: 'CSV row with too few fields', file: 'short.csv', content: `timestamp,series,value\n${T},up\n`, code: 'data/syntax', line: 2, message: /2 fields: the row needs 3/ },
  { name: 'CSV bad number', file: 'num.csv', content: `timestamp,series,value\n${T},up,1\n${T + 60},up,"1,5"\n`, code: 'data/syntax', line: 3, message: /\"1,5\" is not a number: the decimal separator is \".\"/ },
  { name: 'CSV bad date', file: 'date.csv', content: `timestamp,series,value\n2026-13-45T00:00:00Z,up,1\n`, code: 'data/syntax', line: 2, message: /not a valid date and time/ },
  { name: 'CSV bad series', file: 'series.csv', content: `timestamp,series,value\n${T},up{job=~"a"},1\n`, code: 'data/syntax', line: 2, message: /only \"=\" is allowed/ },
  { name: 'query_range status error', file: 'error.json', content: JSON.stringify({ status: 'error', errorType: 'bad_data', error: 'parse error at char 4' }), code: 'data/query-error', line: 1, message: /the saved query failed: bad_data: parse error at char 4/ },
  { name: 'query_range warnings', file: 'warn.json', content: JSON.stringify({ status: 'success', warnings: ['result truncated'], data: { resultType: 'matrix', result: [{ metric: { __name__: 'up' }, values: [[T, '1']] }] } }, null, 1), code: 'data/query-warning', line: 4, message: /Prometheus warning: result truncated/ },
  { name: 'query_range vector result', file: 'vector.json', content: JSON.stringify({ status: 'success', data: { resultType: 'vector', result: [{ metric: { __name__: 'up' }, value: [T, '1'] }] } }), code: 'data/json-shape', line: 1, message: /resultType \"vector\"/ },
  { name: 'query_range without __name__', file: 'noname.json', content: JSON.stringify({ status: 'success', data: { resultType: 'matrix', result: [{ metric: { job: 'a' }, values: [[T, '1']] }] } }), code: 'data/no-name', line: 1, message: /has no __name__/ },
  { name: 'query_range value not a string', file: 'numvalue.json', content: JSON.stringify({ status: 'success', data: { resultType: 'matrix', result: [{ metric: { __name__: 'up' }, values: [[T, 1]] }] } }), code: 'data/json-shape', line: 1, message: /a sample is \[unix_seconds, \"value\"\]/ },
  { name: 'malformed JSON', file: 'bad.json', content: '{"status": "success", "data": {"resultType": "matrix",,}}', code: 'data/syntax', line: 1, message: /unexpected \",\": the rest of the file is not read/ },
  { name: 'truncated JSON', file: 'cut.json', content: '{"status": "success", "data": {"resultType": "matrix", "result": [', code: 'data/syntax', line: 1, message: /ends before its value is complete/ },
  { name: '.gz that is not gzip', file: 'notgzip.om.gz', content: om(`up 1 ${T}`, '# EOF'), code: 'data/io', message: /not a valid gzip file/ },
  { name: '.br that is not brotli', file: 'notbr.om.br', content: om(`up 1 ${T}`, '# EOF'), code: 'data/io', message: /not a valid brotli file/ },
  { name: 'CSV with a byte order mark', file: 'bom.csv', content: `\uFEFFtimestamp,series,value\n${T},up,1\n`, code: 'none', message: /^$/ },
  { name: 'JSON with a byte order mark', file: 'bom.json', content: '\uFEFF' + JSON.stringify({ status: 'success', data: { resultType: 'matrix', result: [{ metric: { __name__: 'up' }, values: [[T, '1']] }] } }), code: 'none', message: /^$/ },
  { name: 'empty CSV', file: 'empty.csv', content: '', code: 'data/csv-header', message: /the file is empty/ },
  { name: 'CSV timestamps in milliseconds', file: 'ms.csv', content: `timestamp,series,value\n${T * 1000},up,1\n`, code: 'data/far-timestamp', line: 2, message: /looks like milliseconds/ },
  { name: 'query_range timestamps in milliseconds', file: 'ms.json', content: JSON.stringify({ status: 'success', data: { resultType: 'matrix', result: [{ metric: { __name__: 'up' }, values: [[T * 1000, '1']] }] } }), code: 'data/far-timestamp', line: 1, message: /looks like milliseconds/ },
  { name: 'two spaces between fields', file: 'spaces.om', content: om(`up  1 ${T}`, '# EOF'), code: 'data/syntax', line: 1, message: /found two spaces/ },
  { name: 'empty line', file: 'emptyline.om', content: om(`up 1 ${T}`, '', `up 2 ${T + 60}`, '# EOF'), code: 'data/syntax', line: 2, message: /empty line/ },
  { name: 'unknown TYPE', file: 'type.om', content: om('# TYPE up meter', `up 1 ${T}`, '# EOF'), code: 'data/syntax', line: 1, message: /invalid metric type \"meter\"/ },
  { name: 'histogram without +Inf bucket', file: 'hist.om', content: om('# TYPE d histogram', `d_bucket{le="0.1"} 1 ${T}`, `d_count 1 ${T}`, `d_sum 0.05 ${T}`, '# EOF'), code: 'none', message: /^$/ },
  { name: 'bucket without le', file: 'nole.om', content: om('# TYPE d histogram', `d_bucket 1 ${T}`, '# EOF'), code: 'data/type', line: 2, message: /has no \"le\" label/ },
  { name: 'query_range not an object', file: 'array.json', content: '[1, 2, 3]', code: 'data/json-shape', line: 1, message: /the answer is an object/ },
  { name: 'unknown extension', file: 'data.yaml', content: 'a: 1\n', code: 'data/unknown-format', message: /\.yaml: sample data is/ },
];

/**
 * Large files (issue 10): too big to hold in the catalogue above, written streaming into a temp
 * folder by test/data/huge.test.ts at CI_BYTES (200 MB), and at 1 GB once by
 * test/data/huge-script.mjs (figures in docs/robustness.md, "Bad sample data"). Each loads with
 * bounded memory (peak RSS measured in a child process) and the issue below.
 */
export interface LargeCase {
  readonly name: string;
  readonly file: string;
  readonly code: string;
  /** The line of the issue, from the number of lines the file has (`lines`, counting a last line without "\n"). */
  readonly line: (lines: number) => number;
  readonly message: RegExp;
}

export const LARGE_CASES: readonly LargeCase[] = [
  { name: '1 GB OpenMetrics whose last line is cut', file: 'huge-cut.om', code: 'data/syntax', line: (n) => n, message: /^the value of label namespace is not closed with '"' \(column 71\)$/ },
  { name: '1 GB OpenMetrics without a newline', file: 'huge-line.om', code: 'data/syntax', line: () => 1, message: /^the line is [\d,]+ bytes long, more than the 16,777,216 a line may have: skipped, unread \(the file ends inside it, with no newline: is it OpenMetrics text\?\)$/ },
  { name: '1 GB CSV without a newline after its header', file: 'huge-line.csv', code: 'data/syntax', line: () => 2, message: /^the line is [\d,]+ bytes long, more than the 16,777,216 a line may have: skipped, unread \(the file ends inside it, with no newline\)$/ },
  { name: '1 GB query_range answer with one endless string', file: 'huge-string.json', code: 'data/syntax', line: () => 1, message: /^a JSON value longer than 16,777,216 bytes \([\d,]+ read so far, up to this line\): the rest of the file is not read$/ },
];

/**
 * A backend that cannot answer `pace preview --prometheus` (test/data/backend-cases.test.ts runs
 * each against a real HTTP server on 127.0.0.1; test/backend/failures.test.ts checks the retries
 * and credentials in detail). `path` is the server's behaviour, the URL's path; the message is the
 * one line on stderr, exit 2.
 */
export interface BackendCase {
  readonly name: string;
  readonly path: 'hang' | 'boom' | 'bad' | 'html' | 'absent' | 'junk';
  readonly message: RegExp;
}

export const BACKEND_CASES: readonly BackendCase[] = [
  { name: 'backend times out', path: 'hang', message: /^pace: the Prometheus API at http:\/\/127\.0\.0\.1:\d+\/hang did not answer within 0\.3 s \(\/api\/v1\/query .*; 3 attempts\)$/ },
  { name: 'backend answers HTTP 500', path: 'boom', message: /^pace: the Prometheus API at http:\/\/127\.0\.0\.1:\d+\/boom answered HTTP 500: internal: storage is on fire \(\/api\/v1\/query .*; 3 attempts\)$/ },
  { name: 'backend answers status error', path: 'bad', message: /^pace: the Prometheus API at http:\/\/127\.0\.0\.1:\d+\/bad answered an error to \/api\/v1\/query .*: execution: query processing would load too many samples into memory$/ },
  { name: 'backend answers with something that is not JSON', path: 'html', message: /^pace: the Prometheus API at http:\/\/127\.0\.0\.1:\d+\/html answered HTTP 200 with something that is not JSON \(\/api\/v1\/query .*\): is the URL the API's base \(the part before \/api\/v1\)\?$/ },
  { name: 'backend not there', path: 'absent', message: /^pace: the Prometheus API at http:\/\/127\.0\.0\.1:\d+ could not be reached \(ECONNREFUSED.*\) \(\/api\/v1\/status\/\w+; 3 attempts\)$/ },
  { name: 'backend URL is not a URL', path: 'junk', message: /^pace: --prometheus: not a URL \(expected http\(s\):\/\/host:port, the part before \/api\/v1\)$/ },
];
