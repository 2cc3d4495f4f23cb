// The OpenMetrics reader's byte path (lines.ts `readLineBytes`, openmetrics.ts `fastLine`) against
// the text path it stands in for:
// - the byte reader gives the same lines as the text reader (same numbers, same text, the same
//   lines reported as invalid UTF-8), on random bytes with long lines, "\r", empty lines and
//   invalid sequences, across its read buffers;
// - sample lines read from bytes hold exactly what `Number` reads from their text (values) and
//   promtool's int64(ts × 1000) of it (timestamps), for plain decimals of every length, whether
//   they take the byte path (the same series as the line before) or not;
// - a line the byte path does not take (exemplars, exponents, "\r", a new series) still counts.
import fc from 'fast-check';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { isUtf8 } from 'node:buffer';
import { afterAll, describe, expect, it } from 'vitest';
import { loadOpenMetrics } from '../../server/src/node/data/index.js';
import { readLineBytes, readLines } from '../../server/src/node/data/lines.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pace-bytes-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
let n = 0;
const write = (content: Buffer | string): string => {
  const f = path.join(dir, `f${n++}.om`);
  fs.writeFileSync(f, content);
  return f;
};

type Seen = { no: number; text?: string; invalid?: true };

async function viaText(file: string, stopAt = Infinity): Promise<{ seen: Seen[]; lines: number; stopped: boolean }> {
  const seen: Seen[] = [];
  const r = await readLines(file, {
    line(text, no) {
      seen.push({ no, text });
      return no >= stopAt;
    },
    invalidUtf8(no) {
      seen.push({ no, invalid: true });
      return undefined;
    },
  });
  return { seen, ...r };
}

async function viaBytes(file: string, stopAt = Infinity): Promise<{ seen: Seen[]; lines: number; stopped: boolean }> {
  const seen: Seen[] = [];
  const r = await readLineBytes(file, (buf, s, e, no) => {
    const b = buf.subarray(s, e);
    if (!isUtf8(b)) {
      seen.push({ no, invalid: true });
      return false;
    }
    seen.push({ no, text: b.toString('utf8') });
    return no >= stopAt;
  });
  return { seen, ...r };
}

describe('the byte line reader', () => {
  it('gives the lines the text reader gives', async () => {
    const piece = fc.oneof(
      fc.constantFrom('\n', '\n', '\r\n', '\n\n', 'é', '\uFFFD', 'x', ' 1 2'),
      fc.constantFrom(Buffer.from([0xff]), Buffer.from([0xc3]), Buffer.from([0xe2, 0x82])),
      fc.integer({ min: 1, max: 300_000 }).map((k) => 'a'.repeat(k)),
      fc.string({ maxLength: 40 }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(piece, { maxLength: 60 }), fc.option(fc.integer({ min: 1, max: 30 }), { nil: undefined }), async (pieces, stopAt) => {
        const f = write(Buffer.concat(pieces.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : p))));
        expect(await viaBytes(f, stopAt)).toEqual(await viaText(f, stopAt));
      }),
      { numRuns: 60 },
    );
  });
});

/** Plain decimals as files spell them: digits with at most one '.', of any length. */
const decimal = fc
  .tuple(fc.stringMatching(/^[0-9]{0,20}$/), fc.option(fc.stringMatching(/^[0-9]{0,8}$/), { nil: undefined }))
  .map(([a, b]) => (b === undefined ? a : `${a}.${b}`))
  .filter((s) => s !== '' && s !== '.');

describe('samples read from bytes', () => {
  it('hold what Number reads from the text, and int64(ts × 1000) of the timestamp', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(decimal, fc.integer({ min: 0, max: 999 })), { minLength: 1, maxLength: 200 }), fc.integer({ min: 1_000_000_000, max: 2_000_000_000 }), async (rows, base) => {
        // Increasing timestamps with a 3-digit fraction; one series, so every line after the first takes the byte path.
        const lines = rows.map(([v, ms], i) => `m_total{a="b"} ${v} ${base + i}.${String(ms).padStart(3, '0')}`);
        const { series, issues } = await loadOpenMetrics(write(`${lines.join('\n')}\n# EOF\n`));
        expect(issues.filter((x) => x.code !== 'data/counter-reset')).toEqual([]);
        expect(series).toHaveLength(1);
        const s = series[0];
        expect(s.v.length).toBe(rows.length);
        rows.forEach(([v, ms], i) => {
          expect(Object.is(s.v[i], Number(v))).toBe(true);
          expect(s.t[i]).toBe(Math.trunc(Number(`${base + i}.${String(ms).padStart(3, '0')}`) * 1000));
        });
      }),
      { numRuns: 100 },
    );
  });

  it('lines the byte path leaves to the text path are read as before', async () => {
    const f = write(
      [
        '# TYPE m counter',
        'm_total{a="é"} 1 1700000000', // non-ASCII series text
        'm_total{a="é"} 2 1700000060',
        'm_total{a="é"} 3e0 1700000120', // an exponent: the text path
        'm_total{a="é"} 4 1700000180 # {t="x"} 1 1700000180', // an exemplar
        'm_total{a="é"} 5 1700000240\r', // a carriage return
        'm_total{a="é"} 6 1700000300',
        'm_total{a="é"} 7 1700000360.5',
        'm_total{a="é"} 12345678901234567 1700000420', // 17 digits: the text path
        '# EOF',
      ].join('\n') + '\n',
    );
    const { series, issues } = await loadOpenMetrics(f);
    expect(series).toHaveLength(1);
    expect([...series[0].v]).toEqual([1, 2, 3, 4, 5, 6, 7, 12345678901234567]);
    expect([...series[0].t]).toEqual([0, 60, 120, 180, 240, 300, 360.5, 420].map((x) => (1_700_000_000 + x) * 1000));
    expect(issues.map((i) => `${i.code}:${i.line}`)).toEqual(['data/syntax:6']);
  });
});
