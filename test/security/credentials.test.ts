// Credentials (issue 10): `--prometheus` URLs with user info (`http://user:pass@host/…`) or a token
// in the query (`?token=…`, `&api_key=…`), and the PACE_PROMETHEUS_* environment credentials, never
// appear in any output: text, JSON, Markdown and HTML previews (stdout and `-o` files), and every
// error path that names the backend (connection refused, HTTP 500, an API error, a timeout, a
// redirect, an answer that is not JSON, an unsupported scheme). The query's parameters are still
// sent, with every request, after the API path (they used to be glued in front of it:
// `…?token=x/api/v1/query`). Pace has no --verbose flag and no log file; the language server does
// not take --prometheus. The server is a real HTTP server on 127.0.0.1, started here.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../server/src/cli/main.js';
import { freePort } from '../helpers/victoria-metrics.js';

const root = path.join(__dirname, '../..');
const USER = 'alice-user';
const PASS = 'p@ss:wörd/with?odd#chars';
const TOKEN = 'qtok-7f3a9c1e5b';
const KEY = 'apikey-0d9e8f7a';
const ENV_TOKEN = 'envbearer-55aa55aa';
const ENV_PASS = 'envpass-9b9b9b';
const SECRETS = [USER, PASS, encodeURIComponent(PASS), TOKEN, KEY, ENV_TOKEN, ENV_PASS, Buffer.from(`${USER}:${PASS}`).toString('base64'), Buffer.from(`bob:${ENV_PASS}`).toString('base64')];

