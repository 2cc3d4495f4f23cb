// The text of one series, `name{label="value",...}`, as OpenMetrics writes it (strict: no spaces,
// as promtool 2.42 reads it) and as PromQL writes a selector with only `=` matchers (lenient:
// spaces and a trailing comma allowed; CSV uses this).

export interface ParsedSeries {
  readonly metric: string;
  readonly labels: Record<string, string>;
  /** Index just after the series text. */
  readonly end: number;
}

export interface SeriesTextError {
  readonly error: string;
  /** 0-based index in the text. */
  readonly at: number;
  /** The error is a label name given twice (Prometheus rejects the sample, not the syntax). */
  readonly duplicate?: boolean;
}

const isNameStart = (c: number) => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
const isDigit = (c: number) => c >= 48 && c <= 57;
const isMetricChar = (c: number) => isNameStart(c) || isDigit(c) || c === 58;
const isLabelChar = (c: number) => isNameStart(c) || isDigit(c);

/** Label value escapes as Prometheus resolves them: `\\`, `\"`, `\n`; any other `\x` stays as written. */
export function unescapeLabelValue(raw: string): string {
  if (!raw.includes('\\')) return raw;
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (c === '\\' && i + 1 < raw.length) {
      const d = raw[i + 1];
      if (d === '\\' || d === '"') {
        out += d;
        i++;
        continue;
      }
      if (d === 'n') {
        out += '\n';
        i++;
        continue;
      }
    }
    out += c;
  }
  return out;
}

/** `\` → `\\`, `"` → `\"`, newline → `\n`: the inverse of unescapeLabelValue for any string. */
export function escapeLabelValue(v: string): string {
  return v.replace(/[\\"\n]/g, (c) => (c === '\n' ? '\\n' : `\\${c}`));
}

/**
 * Reads `name` or `name{a="1",b="2"}` from `text` at `start`. `lenient` allows spaces around
 * tokens, a trailing comma, `{__name__="x"}` and no name at all (PromQL selector syntax with `=` only).
 */
export function parseSeriesText(text: string, start: number, lenient: boolean): ParsedSeries | SeriesTextError {
  let i = start;
  const skip = () => {
    if (lenient) while (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9) i++;
  };
  skip();
  const nameStart = i;
  const c0 = text.charCodeAt(i);
  if (isNameStart(c0) || c0 === 58) {
    i++;
    while (i < text.length && isMetricChar(text.charCodeAt(i))) i++;
  }
  let metric = text.slice(nameStart, i);
  const labels: Record<string, string> = {};
  skip();
  if (metric === '' && text.charCodeAt(i) !== 123) {
    return { error: i >= text.length ? 'a metric name is missing' : `"${text[i]}" cannot start a metric name`, at: i };
  }
  if (text.charCodeAt(i) === 123) {
    i++;
    let first = true;
    for (;;) {
      skip();
      const c = text.charCodeAt(i);
      if (c === 125) {
        i++;
        break;
      }
      if (!first) {
        if (c !== 44) return { error: i >= text.length ? 'the label set is not closed with "}"' : 'expected "," or "}" after a label', at: i };
        i++;
        skip();
        if (lenient && text.charCodeAt(i) === 125) continue;
      }
      const ls = i;
      if (!isNameStart(text.charCodeAt(i))) {
        return { error: i >= text.length ? 'the label set is not closed with "}"' : first && text.charCodeAt(i) === 44 ? 'expected a label name or "}"' : 'expected a label name', at: i };
      }
      while (i < text.length && isLabelChar(text.charCodeAt(i))) i++;
      const name = text.slice(ls, i);
      skip();
      if (text.charCodeAt(i) !== 61) return { error: text.charCodeAt(i) === 58 ? 'label names cannot contain ":"' : `expected "=" after label ${name}`, at: i };
      i++;
      if (lenient && (text.charCodeAt(i) === 126 || text.charCodeAt(i) === 33 || text.charCodeAt(i - 2) === 33)) {
        return { error: 'a series names exact label values: only "=" is allowed', at: i - 1 };
      }
      skip();
      if (text.charCodeAt(i) !== 34) return { error: `expected a double-quoted value for label ${name}`, at: i };
      const vs = ++i;
      let escaped = false;
      for (;;) {
        if (i >= text.length) return { error: `the value of label ${name} is not closed with '"'`, at: vs - 1 };
        const d = text.charCodeAt(i);
        if (d === 10) return { error: `the value of label ${name} is not closed with '"'`, at: vs - 1 };
        if (d === 92) {
          escaped = true;
          i += 2;
          continue;
        }
        if (d === 34) break;
        i++;
      }
      if (i > text.length) return { error: `the value of label ${name} is not closed with '"'`, at: vs - 1 };
      const raw = text.slice(vs, i);
      i++;
      if (Object.prototype.hasOwnProperty.call(labels, name) || (name === '__name__' && lenient && metric !== '')) {
        return { error: `label ${name} appears twice`, at: ls, duplicate: true };
      }
      labels[name] = escaped ? unescapeLabelValue(raw) : raw;
      first = false;
    }
  }
  if (lenient && Object.prototype.hasOwnProperty.call(labels, '__name__')) {
    metric = labels.__name__;
    delete labels.__name__;
  }
  if (metric === '') return { error: 'a metric name is missing', at: nameStart };
  return { metric, labels, end: i };
}

export const isSeriesTextError = (r: ParsedSeries | SeriesTextError): r is SeriesTextError => 'error' in r;
