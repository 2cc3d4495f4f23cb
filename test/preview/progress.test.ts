// The progress line of long loads: on stderr, only when stderr is a terminal, erased at the end.
import { describe, expect, it } from 'vitest';
import { withProgress } from '../../server/src/cli/preview.js';
import type { CliIO } from '../../server/src/cli/main.js';

function io(stderrIsTTY: boolean) {
  let stderr = '';
  const value: CliIO = { stdout: () => {}, stderr: (s) => (stderr += s), cwd: '/', env: {}, isTTY: false, stderrIsTTY };
  return { io: value, stderr: () => stderr };
}

describe('withProgress', () => {
  it('draws the step and the seconds elapsed on a terminal, redraws while it runs, and erases the line', async () => {
    const t = io(true);
    const r = await withProgress(t.io, 'Loading sample data (shop.om.br)', () => new Promise<number>((ok) => setTimeout(() => ok(42), 350)));
    expect(r).toBe(42);
    const frames = t.stderr().split('\r\x1b[K').filter(Boolean);
    expect(frames.length).toBeGreaterThanOrEqual(3);
    expect(frames[0]).toMatch(/^. Loading sample data \(shop\.om\.br\)… 0\.\d s$/);
    expect(t.stderr().endsWith('\r\x1b[K')).toBe(true);
  });
  it('prints nothing when stderr is not a terminal', async () => {
    const t = io(false);
    expect(await withProgress(t.io, 'Loading', async () => 'done')).toBe('done');
    expect(t.stderr()).toBe('');
  });
  it('erases the line when the step fails, and passes the error on', async () => {
    const t = io(true);
    await expect(withProgress(t.io, 'Loading', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(t.stderr().endsWith('\r\x1b[K')).toBe(true);
  });
});
