/**
 * Quote units as the batch job builds them (one Quote + its lines per opportunity), and the
 * opportunities to hang them on, created straight in the org's store in one transaction.
 */
import type { LocalOrg } from '@ecars/local-org';
import { ref, type Unit } from '../../src/index.js';

export interface QuoteFixture {
  opportunityIds: string[];
  pricebookId: string;
  entryIds: string[];
}

/** Creates `n` opportunities (one store transaction) on the demo seed's first account. */
export async function seedOpportunities(org: LocalOrg, n: number): Promise<QuoteFixture> {
  const { db, store } = org.runtime;
  const account = await db.query<{ Id: string }>(`SELECT "Id" FROM "Account" ORDER BY "Id" LIMIT 1`);
  const pricebook = await db.query<{ Id: string }>(`SELECT "Id" FROM "Pricebook2" WHERE "IsStandard" LIMIT 1`);
  const entries = await db.query<{ Id: string }>(`SELECT "Id" FROM "PricebookEntry" WHERE "IsActive" ORDER BY "Id" LIMIT 2`);
  const rows = Array.from({ length: n }, (_, i) => ({
    Name: `Sample Opportunity ${i}`,
    AccountId: account.rows[0]!.Id,
    StageName: 'Prospecting',
    CloseDate: '2030-01-31',
    Pricebook2Id: pricebook.rows[0]!.Id,
  }));
  const results = await store.transaction((tx) => store.create(tx, 'Opportunity', rows));
  const failed = results.find((r) => !r.ok);
  if (failed && !failed.ok) throw failed.error;
  return {
    opportunityIds: results.map((r) => (r.ok ? r.id : '')),
    pricebookId: pricebook.rows[0]!.Id,
    entryIds: entries.rows.map((r) => r.Id),
  };
}

/** One unit per opportunity: a Quote (key `<jobId>:<opportunityId>`) and `lines` QuoteLineItems. */
export function quoteUnits(fixture: QuoteFixture, jobId: string, lines = 2): Unit[] {
  return fixture.opportunityIds.map((opportunityId, i) => ({
    key: `${jobId}:${opportunityId}`,
    records: [
      {
        ref: 'quote',
        type: 'Quote',
        fields: { Name: `Quote ${i}`, OpportunityId: opportunityId, Pricebook2Id: fixture.pricebookId, Status: 'Draft', ExpirationDate: '2030-03-02' },
      },
      ...Array.from({ length: lines }, (_, k) => ({
        ref: `line${k + 1}`,
        type: 'QuoteLineItem',
        fields: { QuoteId: ref('quote'), PricebookEntryId: fixture.entryIds[k % fixture.entryIds.length], Quantity: k + 1, UnitPrice: 100 + k },
      })),
    ],
  }));
}
