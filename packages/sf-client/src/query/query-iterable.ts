/**
 * `client.query()`: every record of a SOQL query, page after page (`nextRecordsUrl` →
 * queryMore), as an async iterator. Pages are fetched lazily, one ahead of nothing: breaking out
 * of the loop stops fetching. Page requests are reads, so they are retried on any transient error.
 */
import type { ClientCore } from '../client/client-core.js';

/** One page of a query result as the REST API returns it. */
export interface QueryPage<T> {
  totalSize: number;
  done: boolean;
  nextRecordsUrl?: string;
  records: T[];
}

export interface QueryOptions {
  /**
   * Records per page (`Sforce-Query-Options: batchSize`), 200..2000; Salesforce may return fewer.
   * @defaultValue 2000 (Salesforce's default)
   */
  batchSize?: number;
}

/** Something that prints as SOQL (the builder's queries). */
export interface SoqlText {
  toSoql(): string;
}

export class QueryIterable<T> implements AsyncIterable<T> {
  #totalSize: number | undefined;
  #pages = 0;

  constructor(
    private readonly core: ClientCore,
    private readonly soql: string,
    private readonly all: boolean,
    private readonly options: QueryOptions = {},
  ) {}

  /** `totalSize` of the result, known once the first page has arrived. */
  get totalSize(): number | undefined {
    return this.#totalSize;
  }

  /** Pages fetched so far. */
  get pagesFetched(): number {
    return this.#pages;
  }

  /** The pages themselves, for callers that process a page at a time. */
  async *pages(): AsyncGenerator<QueryPage<T>, void, undefined> {
    const headers = this.options.batchSize ? { 'Sforce-Query-Options': `batchSize=${this.options.batchSize}` } : undefined;
    let path: string | undefined = this.core.dataPath(`/${this.all ? 'queryAll' : 'query'}?q=${encodeURIComponent(this.soql)}`);
    while (path !== undefined) {
      const { body }: { body: QueryPage<T> } = await this.core.request<QueryPage<T>>(
        { method: 'GET', path, ...(headers ? { headers } : {}) },
        { idempotent: true },
      );
      this.#pages += 1;
      this.#totalSize = body.totalSize;
      yield body;
      path = body.done ? undefined : body.nextRecordsUrl;
    }
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<T, void, undefined> {
    for await (const page of this.pages()) yield* page.records;
  }

  /** Every record in one array (mind the memory for big results). */
  async toArray(): Promise<T[]> {
    const out: T[] = [];
    for await (const record of this) out.push(record);
    return out;
  }
}
