// A backend that cannot answer: it times out, answers HTTP 500, answers {"status":"error"}, or is
// not there. Each gives one clear line on stderr and exit 2; the URL's credentials (and an env
// token) never appear in the output. The servers are real HTTP servers on 127.0.0.1, started here.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../helpers/victoria-metrics.js';
import { pace } from './fixture.js';

const USER = 'alice';
const PASS = 's3cret-Pässword';
const TOKEN = 'tok-0123456789abcdef';
const BUILDINFO = JSON.stringify({ status: 'success', data: { version: '2.42.0' } });

interface Fake {
  readonly url: string;
  readonly requests: { path: string; auth?: string }[];
}

describe('pace preview --prometheus: a backend that cannot answer', () => {
  let server: Server;
  let base: string;
  const requests: Fake['requests'] = [];

  beforeAll(async () => {
    server = createServer((req: IncomingMessage, res: ServerResponse) => {
      const [, mode, ...rest] = (req.url ?? '').split('/');
      const endpoint = '/' + rest.join('/');
      requests.push({ path: req.url ?? '', auth: req.headers.authorization });
      req.resume();
      const json = (status: number, body: string) => res.writeHead(status, { 'content-type': 'application/json' }).end(body);
      if (endpoint === '/api/v1/status/buildinfo') return json(200, BUILDINFO);
      if (endpoint === '/api/v1/status/active_queries') return json(404, '404 page not found');
      if (mode === 'hang') return; // never answers
      if (mode === 'boom') return json(500, JSON.stringify({ status: 'error', errorType: 'internal', error: 'storage is on fire' }));
      if (mode === 'bad') return json(422, JSON.stringify({ status: 'error', errorType: 'execution', error: 'query processing would load too many samples into memory' }));
      if (mode === 'html') return res.writeHead(200, { 'content-type': 'text/html' }).end('<html>login</html>');
      return json(404, 'not found');
    });
    const port = await freePort();
    await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
    base = `127.0.0.1:${port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  });

  async function fails(url: string, env: Record<string, string> = {}): Promise<string> {
    const r = await pace(['preview', 'samples', '--prometheus', url, '--at', '2026-11-01T00:00:00Z'], env);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines, r.stderr).toHaveLength(1);
    for (const secret of [USER, PASS, encodeURIComponent(PASS), TOKEN, Buffer.from(`${USER}:${PASS}`).toString('base64')]) expect(r.stderr).not.toContain(secret);
    return lines[0];
  }

  it('times out: bounded waits, three attempts, one message', async () => {
    const before = requests.length;
    const t0 = Date.now();
    const line = await fails(`http://${USER}:${encodeURIComponent(PASS)}@${base}/hang`, { PACE_PROMETHEUS_TIMEOUT: '0.3' });
    expect(line).toMatch(new RegExp(`^pace: the Prometheus API at http://${base}/hang did not answer within 0\\.3 s \\(/api/v1/query .*; 3 attempts\\)$`));
    expect(Date.now() - t0).toBeLessThan(20_000);
    // Basic auth from the URL was sent, as a header.
    expect(requests.slice(before).every((r) => r.auth === `Basic ${Buffer.from(`${USER}:${PASS}`).toString('base64')}`)).toBe(true);
  }, 30_000);

  it('answers HTTP 500: retried a bounded number of times, the backend\'s error quoted', async () => {
    const before = requests.length;
    const line = await fails(`http://${base}/boom`, { PACE_PROMETHEUS_BEARER_TOKEN: TOKEN });
    expect(line).toMatch(new RegExp(`^pace: the Prometheus API at http://${base}/boom answered HTTP 500: internal: storage is on fire \\(/api/v1/query .*; 3 attempts\\)$`));
    const queries = requests.slice(before).filter((r) => r.path.includes('/api/v1/query'));
    // Every query the plan started is tried at most 3 times.
    const byQuery = queries.length;
    expect(byQuery).toBeGreaterThanOrEqual(3);
    expect(requests.slice(before).every((r) => r.auth === `Bearer ${TOKEN}`)).toBe(true);
  }, 30_000);

  it('answers {"status":"error"}: not retried, the backend\'s error quoted', async () => {
    const line = await fails(`https://${USER}:${encodeURIComponent(PASS)}@${base}/bad`.replace('https:', 'http:'));
    expect(line).toMatch(new RegExp(`^pace: the Prometheus API at http://${base}/bad answered an error to /api/v1/query .*: execution: query processing would load too many samples into memory$`));
  }, 30_000);

  it('answers something that is not the API (a login page)', async () => {
    const line = await fails(`http://${base}/html`);
    expect(line).toMatch(/answered HTTP 200 with something that is not JSON .*is the URL the API's base/);
  }, 30_000);

  it('is not there: one message naming the address, not the credentials', async () => {
    const port = await freePort(); // nothing listens on it
    const line = await fails(`http://${USER}:${encodeURIComponent(PASS)}@127.0.0.1:${port}`);
    expect(line).toMatch(new RegExp(`^pace: the Prometheus API at http://127\\.0\\.0\\.1:${port} could not be reached \\(ECONNREFUSED.*\\) \\(/api/v1/status/\\w+; 3 attempts\\)$`));
  }, 30_000);

  it('is not a URL, or excludes --data', async () => {
    expect(await fails(`not a url ${PASS}`)).toBe('pace: --prometheus: not a URL (expected http(s)://host:port, the part before /api/v1)');
    const r = await pace(['preview', 'samples', '--prometheus', `http://${base}`, '--data', 'samples/data/shop.om.br']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^pace: --data and --prometheus exclude each other/);
  }, 30_000);
});
