// The backend cases of the bad-data catalogue (BACKEND_CASES in test/data/bad-data-cases.ts): a
// `pace preview --prometheus` backend that times out, answers HTTP 500, answers {"status":
// "error"}, answers a page that is not JSON, is not there, or a URL that is not one. Each is one
// documented line on stderr, exit 2, nothing on stdout, in bounded time (timeouts and retries are
// bounded). The server is a real HTTP server on 127.0.0.1, started here.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../server/src/cli/main.js';
import { freePort } from '../helpers/victoria-metrics.js';
import { BACKEND_CASES } from './bad-data-cases.js';

const root = path.join(__dirname, '../..');

describe('bad data from a backend: one documented line, exit 2', () => {
  let server: Server;
  let base: string;
  beforeAll(async () => {
    server = createServer((req: IncomingMessage, res: ServerResponse) => {
      const [, mode, ...rest] = (req.url ?? '').split('/');
      const endpoint = '/' + rest.join('/');
      req.resume();
      const json = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      if (endpoint === '/api/v1/status/buildinfo') return json(200, { status: 'success', data: { version: '2.42.0' } });
      if (endpoint === '/api/v1/status/active_queries') return json(404, {});
      if (mode === 'hang') return;
      if (mode === 'boom') return json(500, { status: 'error', errorType: 'internal', error: 'storage is on fire' });
      if (mode === 'bad') return json(422, { status: 'error', errorType: 'execution', error: 'query processing would load too many samples into memory' });
      if (mode === 'html') return res.writeHead(200, { 'content-type': 'text/html' }).end('<html>login</html>');
      return json(404, {});
    });
    const port = await freePort();
    await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
    base = `http://127.0.0.1:${port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  });

  for (const c of BACKEND_CASES) {
    it(`${c.name} (${c.path})`, async () => {
      const url = c.path === 'absent' ? `http://127.0.0.1:${await freePort()}` : c.path === 'junk' ? 'not a url' : `${base}/${c.path}`;
      let stdout = '';
      let stderr = '';
      const t0 = Date.now();
      const code = await main(['preview', 'samples', '--prometheus', url, '--at', '2026-11-01T00:00:00Z'], { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), cwd: root, env: { PACE_PROMETHEUS_TIMEOUT: '0.3' }, isTTY: false });
      expect(code).toBe(2);
      expect(stdout).toBe('');
      expect(stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(stderr.trimEnd()).toMatch(c.message);
      expect(Date.now() - t0).toBeLessThan(20_000);
    }, 30_000);
  }
});
