// Test data for the 1 GB bad-data cases (issue 10): written in 1 MiB pieces, never held whole.
import { closeSync, fstatSync, ftruncateSync, openSync, writeSync } from 'node:fs';
import { writeLargeOpenMetrics } from './generate.js';

/** OpenMetrics of `bytes` (test/data/generate.ts), then a last line cut in the middle of a label value and no "# EOF". */
export function writeCutOpenMetrics(file: string, bytes: number): { samples: number; lines: number } {
  const samples = writeLargeOpenMetrics(file, bytes);
  // writeLargeOpenMetrics ends with "# EOF\n": a new file, the same lines but the last, then the cut line.
  const fd = openSync(file, 'r+');
  try {
    const size = fstatSync(fd).size;
    const cut = 'http_server_requests_seconds_count{cluster="prod-eu-west-1",namespace="paym';
    writeSync(fd, cut, size - '# EOF\n'.length);
    ftruncateSync(fd, size - '# EOF\n'.length + Buffer.byteLength(cut));
  } finally {
    closeSync(fd);
  }
  // The TYPE line, one line per sample, the cut line.
  return { samples, lines: samples + 2 };
}

/** `bytes` of one OpenMetrics line that never ends: `up{a="xxxx…` with no newline at all. */
export function writeNoNewline(file: string, bytes: number): void {
  const fd = openSync(file, 'w');
  try {
    let written = writeSync(fd, 'up{a="');
    const piece = Buffer.alloc(1 << 20, 'x');
    while (written < bytes) written += writeSync(fd, piece, 0, Math.min(piece.length, bytes - written));
  } finally {
    closeSync(fd);
  }
}

/** `head`, then bytes of one string that never ends, up to `bytes` in all. */
export function writeEndless(file: string, head: string, bytes: number): void {
  const fd = openSync(file, 'w');
  try {
    let written = writeSync(fd, head);
    const piece = Buffer.alloc(1 << 20, 'x');
    while (written < bytes) written += writeSync(fd, piece, 0, Math.min(piece.length, bytes - written));
  } finally {
    closeSync(fd);
  }
}

export const CSV_HEAD = 'timestamp,series,value\n1790812800,up{a="';
export const JSON_HEAD = '{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"__name__":"up","a":"';

/** The writer of each large case of the catalogue (LARGE_CASES), by file name: lines written and samples in them. */
export const LARGE_WRITERS: Record<string, (file: string, bytes: number) => { lines: number; samples: number }> = {
  'huge-cut.om': (file, bytes) => writeCutOpenMetrics(file, bytes),
  'huge-line.om': (file, bytes) => (writeNoNewline(file, bytes), { lines: 1, samples: 0 }),
  'huge-line.csv': (file, bytes) => (writeEndless(file, CSV_HEAD, bytes), { lines: 2, samples: 0 }),
  'huge-string.json': (file, bytes) => (writeEndless(file, JSON_HEAD, bytes), { lines: 1, samples: 0 }),
};