const tmp = mkdtempSync(path.join(tmpdir(), 'pace-credentials-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

interface Seen {
  path: string;
  auth?: string;
}

describe('--prometheus credentials never printed', () => {
  let server: Server;
  let base: string;
  const seen: Seen[] = [];

  beforeAll(async () => {
    server = createServer((req: IncomingMessage, res: ServerResponse) => {
      const url = new URL(req.url ?? '/', 'http://x');
      const [, mode] = url.pathname.split('/');
      const endpoint = url.pathname.slice(mode.length + 1);
      seen.push({ path: req.url ?? '', auth: req.headers.authorization });
      req.resume();
      const json = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      // A backend that echoes what it got in its errors, as some proxies do: the echo must be masked too.
      const echo = `got ${req.url} with ${req.headers.authorization ?? 'no auth'}`;
      if (endpoint === '/api/v1/status/buildinfo') return json(200, { status: 'success', data: { version: '2.42.0' } });
      if (endpoint === '/api/v1/status/active_queries') return json(404, {});
      if (mode === 'hang') return;
      if (mode === 'boom') return json(500, { status: 'error', errorType: 'internal', error: echo });
      if (mode === 'bad') return json(422, { status: 'error', errorType: 'execution', error: echo });
      if (mode === 'html') return res.writeHead(200, { 'content-type': 'text/html' }).end(`<html>${echo}</html>`);
      if (mode === 'redirect') return res.writeHead(302, { location: `http://${USER}:${encodeURIComponent(PASS)}@127.0.0.1:1/?token=${TOKEN}` }).end();
      if (mode === 'ok') {
        if (endpoint === '/api/v1/query') return json(200, { status: 'success', data: { resultType: 'vector', result: [] } });
        if (endpoint === '/api/v1/query_range') return json(200, { status: 'success', data: { resultType: 'matrix', result: [] } });
      }
      return json(404, { status: 'error', errorType: 'not_found', error: echo });
    });
    const port = await freePort();
    await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
    base = `127.0.0.1:${port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  });

  async function pace(args: string[], env: Record<string, string> = {}) {
    let stdout = '';
    let stderr = '';
    const code = await main(['preview', 'samples', ...args], { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), cwd: root, env: { PACE_PROMETHEUS_TIMEOUT: '0.5', ...env }, isTTY: false });
    return { code, stdout, stderr };
  }

  const noSecret = (text: string, where: string) => {
    for (const s of SECRETS) expect(text, `${where} shows ${s}`).not.toContain(s);
  };

  const withAll = (mode: string) => `http://${USER}:${encodeURIComponent(PASS)}@${base}/${mode}?token=${TOKEN}&api_key=${KEY}`;
  const SHOWN = (mode: string) => `http://${base}/${mode}?token=***&api_key=***`;

  it('a preview that works: text, JSON, Markdown and HTML (stdout and -o) show the URL without credentials; the query parameters reach the API path', async () => {
    const before = seen.length;
    for (const format of ['text', 'json', 'markdown', 'html']) {
      const r = await pace(['--prometheus', withAll('ok'), '--at', '2026-11-01T00:00:00Z', '--format', format]);
      expect(r.code, r.stderr).not.toBe(2);
      noSecret(r.stdout + r.stderr, format);
      const out = path.join(tmp, `preview.${format}`);
      const o = await pace(['--prometheus', withAll('ok'), '--at', '2026-11-01T00:00:00Z', '--format', format, '-o', out]);
      expect(o.code).not.toBe(2);
      noSecret(o.stdout + o.stderr + readFileSync(out, 'utf8'), `${format} -o`);
    }
    const json = JSON.parse((await pace(['--prometheus', withAll('ok'), '--at', '2026-11-01T00:00:00Z', '--format', 'json'])).stdout) as unknown;
    // The preview's note names the backend: with its address and the names of the query's parameters only.
    expect(JSON.stringify(json)).toContain(`at ${SHOWN('ok')}, with Prometheus's semantics`);
    const mine = seen.slice(before).filter((s) => s.path.includes('/api/v1/query'));
    expect(mine.length).toBeGreaterThan(0);
    for (const s of mine) {
      expect(s.path).toMatch(new RegExp(`^/ok/api/v1/query(_range)?\\?token=${TOKEN}&api_key=${KEY}$`));
      expect(s.auth).toBe(`Basic ${Buffer.from(`${USER}:${PASS}`).toString('base64')}`);
    }
  }, 60_000);

  const failures: [string, string, RegExp][] = [
    ['connection refused', '', /could not be reached \(ECONNREFUSED/],
    ['HTTP 500 (the error echoes the request)', 'boom', /answered HTTP 500: internal: got /],
    ['an API error (echoing the request)', 'bad', /answered an error to \/api\/v1\/query .*: execution: got /],
    ['a timeout', 'hang', /did not answer within 0\.5 s/],
    ['a redirect to a URL with credentials', 'redirect', /could not be reached|redirect/],
    ['an answer that is not JSON (echoing the request)', 'html', /with something that is not JSON/],
  ];
  for (const [name, mode, message] of failures) {
    it(`${name}: one line on stderr, the URL without credentials`, async () => {
      const port = mode ? undefined : await freePort();
      const url = mode ? withAll(mode) : `http://${USER}:${encodeURIComponent(PASS)}@127.0.0.1:${port}/?token=${TOKEN}&api_key=${KEY}`;
      for (const format of ['text', 'json']) {
        const r = await pace(['--prometheus', url, '--at', '2026-11-01T00:00:00Z', '--format', format]);
        expect(r.code).toBe(2);
        expect(r.stdout).toBe('');
        const lines = r.stderr.trimEnd().split('\n');
        expect(lines, r.stderr).toHaveLength(1);
        expect(lines[0]).toMatch(message);
        expect(lines[0]).toContain(mode ? SHOWN(mode) : `http://127.0.0.1:${port}?token=***&api_key=***`);
        noSecret(r.stderr, name);
      }
    }, 30_000);
  }

  it('credentials from the environment (bearer token, user and password) are masked too', async () => {
    const envs: Record<string, string>[] = [{ PACE_PROMETHEUS_BEARER_TOKEN: ENV_TOKEN }, { PACE_PROMETHEUS_USERNAME: 'bob', PACE_PROMETHEUS_PASSWORD: ENV_PASS }];
    for (const env of envs) {
      const before = seen.length;
      const r = await pace(['--prometheus', `http://${base}/boom`, '--at', '2026-11-01T00:00:00Z'], env);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/answered HTTP 500: internal: got \/boom\/api\/v1\/query with (Bearer|Basic) \*\*\*/);
      noSecret(r.stderr, JSON.stringify(Object.keys(env)));
      expect(seen.slice(before).some((s) => s.auth?.includes('Bearer') ? s.auth === `Bearer ${ENV_TOKEN}` : s.auth === `Basic ${Buffer.from(`bob:${ENV_PASS}`).toString('base64')}`)).toBe(true);
    }
  }, 30_000);

  it('a URL that is not http(s) or not a URL: the message shows neither user info nor query values', async () => {
    const ftp = await pace(['--prometheus', `ftp://${USER}:${encodeURIComponent(PASS)}@${base}/x?token=${TOKEN}`]);
    expect(ftp.code).toBe(2);
    expect(ftp.stderr).toBe('pace: --prometheus: expected an http:// or https:// URL (the part before /api/v1)\n');
    // Without a scheme, `user:secret@host` parses as a URL of scheme `user:` whose path holds the secret.
    for (const junk of [`${USER}:${PASS}@${base}`, `${USER}:${PASS} ${TOKEN}`]) {
      const r = await pace(['--prometheus', junk]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^pace: --prometheus: (not a URL|expected an http)/);
      noSecret(r.stderr, junk);
    }
  });
});
