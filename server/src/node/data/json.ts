// A saved Prometheus query_range answer:
//   {"status":"success","data":{"resultType":"matrix","result":[{"metric":{...},"values":[[t,"v"],...]}]}}
// as /api/v1/query_range returns it (timestamps in seconds, values as strings: "NaN", "+Inf").
// Tokenized by @streamparser/json with byte offsets, so memory stays bounded by one series and
// every problem has its line; the structure is checked here by a small state machine.
import { createReadStream } from 'node:fs';
import Tokenizer from '@streamparser/json/tokenizer.js';
import { MAX_LINE_BYTES } from './lines.js';
import TokenType from '@streamparser/json/utils/types/tokenType.js';
import { seriesKey } from '../../core/index.js';
import { bucketProblem, Collector, kindFromName, normalizeLabels } from './collector.js';
import type { IssueInput } from './issues.js';
import { MAX_TIMESTAMP_MS, parsePromFloat } from './numbers.js';

type Key = string | number;
type Frame = { obj: true; state: 'key' | 'colon' | 'value' | 'comma'; key: string } | { obj: false; state: 'value' | 'comma'; index: number; empty: boolean };

interface Result {
  line: number;
  labels: Record<string, string>;
  t: number[];
  v: number[];
  lines: number[];
}

interface Pair {
  line: number;
  items: unknown[];
  nested: boolean;
}

const TOKEN_TEXT: Record<number, string> = { 0: '{', 1: '}', 2: '[', 3: ']', 4: ':', 5: ',' };

class JsonStop extends Error {}

