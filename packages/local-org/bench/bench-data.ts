/**
 * The benchmark's data: opportunities with line items written straight through the record store
 * (the fastest way in, so setup stays short), and the composite graph payloads that put quotes on
 * them. Deterministic: the same counts give the same records on every run.
 */
import type { LocalOrg } from '../src/index.js';
import type { Row, WriteResult } from '../src/data/record-store.js';

/** What the seeded data points at: the demo seed's accounts and standard price book entries. */
export interface BenchData {
  opportunityIds: string[];
  accounts: { Id: string; Region__c: string | null }[];
  entries: { Id: string; UnitPrice: number }[];
  pricebookId: string;
}

/** Name prefix of every seeded opportunity; the benchmark's query selects on it. */
export const OPPORTUNITY_NAME_PREFIX = 'Bench ';

function ids(results: WriteResult[], what: string): string[] {
  return results.map((r, i) => {
    if (!r.ok) throw new Error(`seed: ${what} #${i}: ${r.error.errorCode} ${r.error.message}`);
    return r.id;
  });
}

/**
 * Creates `count` opportunities (standard price book, accounts round-robin) and
 * `linesPerOpportunity` line items on each, in one transaction per object batch.
 */
export async function seedOpportunities(org: LocalOrg, count: number, linesPerOpportunity: number): Promise<BenchData> {
  const { db, store } = org.runtime;
  const accounts = (
    await db.query<{ Id: string; Region__c: string | null }>(`SELECT "Id", "Region__c" FROM "Account" ORDER BY "Name"`)
  ).rows;
  const entries = (
    await db.query<{ Id: string; UnitPrice: number; Pricebook2Id: string }>(
      `SELECT "Id", "UnitPrice", "Pricebook2Id" FROM "PricebookEntry" WHERE "IsActive" ORDER BY "Name"`,
    )
  ).rows;
  const pricebookId = entries[0]?.Pricebook2Id;
  if (accounts.length === 0 || !pricebookId) throw new Error("seed: the org has no demo accounts or price book entries (start it with seed: 'demo')");

  const stages = ['Prospecting', 'Qualification', 'Needs Analysis', 'Proposal/Price Quote', 'Negotiation/Review'];
  const opportunities: Row[] = Array.from({ length: count }, (_, i) => ({
    Name: `${OPPORTUNITY_NAME_PREFIX}${String(i).padStart(6, '0')}`,
    AccountId: accounts[i % accounts.length]!.Id,
    Pricebook2Id: pricebookId,
    StageName: stages[i % stages.length],
    CloseDate: `2026-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`,
  }));
  const opportunityIds = await store.transaction(async (tx) =>
    ids(await store.create(tx, 'Opportunity', opportunities), 'Opportunity'),
  );
  const lines: Row[] = opportunityIds.flatMap((id, i) =>
    Array.from({ length: linesPerOpportunity }, (_x, l) => {
      const entry = entries[(i + l) % entries.length]!;
      return { OpportunityId: id, PricebookEntryId: entry.Id, Quantity: 1 + ((i + l) % 5), UnitPrice: entry.UnitPrice };
    }),
  );
  await store.transaction(async (tx) => ids(await store.create(tx, 'OpportunityLineItem', lines), 'OpportunityLineItem'));
  return { opportunityIds, accounts, entries, pricebookId };
}

/** One composite graph node. */
export interface GraphNode {
  method: string;
  url: string;
  referenceId: string;
  body: Row;
}

/** The quote of opportunity `n` and the body of its line `l` (shared by graphs and the baseline). */
export function quoteBody(data: BenchData, n: number): Row {
  return { Name: `Bench Quote ${n}`, OpportunityId: data.opportunityIds[n % data.opportunityIds.length], ExpirationDate: '2026-12-31' };
}

export function quoteLineBody(data: BenchData, n: number, l: number, quoteId: string): Row {
  const entry = data.entries[(n + l) % data.entries.length]!;
  return { QuoteId: quoteId, PricebookEntryId: entry.Id, Quantity: 1 + (l % 4), UnitPrice: entry.UnitPrice };
}

/** A graph of 1 Quote + `lines` QuoteLineItems referencing it (`@{quote.id}`): 1 + `lines` nodes. */
export function quoteGraph(data: BenchData, base: string, n: number, lines: number): { graphId: string; compositeRequest: GraphNode[] } {
  return {
    graphId: `g${n}`,
    compositeRequest: [
      { method: 'POST', url: `${base}/sobjects/Quote`, referenceId: 'quote', body: quoteBody(data, n) },
      ...Array.from({ length: lines }, (_x, l) => ({
        method: 'POST',
        url: `${base}/sobjects/QuoteLineItem`,
        referenceId: `line${l}`,
        body: quoteLineBody(data, n, l, '@{quote.id}'),
      })),
    ],
  };
}
