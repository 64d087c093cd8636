/**
 * `client.queryMany(soqls)`: several SOQL queries in one API call. Salesforce's `/composite`
 * resource takes up to 25 subrequests of which up to 5 may be queries, runs them in one round trip
 * and counts the whole request as ONE call toward the org's API limits. A batch worker that reads
 * 2,000 opportunities with their lines as four 500-opportunity slices gets them in one call
 * instead of four sequential `queryMore` pages (each a round trip and a call).
 *
 * Each query's first page comes back in the composite answer; a query with more rows than fit
 * one page (2,000, children counted) is followed with `queryMore` like `client.query()`. Every
 * request here is a read, so it is retried on any transient error.
 */
import type { ClientCore } from '../client/client-core.js';
import { ClientErrorCode } from '../errors/error-codes.js';
import { SalesforceApiError, type ApiErrorDetail } from '../errors/salesforce-api-error.js';
import { SalesforceClientError } from '../errors/salesforce-client-error.js';
import type { QueryPage } from './query-iterable.js';

/** Salesforce's limit on query subrequests in one `/composite` request. */
export const COMPOSITE_QUERY_LIMIT = 5;

interface CompositeAnswer {
  compositeResponse: Array<{ body: unknown; httpStatusCode: number; referenceId: string }>;
}

/** Records of every query, in the order of `soqls`. The first query that fails rejects with its error. */
export async function queryMany<T>(core: ClientCore, soqls: readonly string[]): Promise<T[][]> {
  const out: T[][] = [];
  for (let start = 0; start < soqls.length; start += COMPOSITE_QUERY_LIMIT) {
    const group = soqls.slice(start, start + COMPOSITE_QUERY_LIMIT);
    const { body } = await core.request<CompositeAnswer>(
      {
        method: 'POST',
        path: core.dataPath('/composite'),
        json: {
          allOrNone: false,
          compositeRequest: group.map((soql, k) => ({
            method: 'GET',
            url: core.dataPath(`/query?q=${encodeURIComponent(soql)}`),
            referenceId: `q${k}`,
          })),
        },
      },
      { idempotent: true },
    );
    const answers = new Map((body?.compositeResponse ?? []).map((r) => [r.referenceId, r]));
    for (const [k, soql] of group.entries()) {
      const answer = answers.get(`q${k}`);
      if (!answer) throw new SalesforceClientError(ClientErrorCode.UNEXPECTED_RESPONSE, `the /composite answer has no result for query ${start + k}`);
      if (answer.httpStatusCode !== 200) throw subrequestError(answer.body, answer.httpStatusCode, soql);
      out.push(await allRecords<T>(core, answer.body as QueryPage<T>));
    }
  }
  return out;
}

/** The page's records and those of the pages after it. */
async function allRecords<T>(core: ClientCore, first: QueryPage<T>): Promise<T[]> {
  const records = [...first.records];
  let page = first;
  while (!page.done && page.nextRecordsUrl) {
    ({ body: page } = await core.request<QueryPage<T>>({ method: 'GET', path: page.nextRecordsUrl }, { idempotent: true }));
    records.push(...page.records);
  }
  return records;
}

/** A failed query subrequest as the error the same query alone would have thrown. */
function subrequestError(body: unknown, status: number, soql: string): SalesforceApiError {
  const details: ApiErrorDetail[] = (Array.isArray(body) ? body : [body])
    .filter((e): e is Record<string, unknown> => e !== null && typeof e === 'object')
    .map((e) => ({ errorCode: String(e['errorCode'] ?? `HTTP_${status}`), message: String(e['message'] ?? '') }));
  const first = details[0] ?? { errorCode: `HTTP_${status}`, message: `query failed: ${soql.slice(0, 200)}` };
  return new SalesforceApiError(first.errorCode, first.message, status, [], details);
}
