// Reads a text file line by line with bounded memory: 128 KiB reads, decoded one chunk of whole
// lines at a time (a line longer than the buffer grows it). Invalid UTF-8 is found per chunk with
// buffer.isUtf8 and then located per line, so valid files pay nothing for the check.
import { isUtf8 } from 'node:buffer';
import { Transform } from 'node:stream';
import { openSource } from './compressed.js';

const CHUNK = 1 << 17;
/** The longest line readLineBytes keeps (16 MiB; the longest real lines are a few hundred kB): a longer one is skipped and reported. */
export const MAX_LINE_BYTES = 1 << 24;

export interface LineReader {
  /** Called with each line (without its "\n") and its 1-based number; return true to stop reading. */
  line(text: string, lineNo: number): boolean | void;
  /** A line that is not valid UTF-8 (it is not passed to `line`). */
  invalidUtf8(lineNo: number): void;
}

export interface ReadResult {
  /** Lines read (a last line without "\n" counts). */
  readonly lines: number;
  /** Whether reading stopped because `line` returned true. */
  readonly stopped: boolean;
}

export async function readLines(file: string, reader: LineReader): Promise<ReadResult> {
  const fh = await openSource(file);
  try {
    let buf = Buffer.allocUnsafe(CHUNK);
    let have = 0;
    let lineNo = 0;
    const emit = (b: Buffer, end: number): boolean => {
      const text = b.toString('utf8', 0, end);
      if (text.includes('\uFFFD') && !isUtf8(b.subarray(0, end))) return emitChecked(b, end);
      let s = 0;
      for (;;) {
        const nl = text.indexOf('\n', s);
        const line = nl < 0 ? text.slice(s) : text.slice(s, nl);
        if (reader.line(line, ++lineNo)) return true;
        if (nl < 0) return false;
        s = nl + 1;
      }
    };
    const emitChecked = (b: Buffer, end: number): boolean => {
      let s = 0;
      for (;;) {
        let nl = b.indexOf(10, s);
        if (nl < 0 || nl > end) nl = end;
        const bytes = b.subarray(s, nl);
        ++lineNo;
        if (!isUtf8(bytes)) reader.invalidUtf8(lineNo);
        else if (reader.line(bytes.toString('utf8'), lineNo)) return true;
        if (nl >= end) return false;
        s = nl + 1;
      }
    };
    for (;;) {
      if (have === buf.length) {
        const bigger = Buffer.allocUnsafe(buf.length * 2);
        buf.copy(bigger, 0, 0, have);
        buf = bigger;
      }
      const { bytesRead } = await fh.read(buf, have, buf.length - have, null);
      if (bytesRead === 0) {
        if (have > 0 && emit(buf, have)) return { lines: lineNo, stopped: true };
        return { lines: lineNo, stopped: false };
      }
      const end = have + bytesRead;
      const lastNl = buf.lastIndexOf(10, end - 1);
      if (lastNl < 0) {
        have = end;
        continue;
      }
      if (emit(buf, lastNl)) return { lines: lineNo, stopped: true };
      buf.copy(buf, 0, lastNl + 1, end);
      have = end - lastNl - 1;
    }
  } finally {
    await fh.close();
  }
}

/**
 * The same lines as `readLines` (split at "\n", a last line without it counts, the same numbers),
 * given as bytes: `line(buf, start, end, lineNo)` gets the line's bytes buf[start, end), valid
 * UTF-8 or not (the caller checks, e.g. with `isUtf8`, what it decodes). `buf` is reused after the
 * call returns. Return true to stop reading. The next read is under way while a chunk's lines are
 * handled (two read buffers), so that parsing does not wait for the file. A line longer than
 * `maxLine` bytes is never held: it is skipped, counted as a line, and given to `tooLong` with its
 * length (`atEnd`: the file ended inside it), so memory stays bounded whatever the file.
 */
