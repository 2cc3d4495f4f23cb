// An HTTP client for the Prometheus query API (`/api/v1/query`, `/api/v1/query_range`), which
// Prometheus, Thanos, Mimir, Cortex and VictoriaMetrics all speak. Host side: the core plans the
// queries (core/evaluate/backend-plan.ts), this runs them.
//
// - Credentials: basic auth from the URL (`https://user:pass@host/prometheus`) or from
//   PACE_PROMETHEUS_USERNAME / PACE_PROMETHEUS_PASSWORD, a bearer token from
//   PACE_PROMETHEUS_BEARER_TOKEN. They are sent as an Authorization header and never printed:
//   every message goes through `redact`, which drops the URL's user info and masks each secret.
//   Query parameters of the URL (`?token=…`) are sent with every request and shown masked.
// - Every request has a timeout (PACE_PROMETHEUS_TIMEOUT seconds, default 30) and is retried a
//   bounded number of times (2) on what may pass: no answer, a timeout, HTTP 429 and 5xx.
// - A query_range longer than one answer may hold (11,000 points per series, Prometheus's limit)
//   is split into consecutive ranges on the same grid.
// - Queries run a few at a time (4), so a large plan does not flood the backend.

export class BackendError extends Error {}

export interface ClientOptions {
  /** The API's base URL (the API is at `<url>/api/v1/…`), possibly with user info. */
  readonly url: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly timeoutMs?: number;
  /** Retries after the first attempt (default 2). */
  readonly retries?: number;
  /** Points per series one query_range answer may hold (default 11,000). */
  readonly maxPoints?: number;
  readonly concurrency?: number;
  /** Wait before retry k (0-based): default 250 ms × 2^k. */
  readonly backoffMs?: (attempt: number) => number;
}

export interface Sample {
  readonly metric: Readonly<Record<string, string>>;
  /** [Unix ms, value]. */
  readonly values: readonly (readonly [number, number])[];
}

export const MAX_POINTS_PER_ANSWER = 11_000;
const DEFAULT_TIMEOUT_MS = 30_000;

/** A number as the Prometheus API spells it. */
export function parseValue(s: string): number {
  if (s === '+Inf' || s === 'Inf') return Infinity;
  if (s === '-Inf') return -Infinity;
  return Number(s);
}

/** Splits [start, end] on a grid of `step` into ranges of at most `maxPoints` steps each. */
export function splitRange(start: number, end: number, step: number, maxPoints = MAX_POINTS_PER_ANSWER): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  if (!(step > 0) || end < start) return out;
  for (let s = start; s <= end; s += maxPoints * step) out.push({ start: s, end: Math.min(end, s + (maxPoints - 1) * step) });
  return out;
}

/** `text` with every secret masked and the user info of any URL dropped. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text.replace(/(\b[a-z][a-z0-9+.-]*:\/\/)[^/\s@]*@/gi, '$1');
  for (const s of [...secrets].filter((x) => x.length > 0).sort((a, b) => b.length - a.length)) {
    for (const form of new Set([s, encodeURIComponent(s)])) out = out.split(form).join('***');
  }
  return out;
}

/** Query parameter values at least this long are masked wherever they appear (shorter ones are only left out of the shown URL). */
const MIN_SECRET_PARAM = 4;

