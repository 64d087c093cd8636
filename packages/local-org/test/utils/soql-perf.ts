/**
 * Perf check of the SOQL engine (not a test; run with `pnpm exec tsx test/utils/soql-perf.ts`):
 * the batch job's query over 10,000 Opportunities with 2 line items each on PGlite, timed
 * for execution and for paging through the cursor. Prints one JSON line.
 */
import { makeId } from '../../src/ids.js';
import { executeSoql, QueryCursors } from '../../src/soql/index.js';
import { insert, openSoqlDb } from './soql-fixture.js';

const PARENTS = 10_000;
const SOQL =
  'SELECT Id, Name, AccountId, CloseDate, StageName, Amount, ' +
  '(SELECT Id, Product2Id, Quantity, UnitPrice, PricebookEntryId FROM OpportunityLineItems) ' +
  "FROM Opportunity WHERE Name LIKE 'Sample Opp%'";

const fx = await openSoqlDb();
await insert(fx.db, 'Account', [{ Id: makeId('001', 1), Name: 'Acme' }]);
await insert(
  fx.db,
  'Opportunity',
  Array.from({ length: PARENTS }, (_, i) => ({
    Id: makeId('006', i + 1),
    Name: `Sample Opportunity ${i}`,
    AccountId: makeId('001', 1),
    CloseDate: '2024-06-30',
    StageName: 'Prospecting',
  })),
);
await insert(
  fx.db,
  'OpportunityLineItem',
  Array.from({ length: PARENTS * 2 }, (_, i) => ({
    Id: makeId('00k', i + 1),
    OpportunityId: makeId('006', Math.floor(i / 2) + 1),
    Product2Id: makeId('01t', 1 + (i % 2)),
    PricebookEntryId: makeId('01u', 1 + (i % 2)),
    Quantity: 1 + (i % 10),
    UnitPrice: 10 + (i % 100),
  })),
);
await fx.db.exec('ANALYZE');

const runs: number[] = [];
let pages = 0;
for (let run = 0; run < 4; run++) {
  const t0 = performance.now();
  const result = await executeSoql(fx.ctx(), SOQL);
  const cursors = new QueryCursors();
  let page = cursors.firstPage(result, 2000, '64.0', false);
  pages = 1;
  while (!page.done) {
    page = cursors.nextPage(page.nextRecordsUrl?.split('/').pop() ?? '');
    pages++;
  }
  runs.push(performance.now() - t0);
  if (result.totalSize !== PARENTS) throw new Error(`expected ${PARENTS} parents, got ${result.totalSize}`);
}
await fx.close();
const warm = runs.slice(1);
console.log(
  JSON.stringify({
    bench: 'soql-parents-children',
    parents: PARENTS,
    children: PARENTS * 2,
    pages,
    coldMs: Math.round(runs[0] ?? 0),
    warmMedianMs: Math.round(warm.sort((a, b) => a - b)[Math.floor(warm.length / 2)] ?? 0),
  }),
);
