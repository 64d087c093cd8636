/**
 * The benchmark's data: opportunities with line items written straight through the record store
 * (the fastest way in, so setup stays short), and the composite graph payloads that put quotes on
 * them. Deterministic: the same counts give the same records on every run.
 */
import type { LocalOrg } from '../src/index.js';
import type { Row, WriteResult } from '../src/data/store-types.js';

/** What the seeded data points at: the demo seed's accounts and standard price book entries. */
export interface BenchData {
  opportunityIds: string[];
  accounts: { Id: string; Region__c: string | null }[];
  entries: { Id: string; UnitPrice: number }[];
  pricebookId: string;
}

/** Name prefix of every seeded opportunity; the benchmark's query selects on it. */
export const OPPORTUNITY_NAME_PREFIX = 'Bench ';

const STAGES = ['Prospecting', 'Qualification', 'Needs Analysis', 'Proposal/Price Quote', 'Negotiation/Review'];
const closeDate = (i: number) => `2026-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`;

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

  const opportunities: Row[] = Array.from({ length: count }, (_, i) => ({
    Name: `${OPPORTUNITY_NAME_PREFIX}${String(i).padStart(6, '0')}`,
    AccountId: accounts[i % accounts.length]!.Id,
    Pricebook2Id: pricebookId,
    StageName: STAGES[i % STAGES.length],
    CloseDate: closeDate(i),
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

// ---------------------------------------------------------------------------------------------
// Bulk ingest: opportunities as CSV rows and as sObject Collection records

/** Name prefix of the bulk section's opportunities (distinct from the query section's). */
export const BULK_NAME_PREFIX = 'Bulk ';

/** The columns of the bulk section's CSV, in order. */
export const BULK_OPPORTUNITY_FIELDS = ['Name', 'StageName', 'CloseDate', 'AccountId'] as const;

/** Opportunity `n` of the bulk section: the same values whether it travels as CSV or JSON. */
export function bulkOpportunity(data: BenchData, n: number): Record<(typeof BULK_OPPORTUNITY_FIELDS)[number], string> {
  return {
    Name: `${BULK_NAME_PREFIX}${String(n).padStart(7, '0')}`,
    StageName: STAGES[n % STAGES.length]!,
    CloseDate: closeDate(n),
    AccountId: data.accounts[n % data.accounts.length]!.Id,
  };
}

/** A CSV value, quoted only when it must be (RFC 4180). */
function csvValue(v: string): string {
  return /[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/**
 * Opportunities `first` .. `first + count - 1` as LF-terminated CSV with a header line, in chunks
 * of `rowsPerChunk` rows. A generator, so the body is produced while it is sent (pulled through
 * `Readable.from`), never held whole.
 */
export function* opportunityCsv(data: BenchData, first: number, count: number, rowsPerChunk = 1_000): Generator<Buffer> {
  yield Buffer.from(`${BULK_OPPORTUNITY_FIELDS.join(',')}\n`);
  for (let start = first; start < first + count; start += rowsPerChunk) {
    let chunk = '';
    for (let n = start; n < Math.min(start + rowsPerChunk, first + count); n++) {
      const o = bulkOpportunity(data, n);
      chunk += `${BULK_OPPORTUNITY_FIELDS.map((f) => csvValue(o[f])).join(',')}\n`;
    }
    yield Buffer.from(chunk);
  }
}

// ---------------------------------------------------------------------------------------------
// CDC: vehicles (Vehicle__c is CDC-enabled in force-app)

/** Vehicle `n` of the CDC section; VIN__c is unique and 17 characters. */
export function cdcVehicle(n: number): Row {
  return { attributes: { type: 'Vehicle__c' }, Name: `CDC Vehicle ${n}`, VIN__c: `CDC${String(n).padStart(14, '0')}`, Model__c: 'Model E' };
}