/** `?a=***&b=***` for a URL's query parameters ('' when it has none): names shown, values never. */
function maskedQuery(params: URLSearchParams): string {
  const names = [...params.keys()];
  return names.length ? `?${names.map((n) => `${encodeURIComponent(n)}=***`).join('&')}` : '';
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface ApiBody {
  status?: string;
  errorType?: string;
  error?: string;
  data?: { resultType?: string; result?: unknown };
}

export class PrometheusClient {
  /** The URL as shown: no user info. */
  readonly display: string;
  private readonly base: string;
  private readonly headers: Record<string, string> = {};
  /** The URL's query (`?token=…`, or ''), appended to every request. */
  private readonly search: string;
  private readonly secrets: string[] = [];
  private readonly timeoutMs: number;
  private readonly retries: number;
  private readonly maxPoints: number;
  private readonly backoff: (attempt: number) => number;
  private readonly limit: number;
  private running = 0;
  /** The first failure: once a query has failed, no other is sent (the preview has failed). */
  private failure?: BackendError;
  private readonly waiting: (() => void)[] = [];

  constructor(opts: ClientOptions) {
    const env = opts.env ?? {};
    let u: URL;
    try {
      u = new URL(opts.url);
    } catch {
      // Not echoed: what does not parse as a URL may still hold a secret.
      throw new BackendError('--prometheus: not a URL (expected http(s)://host:port, the part before /api/v1)');
    }
    // Not echoed either, not even the scheme: `user:secret@host:9090` (no scheme) parses with
    // `user:` as its scheme and the secret in its path.
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new BackendError('--prometheus: expected an http:// or https:// URL (the part before /api/v1)');
    const user = u.username ? decodeURIComponent(u.username) : env.PACE_PROMETHEUS_USERNAME;
    const pass = u.password ? decodeURIComponent(u.password) : env.PACE_PROMETHEUS_PASSWORD;
    const token = env.PACE_PROMETHEUS_BEARER_TOKEN;
    for (const s of [u.username, u.password, user, pass, token]) if (s) this.secrets.push(s);
    if (token) this.headers.authorization = `Bearer ${token}`;
    else if (user !== undefined && user !== '') {
      const basic = Buffer.from(`${user}:${pass ?? ''}`).toString('base64');
      this.secrets.push(basic);
      this.headers.authorization = `Basic ${basic}`;
    }
    // Query parameters (`?token=…`, as some proxies want) are sent with every request, after the
    // endpoint's path, and never shown: the display names them with masked values.
    for (const v of u.searchParams.values()) if (v.length >= MIN_SECRET_PARAM) this.secrets.push(v);
    this.search = u.search;
    const shownQuery = maskedQuery(u.searchParams);
    u.username = '';
    u.password = '';
    u.hash = '';
    u.search = '';
    this.base = u.toString().replace(/\/+$/, '');
    this.display = redact(this.base, this.secrets) + shownQuery;
    const timeout = env.PACE_PROMETHEUS_TIMEOUT !== undefined ? Number(env.PACE_PROMETHEUS_TIMEOUT) * 1000 : undefined;
    this.timeoutMs = opts.timeoutMs ?? (timeout !== undefined && timeout > 0 ? timeout : DEFAULT_TIMEOUT_MS);
    this.retries = opts.retries ?? 2;
    this.maxPoints = opts.maxPoints ?? MAX_POINTS_PER_ANSWER;
    this.backoff = opts.backoffMs ?? ((k) => 250 * 2 ** k);
    this.limit = Math.max(1, opts.concurrency ?? 4);
  }

  /** A message safe to print. */
  redact(text: string): string {
    return redact(text, this.secrets);
  }

  private async slot<T>(f: () => Promise<T>): Promise<T> {
    while (this.running >= this.limit) await new Promise<void>((r) => this.waiting.push(r));
    if (this.failure) throw this.failure;
    this.running++;
    try {
      return await f();
    } finally {
      this.running--;
      this.waiting.shift()?.();
    }
  }

  /**
   * One request with the timeout and the retries; returns the HTTP status and the body text.
   * Throws a BackendError (redacted) when no usable answer came.
   */
  async request(endpoint: string, params?: Record<string, string>, what = endpoint): Promise<{ status: number; text: string }> {
    return this.slot(async () => {
      const url = `${this.base}${endpoint}${this.search}`;
      let last = '';
      for (let attempt = 0; ; attempt++) {
        let retryAfter: number | undefined;
        try {
          const r = await fetch(url, {
            method: params ? 'POST' : 'GET',
            headers: { accept: 'application/json', ...this.headers, ...(params ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
            body: params ? new URLSearchParams(params).toString() : undefined,
            signal: AbortSignal.timeout(this.timeoutMs),
            redirect: 'error',
          });
          const text = await r.text();
          if (r.status !== 429 && r.status < 500) return { status: r.status, text };
          last = `answered HTTP ${r.status}${apiError(text) ? `: ${apiError(text)}` : ''}`;
          const ra = Number(r.headers.get('retry-after'));
          if (Number.isFinite(ra) && ra > 0) retryAfter = Math.min(ra * 1000, 5_000);
        } catch (e) {
          last = describeFailure(e, this.timeoutMs);
        }
        if (this.failure) throw this.failure;
        if (attempt >= this.retries) {
          const tries = attempt + 1;
          throw (this.failure = new BackendError(this.redact(`the Prometheus API at ${this.display} ${last} (${what}; ${tries} attempt${tries > 1 ? 's' : ''})`)));
        }
        await sleep(retryAfter ?? this.backoff(attempt));
        if (this.failure) throw this.failure;
      }
    });
  }

  private async api(endpoint: string, params: Record<string, string>): Promise<{ resultType: string; result: unknown }> {
    const what = `${endpoint} ${params.query.length > 120 ? `${params.query.slice(0, 117)}...` : params.query}`;
    const { status, text } = await this.request(endpoint, params, what);
    let body: ApiBody;
    try {
      body = JSON.parse(text) as ApiBody;
    } catch {
      throw (this.failure = new BackendError(this.redact(`the Prometheus API at ${this.display} answered HTTP ${status} with something that is not JSON (${what}): is the URL the API's base (the part before /api/v1)?`)));
    }
    if (body.status !== 'success' || !body.data || typeof body.data.resultType !== 'string') {
      const err = body.status === 'error' ? `${body.errorType ? `${body.errorType}: ` : ''}${body.error ?? 'no message'}` : `HTTP ${status}, status ${JSON.stringify(body.status ?? null)}`;
      throw (this.failure = new BackendError(this.redact(`the Prometheus API at ${this.display} answered an error to ${what}: ${err}`)));
    }
    return { resultType: body.data.resultType, result: body.data.result };
  }

  /** `/api/v1/query` at a Unix-ms instant. */
  async query(expr: string, timeMs: number): Promise<Sample[]> {
    const { resultType, result } = await this.api('/api/v1/query', { query: expr, time: new Date(timeMs).toISOString() });
    return samplesOf(resultType, result);
  }

  /** `/api/v1/query_range`, split into answers of at most `maxPoints` steps; the series' points merged. */
  async queryRange(expr: string, start: number, end: number, step: number): Promise<Sample[]> {
    const parts = await Promise.all(
      splitRange(start, end, step, this.maxPoints).map(async (r) => {
        const { resultType, result } = await this.api('/api/v1/query_range', { query: expr, start: new Date(r.start).toISOString(), end: new Date(r.end).toISOString(), step: String(step / 1000) });
        return samplesOf(resultType, result);
      }),
    );
    const bySeries = new Map<string, { metric: Record<string, string>; values: [number, number][] }>();
    for (const part of parts) {
      for (const s of part) {
        const key = JSON.stringify(Object.entries(s.metric).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
        let acc = bySeries.get(key);
        if (!acc) bySeries.set(key, (acc = { metric: { ...s.metric }, values: [] }));
        for (const v of s.values) acc.values.push([v[0], v[1]]);
      }
    }
    return [...bySeries.values()];
  }
}

function apiError(text: string): string | undefined {
  try {
    const b = JSON.parse(text) as ApiBody;
    return b.error ? `${b.errorType ? `${b.errorType}: ` : ''}${b.error}` : undefined;
  } catch {
    return undefined;
  }
}

function describeFailure(e: unknown, timeoutMs: number): string {
  const err = e as Error & { cause?: { code?: string; message?: string } };
  if (err?.name === 'TimeoutError' || err?.name === 'AbortError') return `did not answer within ${timeoutMs / 1000} s`;
  const cause = err?.cause;
  if (cause?.code) return `could not be reached (${cause.code}${cause.message && !cause.message.includes(cause.code) ? `: ${cause.message}` : ''})`;
  return `could not be reached (${cause?.message ?? err?.message ?? String(e)})`;
}

function samplesOf(resultType: string, result: unknown): Sample[] {
  if (resultType === 'vector') {
    return (result as { metric: Record<string, string>; value: [number, string] }[]).map((s) => ({ metric: s.metric ?? {}, values: [[Math.round(s.value[0] * 1000), parseValue(s.value[1])]] }));
  }
  if (resultType === 'matrix') {
    return (result as { metric: Record<string, string>; values: [number, string][] }[]).map((s) => ({ metric: s.metric ?? {}, values: s.values.map(([t, v]) => [Math.round(t * 1000), parseValue(v)] as const) }));
  }
  if (resultType === 'scalar') {
    const [t, v] = result as [number, string];
    return [{ metric: {}, values: [[Math.round(t * 1000), parseValue(v)]] }];
  }
  throw new BackendError(`unexpected result type ${JSON.stringify(resultType)}`);
}