export async function readLineBytes(file: string, line: (buf: Buffer, start: number, end: number, lineNo: number) => boolean | void, tooLong?: (lineNo: number, bytes: number, atEnd: boolean) => void, maxLine = MAX_LINE_BYTES): Promise<ReadResult> {
  const fh = await openSource(file);
  let pending: Promise<{ bytesRead: number }> | undefined;
  try {
    let incoming = Buffer.allocUnsafe(CHUNK);
    let spare = Buffer.allocUnsafe(CHUNK);
    /** Lines not handled yet: buf[0, have) (a partial last line). */
    let buf = Buffer.allocUnsafe(2 * CHUNK);
    let have = 0;
    let lineNo = 0;
    /** Bytes of a line longer than maxLine, skipped so far (it is never held whole). */
    let skipped = -1;
    /** The lines of buf[0, end) (end: the last "\n", or the end of the file). */
    const emit = (b: Buffer, end: number): boolean => {
      let s = 0;
      for (;;) {
        let nl = b.indexOf(10, s);
        if (nl < 0 || nl > end) nl = end;
        if (line(b, s, nl, ++lineNo)) return true;
        if (nl >= end) return false;
        s = nl + 1;
      }
    };
    pending = fh.read(incoming, 0, CHUNK, null);
    for (;;) {
      const { bytesRead } = await pending;
      pending = undefined;
      if (bytesRead === 0) {
        if (skipped >= 0) {
          tooLong?.(++lineNo, skipped, true);
          return { lines: lineNo, stopped: false };
        }
        if (have > 0 && emit(buf, have)) return { lines: lineNo, stopped: true };
        return { lines: lineNo, stopped: false };
      }
      const got = incoming;
      incoming = spare;
      spare = got;
      pending = fh.read(incoming, 0, CHUNK, null);
      let from = 0;
      if (skipped >= 0) {
        // Inside a line too long to keep: drop bytes up to its end.
        const nl = got.indexOf(10);
        if (nl < 0 || nl >= bytesRead) {
          skipped += bytesRead;
          continue;
        }
        skipped += nl;
        tooLong?.(++lineNo, skipped, false);
        skipped = -1;
        from = nl + 1;
      }
      const n = bytesRead - from;
      if (have + n > maxLine && got.indexOf(10, from) < 0) {
        // No line end within maxLine bytes: the line is skipped without being held in memory.
        skipped = have + n;
        have = 0;
        if (buf.length > 2 * CHUNK) buf = Buffer.allocUnsafe(2 * CHUNK);
        continue;
      }
      if (have + n > buf.length) {
        const bigger = Buffer.allocUnsafe(Math.max(buf.length * 2, have + bytesRead));
        buf.copy(bigger, 0, 0, have);
        buf = bigger;
      }
      got.copy(buf, have, from, bytesRead);
      const end = have + n;
      const lastNl = buf.lastIndexOf(10, end - 1);
      if (lastNl < 0) {
        have = end;
        continue;
      }
      if (emit(buf, lastNl)) return { lines: lineNo, stopped: true };
      buf.copy(buf, 0, lastNl + 1, end);
      have = end - lastNl - 1;
    }
  } finally {
    // A read still under way finishes before the file is closed.
    if (pending) await pending.catch(() => undefined);
    await fh.close();
  }
}

/**
 * A byte stream with every line longer than `maxLine` bytes replaced by an empty line (its "\n"
 * kept, so line numbers do not move): for parsers that would otherwise buffer a line of any length
 * (CSV). The line in progress is held (at most `maxLine` bytes) until its end shows whether it
 * passes. `tooLong` gets each such line's 1-based number and length (`atEnd`: the stream ended
 * inside it).
 */
export function boundLines(tooLong: (lineNo: number, bytes: number, atEnd: boolean) => void, maxLine = MAX_LINE_BYTES): Transform {
  let lineNo = 1;
  /** The current line's bytes so far (held while it may still pass), and its length. */
  let held: Buffer[] = [];
  let len = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      const out: Buffer[] = [];
      let s = 0;
      for (;;) {
        const nl = chunk.indexOf(10, s);
        const end = nl < 0 ? chunk.length : nl;
        len += end - s;
        if (len <= maxLine) held.push(chunk.subarray(s, nl < 0 ? end : nl + 1));
        else held = [];
        if (nl < 0) break;
        if (len > maxLine) {
          tooLong(lineNo, len, false);
          out.push(chunk.subarray(nl, nl + 1));
        } else out.push(...held);
        held = [];
        len = 0;
        lineNo++;
        s = nl + 1;
      }
      // The held part of the current line refers to this chunk: copied (once), as the stream may reuse it.
      const last = held.length - 1;
      if (last >= 0 && held[last].buffer === chunk.buffer) held[last] = Buffer.from(held[last]);
      done(null, out.length ? Buffer.concat(out) : undefined);
    },
    flush(done) {
      if (len > maxLine) tooLong(lineNo, len, true);
      else if (held.length) this.push(Buffer.concat(held));
      done();
    },
  });
}
