/**
 * The baseline: what the seed sample's quote job does (server/services/quote.js), within
 * Salesforce's limits, with nothing added. One process, plain `fetch`, one thing at a time:
 * 1. query every opportunity with its line items and account region (`/query`, then each
 *    `nextRecordsUrl`);
 * 2. price them with the sample's float formula: UnitPrice × (1 − regional discount), expiration
 *    = close date + 30 days;
 * 3. write each opportunity's Quote + lines as one composite graph, graphs packed greedily up to
 *    Salesforce's 500 nodes and 75 graphs per `/composite/graph` request, requests sent
 *    sequentially. (The sample itself commits every quote of the batch as ONE unit of work, which
 *    a real org refuses above 500 nodes: 5,000 opportunities make 15,000.)
 * No retries, no idempotency, no concurrency: the sample has none.
 */
import { seedDiscountForRegion } from '@ecars/pricing-engine/seed-baseline';

/** Salesforce's composite graph limits (REST API Developer Guide, "Composite Graph"). */
const MAX_NODES_PER_REQUEST = 500;
const MAX_GRAPHS_PER_REQUEST = 75;

/** Where the baseline talks to. */
export interface BaselineTarget {
  instanceUrl: string;
  accessToken: string;
  apiVersion: string;
}

/** What one baseline run did. */
export interface BaselineRun {
  seconds: number;
  opportunities: number;
  quotes: number;
  queryCalls: number;
  graphRequests: number;
  failedGraphs: number;
}

interface LineRecord {
  PricebookEntryId: string;
  Quantity: number;
  UnitPrice: number;
}
interface OpportunityRecord {
  Id: string;
  CloseDate: string;
  Pricebook2Id: string | null;
  Account: { Region__c: string | null } | null;
  OpportunityLineItems: { records: LineRecord[] } | null;
}
interface QueryPage {
  records: OpportunityRecord[];
  done: boolean;
  nextRecordsUrl?: string;
}
interface GraphNode {
  method: 'POST';
  url: string;
  referenceId: string;
  body: Record<string, unknown>;
}
interface Graph {
  graphId: string;
  compositeRequest: GraphNode[];
}

/** The sample's quote of one opportunity, as a graph (null when it has no lines, as the sample skips it). */
function graphOf(o: OpportunityRecord, index: number, apiVersion: string): Graph | null {
  const lines = o.OpportunityLineItems?.records ?? [];
  if (lines.length === 0) return null;
  const expiration = new Date(o.CloseDate);
  expiration.setDate(expiration.getDate() + 30);
  const discount = seedDiscountForRegion(o.Account?.Region__c);
  const base = `/services/data/v${apiVersion}/sobjects`;
  return {
    graphId: `g${index}`,
    compositeRequest: [
      {
        method: 'POST',
        url: `${base}/Quote`,
        referenceId: 'quote',
        body: {
          Name: 'New Quote',
          OpportunityId: o.Id,
          Pricebook2Id: o.Pricebook2Id,
          ExpirationDate: expiration.toISOString().split('T')[0],
          Status: 'Draft',
        },
      },
      ...lines.map((line, l) => ({
        method: 'POST' as const,
        url: `${base}/QuoteLineItem`,
        referenceId: `line${l}`,
        body: {
          QuoteId: '@{quote.id}',
          PricebookEntryId: line.PricebookEntryId,
          Quantity: line.Quantity,
          UnitPrice: line.UnitPrice * (1 - discount),
        },
      })),
    ],
  };
}

/** Greedy packing in order: a new request when the next graph would pass 500 nodes or 75 graphs. */
function pack(graphs: Graph[]): Graph[][] {
  const requests: Graph[][] = [];
  let current: Graph[] = [];
  let nodes = 0;
  for (const graph of graphs) {
    const size = graph.compositeRequest.length;
    if (
      current.length > 0 &&
      (nodes + size > MAX_NODES_PER_REQUEST || current.length >= MAX_GRAPHS_PER_REQUEST)
    ) {
      requests.push(current);
      current = [];
      nodes = 0;
    }
    current.push(graph);
    nodes += size;
  }
  if (current.length > 0) requests.push(current);
  return requests;
}

/** Runs the baseline over `Name LIKE '<namePrefix>%'`. Throws when the org refuses a request. */
export async function runBaseline(target: BaselineTarget, namePrefix: string): Promise<BaselineRun> {
  const headers = { authorization: `Bearer ${target.accessToken}`, 'content-type': 'application/json' };
  const call = async <T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${target.instanceUrl}${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    if (!res.ok)
      throw new Error(
        `baseline: ${method} ${path.split('?')[0]} answered ${res.status}: ${text.slice(0, 300)}`,
      );
    return JSON.parse(text) as T;
  };

  const started = performance.now();
  const soql =
    'SELECT Id, CloseDate, Pricebook2Id, Account.Region__c, ' +
    '(SELECT PricebookEntryId, Quantity, UnitPrice FROM OpportunityLineItems) ' +
    `FROM Opportunity WHERE Name LIKE '${namePrefix}%'`;
  const opportunities: OpportunityRecord[] = [];
  let queryCalls = 0;
  let path: string | undefined = `/services/data/v${target.apiVersion}/query?q=${encodeURIComponent(soql)}`;
  while (path) {
    const page: QueryPage = await call<QueryPage>('GET', path);
    queryCalls++;
    opportunities.push(...page.records);
    path = page.done ? undefined : page.nextRecordsUrl;
  }

  const graphs = opportunities.flatMap((o, i) => graphOf(o, i, target.apiVersion) ?? []);
  const requests = pack(graphs);
  let quotes = 0;
  let failedGraphs = 0;
  for (const request of requests) {
    const answer = await call<{ graphs: { isSuccessful: boolean }[] }>(
      'POST',
      `/services/data/v${target.apiVersion}/composite/graph`,
      { graphs: request },
    );
    for (const g of answer.graphs) {
      if (g.isSuccessful) quotes++;
      else failedGraphs++;
    }
  }
  return {
    seconds: (performance.now() - started) / 1000,
    opportunities: opportunities.length,
    quotes,
    queryCalls,
    graphRequests: requests.length,
    failedGraphs,
  };
}