export async function readQueryRange(file: string, fileIdx: number, col: Collector): Promise<void> {
  const name = col.files[fileIdx];
  const issue = (i: Omit<IssueInput, 'file'>) => col.sink.add({ ...i, file: name });
  const shape = (line: number, message: string) => issue({ code: 'data/json-shape', line, message });

  // Lines: the byte offsets of the newlines not yet passed (JSON has newlines only between tokens).
  let newlines: number[] = [];
  let nlHead = 0;
  let line = 1;
  const lineAt = (offset: number): number => {
    while (nlHead < newlines.length && newlines[nlHead] < offset) {
      nlHead++;
      line++;
    }
    return line;
  };

  let status: string | undefined;
  let statusLine = 1;
  let errorType: string | undefined;
  let errorText: string | undefined;
  let resultType: string | undefined;
  let skip = false;
  let result: Result | undefined;
  let pair: Pair | undefined;
  let histogramsReported = false;
  let sawDocument = false;

  const finishResult = (r: Result): void => {
    if (skip) return;
    const labels = { ...r.labels };
    const metric = labels.__name__ ?? '';
    delete labels.__name__;
    const key = seriesKey(metric, normalizeLabels(labels));
    if (metric === '') {
      issue({ code: 'data/no-name', line: r.line, series: key, message: `series ${key} has no __name__ (the query's answer was an expression, not a raw series): selectors by metric name cannot find it` });
    }
    if (r.t.length === 0) {
      if (!col.has(key)) col.empty(key, fileIdx, r.line);
      return;
    }
    const e = col.series(metric, labels, kindFromName(metric), fileIdx);
    const problem = bucketProblem(metric, e.labels);
    if (problem) issue({ code: 'data/type', line: r.line, series: key, message: problem });
    for (let i = 0; i < r.t.length; i++) col.add(e, fileIdx, r.t[i], r.v[i], r.lines[i]);
  };

  const finishPair = (p: Pair, r: Result): void => {
    const [ts, val] = p.items;
    if (p.nested || p.items.length !== 2 || typeof ts !== 'number' || typeof val !== 'string') {
      shape(p.line, `a sample is [unix_seconds, "value"], not ${p.nested ? 'a nested value' : JSON.stringify(p.items)}`);
      return;
    }
    const v = parsePromFloat(val);
    if (typeof v === 'string') {
      issue({ code: 'data/syntax', line: p.line, message: `value: ${v}` });
      return;
    }
    const t = Math.round(ts * 1000);
    if (!(Math.abs(t) <= MAX_TIMESTAMP_MS)) {
      issue({ code: 'data/syntax', line: p.line, message: `timestamp ${ts} is out of range` });
      return;
    }
    r.t.push(t);
    r.v.push(v);
    r.lines.push(p.line);
  };

  // Semantic actions by path.
  const onScalar = (path: readonly Key[], token: number, value: unknown, at: number): void => {
    const d = path.length;
    if (d === 1) {
      if (path[0] === 'status') {
        statusLine = at;
        if (typeof value !== 'string') return shape(at, '"status" is a string');
        status = value;
        if (status !== 'success') skip = true;
      } else if (path[0] === 'errorType' && typeof value === 'string') errorType = value;
      else if (path[0] === 'error' && typeof value === 'string') errorText = value;
      else if (path[0] === 'data') shape(at, '"data" is an object');
      return;
    }
    if (d === 2 && (path[0] === 'warnings' || path[0] === 'infos') && typeof value === 'string') {
      issue({ code: 'data/query-warning', line: at, message: `Prometheus ${path[0] === 'infos' ? 'info' : 'warning'}: ${value}` });
      return;
    }
    if (path[0] !== 'data') return;
    if (d === 2 && path[1] === 'resultType') {
      resultType = typeof value === 'string' ? value : String(value);
      if (resultType !== 'matrix') {
        shape(at, `resultType "${resultType}": sample data is a query_range answer (resultType "matrix"), from /api/v1/query_range`);
        skip = true;
      }
      return;
    }
    if (d === 2 && path[1] === 'result') return shape(at, '"result" is an array of series');
    if (path[1] !== 'result') return;
    if (d === 3) return shape(at, 'each result is an object {"metric": {...}, "values": [...]}');
    if (!result) return;
    if (d === 5 && path[3] === 'metric') {
      if (typeof value !== 'string') return shape(at, `label ${String(path[4])} has a ${token === TokenType.NUMBER ? 'number' : 'non-string'} value: label values are strings`);
      result.labels[path[4] as string] = value;
      return;
    }
    if (d === 4 && (path[3] === 'metric' || path[3] === 'values')) return shape(at, `"${path[3]}" is ${path[3] === 'metric' ? 'an object of labels' : 'an array of [t, "v"] pairs'}`);
    if (d === 5 && path[3] === 'values') return shape(at, 'a sample is [unix_seconds, "value"]');
    if (d === 6 && path[3] === 'values' && pair) pair.items.push(value);
  };

  const onOpen = (path: readonly Key[], obj: boolean, at: number): void => {
    const d = path.length;
    if (d === 0 && !obj) return shape(at, 'the answer is an object {"status": ..., "data": ...}');
    if (path[0] !== 'data') return;
    if (d === 1 && !obj) return shape(at, '"data" is an object');
    if (d === 2 && path[1] === 'result' && obj) return shape(at, '"result" is an array of series');
    if (path[1] !== 'result') return;
    if (d === 3) {
      if (!obj) return shape(at, 'each result is an object {"metric": {...}, "values": [...]}');
      result = { line: at, labels: {}, t: [], v: [], lines: [] };
      return;
    }
    if (!result) return;
    if (d === 4 && path[3] === 'metric' && !obj) return shape(at, '"metric" is an object of labels');
    if (d === 4 && path[3] === 'values' && obj) return shape(at, '"values" is an array of [t, "v"] pairs');
    if (d === 4 && path[3] === 'histograms' && !histogramsReported) {
      histogramsReported = true;
      shape(at, 'native histograms ("histograms") are not supported: they are ignored');
    }
    if (d === 4 && path[3] === 'value' && !skip) shape(at, '"value" is an instant query\'s answer: sample data is a query_range answer ("values")');
    if (d === 5 && path[3] === 'metric') return shape(at, `label ${String(path[4])} has a non-string value: label values are strings`);
    if (d === 5 && path[3] === 'values') {
      if (obj) return shape(at, 'a sample is [unix_seconds, "value"]');
      pair = { line: at, items: [], nested: false };
      return;
    }
    if (d === 6 && path[3] === 'values' && pair) pair.nested = true;
  };

  const onClose = (path: readonly Key[]): void => {
    const d = path.length;
    if (path[0] !== 'data' || path[1] !== 'result') return;
    if (d === 5 && path[3] === 'values' && pair && result) {
      finishPair(pair, result);
      pair = undefined;
    } else if (d === 3 && result) {
      finishResult(result);
      result = undefined;
    }
  };

  // The JSON structure: a stack of frames, the path of keys and indexes to the current value.
  const stack: Frame[] = [];
  const path: Key[] = [];
  let done = false;
  const valueStart = (at: number): void => {
    if (done) throw syntaxStop(at, 'data after the end of the JSON value');
    sawDocument = true;
  };
  const syntaxStop = (at: number, message: string) => {
    issue({ code: 'data/syntax', line: at, message: `${message}: the rest of the file is not read` });
    return new JsonStop();
  };
  const afterValue = (): void => {
    const top = stack[stack.length - 1];
    if (!top) done = true;
    else top.state = 'comma';
  };
  const expectingValue = (): boolean => {
    const top = stack[stack.length - 1];
    return !top ? !done : top.state === 'value';
  };

  const tokenizer = new Tokenizer();
  tokenizer.onToken = ({ token, value, offset }) => {
    const at = lineAt(offset);
    tokenSeen = true;
    const top = stack[stack.length - 1];
    switch (token) {
      case TokenType.LEFT_BRACE:
      case TokenType.LEFT_BRACKET: {
        if (!expectingValue()) throw syntaxStop(at, `unexpected "${TOKEN_TEXT[token]}"`);
        valueStart(at);
        if (top && !top.obj) top.empty = false;
        const obj = token === TokenType.LEFT_BRACE;
        onOpen(path, obj, at);
        stack.push(obj ? { obj: true, state: 'key', key: '' } : { obj: false, state: 'value', index: 0, empty: true });
        if (!obj) path.push(0);
        return;
      }
      case TokenType.RIGHT_BRACE:
      case TokenType.RIGHT_BRACKET: {
        const obj = token === TokenType.RIGHT_BRACE;
        const ok = top !== undefined && top.obj === obj && (top.state === 'comma' || (top.obj ? top.state === 'key' && top.key === '' : top.empty));
        if (!ok) throw syntaxStop(at, `unexpected "${TOKEN_TEXT[token]}"`);
        stack.pop();
        if (!obj || top.state === 'comma') path.pop();
        onClose(path);
        afterValue();
        return;
      }
      case TokenType.COLON:
        if (!top || !top.obj || top.state !== 'colon') throw syntaxStop(at, 'unexpected ":"');
        top.state = 'value';
        return;
      case TokenType.COMMA:
        if (!top || top.state !== 'comma') throw syntaxStop(at, 'unexpected ","');
        if (top.obj) {
          top.state = 'key';
          top.key = ',';
          path.pop();
        } else {
          top.state = 'value';
          top.index++;
          path[path.length - 1] = top.index;
        }
        return;
      default: {
        if (top && top.obj && top.state === 'key') {
          if (token !== TokenType.STRING) throw syntaxStop(at, 'expected a key (a string)');
          top.key = value as string;
          top.state = 'colon';
          path.push(value as string);
          return;
        }
        if (!expectingValue()) throw syntaxStop(at, `unexpected ${JSON.stringify(value)}`);
        valueStart(at);
        if (top && !top.obj) top.empty = false;
        onScalar(path, token, value, at);
        afterValue();
      }
    }
  };
  tokenizer.onError = (err) => {
    throw err;
  };

  const bytePosition = (err: unknown): number | undefined => {
    const m = /absolute position "(\d+)"/.exec(String((err as Error)?.message));
    return m ? Number(m[1]) : undefined;
  };

  let stopped = false;
  let base = 0;
  /** Whether a token ended during the last write, and the bytes written since the last one: a bound on one value's size. */
  let tokenSeen = false;
  let quiet = 0;
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) {
    const buf = chunk as Buffer;
    if (nlHead > 0) {
      newlines = newlines.slice(nlHead);
      nlHead = 0;
    }
    for (let i = buf.indexOf(10); i >= 0; i = buf.indexOf(10, i + 1)) newlines.push(base + i);
    base += buf.length;
    try {
      tokenizer.write(buf);
    } catch (err) {
      stopped = true;
      if (err instanceof JsonStop) break;
      const pos = bytePosition(err);
      issue({ code: 'data/syntax', line: pos === undefined ? undefined : lineAt(pos), message: `not valid JSON: ${(err as Error).message.replace(/ at chunk position "\d+"/, '').replace(/ \(absolute position "\d+"\)/, '')}` });
      break;
    }
    quiet = tokenSeen ? 0 : quiet + buf.length;
    tokenSeen = false;
    if (quiet > MAX_LINE_BYTES) {
      // One value (a string, a number) longer than any real one: the tokenizer would hold all of it.
      stopped = true;
      issue({ code: 'data/syntax', line: lineAt(base), message: `a JSON value longer than ${MAX_LINE_BYTES.toLocaleString('en-US')} bytes (${quiet.toLocaleString('en-US')} read so far, up to this line): the rest of the file is not read` });
      break;
    }
  }
  if (!stopped) {
    try {
      tokenizer.end();
    } catch {
      stopped = true;
    }
    if (stopped || !done) {
      issue({ code: 'data/syntax', line: lineAt(base), message: sawDocument ? 'the JSON ends before its value is complete (a truncated file?)' : 'the file holds no JSON value' });
      stopped = true;
    }
  }
  if (status === undefined) {
    if (!stopped || sawDocument) shape(1, 'no "status": this is not a Prometheus API answer ({"status": "success", "data": {...}})');
  } else if (status !== 'success') {
    issue({
      code: 'data/query-error',
      line: statusLine,
      message: status === 'error' ? `the saved query failed: ${errorType ?? 'error'}: ${errorText ?? '(no message)'}` : `status "${status}" (expected "success")`,
    });
  } else if (resultType === undefined && !stopped) {
    shape(statusLine, 'no "data.resultType": expected "matrix"');
  }
}
