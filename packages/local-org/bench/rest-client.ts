/**
 * The benchmark's REST client: plain `fetch` (Node's built-in undici, keep-alive) with the org's
 * Bearer token, JSON in and out. Plain fetch rather than jsforce so that what is timed is the org
 * and HTTP, not a client library's own bookkeeping; jsforce's `autoFetch` follows the same
 * `nextRecordsUrl` chain.
 */
import type { Readable } from 'node:stream';
import type { LocalOrg } from '../src/index.js';

/** A query page as `/query` and `/query/<locator>` answer. */
export interface QueryPage<R> {
  totalSize: number;
  done: boolean;
  nextRecordsUrl?: string;
  records: R[];
}

export class RestClient {
  /** Requests sent so far (every HTTP round trip counts). */
  requests = 0;
  /** Response bytes received so far. */
  bytes = 0;
  readonly #headers: Record<string, string>;

  constructor(readonly org: LocalOrg) {
    this.#headers = { Authorization: `Bearer ${org.accessToken}`, 'Content-Type': 'application/json' };
  }

  /** `/services/data/v65.0` */
  get base(): string {
    return `/services/data/v${this.org.apiVersion}`;
  }

  /**
   * Sends a request and parses the JSON answer.
   * @throws Error naming the request when the status is not `expect` (a benchmark of failures
   *   would measure nothing useful).
   */
  async send<T>(method: string, path: string, body?: unknown, expect = method === 'POST' ? 201 : 200): Promise<T> {
    const res = await fetch(`${this.org.instanceUrl}${path}`, {
      method,
      headers: this.#headers,
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    this.requests++;
    this.bytes += text.length;
    if (res.status !== expect) throw new Error(`${method} ${path.slice(0, 120)} → ${res.status} ${text.slice(0, 300)}`);
    return JSON.parse(text) as T;
  }

  /**
   * Sends `body` as a streamed request body (`duplex: 'half'`: fetch sends it as it is read, so a
   * 100,000-row CSV never sits in memory whole) and returns the answer's text.
   * @throws Error naming the request when the status is not `expect`.
   */
  async sendStream(method: string, path: string, body: Readable, contentType: string, expect: number): Promise<string> {
    const res = await fetch(`${this.org.instanceUrl}${path}`, {
      method,
      headers: { Authorization: this.#headers['Authorization'] ?? '', 'Content-Type': contentType },
      body: body as unknown as NonNullable<RequestInit['body']>,
      duplex: 'half',
    } as RequestInit);
    const text = await res.text();
    this.requests++;
    this.bytes += text.length;
    if (res.status !== expect) throw new Error(`${method} ${path.slice(0, 120)} → ${res.status} ${text.slice(0, 300)}`);
    return text;
  }

  /** Runs `soql` through `/query` and follows `nextRecordsUrl` to the end. */
  async queryAll<R>(soql: string): Promise<{ records: R[]; pages: number; firstPageSeconds: number }> {
    const start = performance.now();
    let page = await this.send<QueryPage<R>>('GET', `${this.base}/query?q=${encodeURIComponent(soql)}`);
    const firstPageSeconds = (performance.now() - start) / 1000;
    const records = [...page.records];
    let pages = 1;
    while (!page.done) {
      if (!page.nextRecordsUrl) throw new Error('a page with done=false has no nextRecordsUrl');
      page = await this.send<QueryPage<R>>('GET', page.nextRecordsUrl);
      for (const r of page.records) records.push(r);
      pages++;
    }
    return { records, pages, firstPageSeconds };
  }
}
