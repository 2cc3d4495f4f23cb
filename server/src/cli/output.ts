// Writing to stdout and stderr when the other end may be gone. `pace check | head -1` closes the pipe
// after one line: the next write fails with EPIPE, which Node reports as an 'error' event on the
// stream and, without a listener, as an uncaught exception with a stack trace. A reader that went
// away wants no more output, so the rest is dropped quietly and the command ends with its own exit
// code. Any other write error (a full disk) means output was lost: the caller exits 2 (IO error).
import type { Writable } from 'node:stream';

export interface OutputSink {
  readonly write: (s: string) => void;
  /** Whether a write failed for another reason than the reader going away. */
  readonly failed: () => boolean;
}

/** Errors that mean the reader is gone rather than that the output could not be stored. */
const READER_GONE = new Set(['EPIPE', 'ERR_STREAM_DESTROYED', 'ERR_STREAM_WRITE_AFTER_END']);

export function outputSink(stream: Writable, onFailure?: (e: NodeJS.ErrnoException) => void): OutputSink {
  let closed = false;
  let failed = false;
  stream.on('error', (e: NodeJS.ErrnoException) => {
    closed = true;
    if (e.code !== undefined && READER_GONE.has(e.code)) return;
    if (!failed) onFailure?.(e);
    failed = true;
  });
  return {
    write: (s) => {
      if (closed || stream.destroyed || stream.writableEnded) return;
      stream.write(s);
    },
    failed: () => failed,
  };
}
