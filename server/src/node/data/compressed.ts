// Compressed sample files: a `.gz` (gzip) or `.br` (Brotli) file, `data.om.gz`, is read through
// zlib's decompression stream with the same `read`/`close` calls as a file handle, so the line
// reader streams it with bounded memory. Brotli packs 1-minute counters about twice as tight.
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createBrotliDecompress, createGunzip } from 'node:zlib';

export interface ByteSource {
  read(buf: Buffer, offset: number, length: number, position: null): Promise<{ bytesRead: number }>;
  close(): Promise<void>;
}

/** The compression of a file by its last extension: `.gz` gzip, `.br` Brotli. */
export function compressionOf(file: string): 'gzip' | 'brotli' | undefined {
  const f = file.toLowerCase();
  return f.endsWith('.gz') ? 'gzip' : f.endsWith('.br') ? 'brotli' : undefined;
}

/** The file's name without a trailing `.gz` or `.br` (the format follows the extension before it). */
export const withoutCompression = (file: string) => (compressionOf(file) ? file.slice(0, -3) : file);

function decompressedSource(file: string, kind: 'gzip' | 'brotli'): ByteSource {
  const input = createReadStream(file);
  const gunzip = kind === 'gzip' ? createGunzip() : createBrotliDecompress();
  const stream = input.pipe(gunzip);
  let failure: Error | undefined;
  input.on('error', (e) => {
    failure = e;
    gunzip.destroy(e);
  });
  const chunks = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  let pending: Buffer | undefined;
  return {
    async read(buf, offset, length) {
      if (!pending || pending.length === 0) {
        const next = await chunks.next().catch((e: NodeJS.ErrnoException) => {
          if (failure) throw failure;
          // zlib's codes (Z_DATA_ERROR, Z_BUF_ERROR) are not IO errors: reported as a file that cannot be read (data/io).
          throw Object.assign(new Error(`not a valid ${kind} file (${e.message})`), { code: 'ECOMPRESSED' });
        });
        if (next.done) return { bytesRead: 0 };
        pending = next.value;
      }
      const n = Math.min(length, pending.length);
      pending.copy(buf, offset, 0, n);
      pending = pending.subarray(n);
      return { bytesRead: n };
    },
    async close() {
      stream.destroy();
      input.destroy();
    },
  };
}

/** A file handle, or a decompression stream for `.gz` and `.br` files. */
export async function openSource(file: string): Promise<ByteSource> {
  const kind = compressionOf(file);
  if (!kind) return open(file, 'r');
  // Open first so that a missing file is the same ENOENT as for a plain file.
  await (await open(file, 'r')).close();
  return decompressedSource(file, kind);
}
