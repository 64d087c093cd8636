/**
 * The benchmark's input, written straight through the local org's record store (not timed, not an
 * API call): opportunities on the demo seed's accounts (every region) and standard price book,
 * each with 2 line items, in one transaction per 5,000 opportunities. Deterministic: the same
 * count and prefix give the same records.
 */
import type { LocalOrg } from '@ecars/local-org';

/** Line items per opportunity (the sample's data: 2 products each). */
export const LINES_PER_OPPORTUNITY = 2;

/** Opportunities per seeding transaction: bounded memory, few transactions. */
const SEED_BATCH = 5_000;

const STAGES = [
  'Prospecting',
  'Qualification',
  'Needs Analysis',
  'Proposal/Price Quote',
  'Negotiation/Review',
];

/** What seeding produced. */
export interface SeededData {
  /** Opportunities are named `<prefix><number>`; `Name LIKE '<prefix>%'` selects exactly them. */
  prefix: string;
  count: number;
  seconds: number;
}

/**
 * Creates `count` opportunities named `<prefix>000000…` with {@link LINES_PER_OPPORTUNITY} line
 * items each. The opportunities carry the standard price book, as a real org's opportunity with
 * products does (without it, every first line would also update its opportunity).
 */
export async function seedOpportunities(org: LocalOrg, prefix: string, count: number): Promise<SeededData> {
  const started = performance.now();
  const { db, store } = org.runtime;
  const accounts = (
    await db.query<{ Id: string }>(`SELECT "Id" FROM "Account" WHERE NOT "IsDeleted" ORDER BY "Name"`)
  ).rows;
  const entries = (
    await db.query<{ Id: string; UnitPrice: number; Pricebook2Id: string }>(
      `SELECT e."Id", e."UnitPrice", e."Pricebook2Id" FROM "PricebookEntry" e JOIN "Pricebook2" b ON b."Id" = e."Pricebook2Id"
        WHERE e."IsActive" AND b."IsStandard" AND NOT e."IsDeleted" ORDER BY e."Name", e."Id"`,
    )
  ).rows;
  const pricebookId = entries[0]?.Pricebook2Id;
  if (accounts.length === 0 || !pricebookId) {
    throw new Error(
      "seed: the org has no accounts or standard price book entries (start it with seed: 'demo')",
    );
  }
  for (let start = 0; start < count; start += SEED_BATCH) {
    const n = Math.min(SEED_BATCH, count - start);
    await store.transaction(async (tx) => {
      const opportunities = await store.create(
        tx,
        'Opportunity',
        Array.from({ length: n }, (_x, k) => {
          const i = start + k;
          return {
            Name: `${prefix}${String(i).padStart(6, '0')}`,
            AccountId: accounts[i % accounts.length]!.Id,
            Pricebook2Id: pricebookId,
            StageName: STAGES[i % STAGES.length],
            CloseDate: `2026-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`,
          };
        }),
      );
      const ids = opportunities.map((r, k) => {
        if (!r.ok) throw new Error(`seed: opportunity ${start + k}: ${r.error.errorCode} ${r.error.message}`);
        return r.id;
      });
      const lines = await store.create(
        tx,
        'OpportunityLineItem',
        ids.flatMap((id, k) =>
          Array.from({ length: LINES_PER_OPPORTUNITY }, (_x, l) => {
            const i = start + k;
            const entry = entries[(i + 3 * l) % entries.length]!;
            // Prices off the list price by a few cents, so the discount arithmetic has work to do.
            return {
              OpportunityId: id,
              PricebookEntryId: entry.Id,
              Quantity: 1 + ((i + l) % 7),
              UnitPrice: entry.UnitPrice + (i % 100) / 100,
            };
          }),
        ),
      );
      for (const [k, r] of lines.entries()) {
        if (!r.ok) throw new Error(`seed: line item ${k}: ${r.error.errorCode} ${r.error.message}`);
      }
    });
  }
  return { prefix, count, seconds: (performance.now() - started) / 1000 };
}

/** Quotes and quote lines on the opportunities of `prefix`, and the opportunities with exactly one quote. */
export async function countQuotes(
  org: LocalOrg,
  prefix: string,
): Promise<{ quotes: number; lines: number; opportunitiesWithOneQuote: number }> {
  const r = await org.runtime.db.query<{ quotes: number; lines: number; single: number }>(
    `WITH q AS (
       SELECT q."Id", q."OpportunityId" FROM "Quote" q JOIN "Opportunity" o ON o."Id" = q."OpportunityId"
        WHERE NOT q."IsDeleted" AND o."Name" LIKE $1
     ), per AS (SELECT "OpportunityId", count(*) AS n FROM q GROUP BY "OpportunityId")
     SELECT (SELECT count(*) FROM q)::int AS quotes,
            (SELECT count(*) FROM "QuoteLineItem" l WHERE NOT l."IsDeleted" AND l."QuoteId" IN (SELECT "Id" FROM q))::int AS lines,
            (SELECT count(*) FROM per WHERE n = 1)::int AS single`,
    [`${prefix}%`],
  );
  const row = r.rows[0];
  return { quotes: row?.quotes ?? 0, lines: row?.lines ?? 0, opportunitiesWithOneQuote: row?.single ?? 0 };
}
