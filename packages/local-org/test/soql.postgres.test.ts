// Scope: the core of the SOQL engine against a real PostgreSQL server (the PGlite suites cover
// every feature); proves that the generated SQL, parameter types and value parsing hold on both.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeId } from '../src/ids.js';
import { executeSoql, QueryCursors } from '../src/soql/index.js';
import { ids, insert, openSoqlDb, seedScenario, url, type SoqlDb } from './utils/soql-fixture.js';

const DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test';

let fx: SoqlDb;
beforeAll(async () => {
  try {
    fx = await openSoqlDb({ databaseUrl: DATABASE_URL });
  } catch (err) {
    throw new Error(`PostgreSQL is not reachable at ${DATABASE_URL} (start it, e.g. \`service postgresql start\`): ${String(err)}`);
  }
  await seedScenario(fx.db);
});
afterAll(() => fx?.close());

const q = (soql: string, includeDeleted = false) => executeSoql(fx.ctx(), soql, { includeDeleted });

describe('SOQL on PostgreSQL', () => {
  it('nests parent paths and child subqueries', async () => {
    const [deal] = (await q(`SELECT Name, Account.Owner.Name, (SELECT Quantity FROM OpportunityLineItems ORDER BY Quantity DESC LIMIT 1) FROM Opportunity WHERE Name = 'big deal'`)).records;
    expect(deal).toEqual({
      attributes: { type: 'Opportunity', url: url('Opportunity', ids.bigDeal) },
      Name: 'Big Deal',
      Account: {
        attributes: { type: 'Account', url: url('Account', ids.acme) },
        Owner: { attributes: { type: 'User', url: url('User', ids.user) }, Name: 'Ada Lovelace' },
      },
      OpportunityLineItems: {
        totalSize: 1,
        done: true,
        records: [{ attributes: { type: 'OpportunityLineItem', url: url('OpportunityLineItem', ids.line1) }, Quantity: 2 }],
      },
    });
  });

  it('filters with LIKE, IN, semi-joins, NOT, date literals, datetimes and 15-character ids', async () => {
    const names = async (soql: string) => (await q(soql)).records.map((r) => r.Name);
    expect(await names(`SELECT Name FROM Account WHERE Name LIKE 'GLO%' OR Name IN ('INITECH')`)).toEqual(['Globex', 'initech']);
    expect(await names(`SELECT Name FROM Opportunity WHERE Id IN (SELECT OpportunityId FROM Quote)`)).toEqual(['Big Deal']);
    expect(await names(`SELECT Name FROM Account WHERE NOT (Region__c = 'EMEA' OR Region__c = 'NAMER')`)).toEqual(['initech']);
    expect(await names(`SELECT Name FROM Account WHERE CreatedDate = TODAY`)).toEqual(['Globex']);
    expect(await names(`SELECT Name FROM Account WHERE CreatedDate = 2024-01-15T11:30:00+01:00`)).toEqual(['Acme']);
    expect(await names(`SELECT Name FROM Opportunity WHERE CloseDate = THIS_QUARTER ORDER BY Name`)).toEqual(['Orphan Deal', 'Small Deal']);
    expect(await names(`SELECT Name FROM Account WHERE Id = '${ids.acme.slice(0, 15)}'`)).toEqual(['Acme']);
    expect(await names(`SELECT Name FROM Vehicle__c WHERE Features__c INCLUDES ('sunroof')`)).toEqual(['Van']);
  });

  it('sorts text case-insensitively with Salesforce null ordering and hides deleted rows', async () => {
    expect((await q(`SELECT Name FROM Account ORDER BY Name DESC`)).records.map((r) => r.Name)).toEqual(['initech', 'Globex', 'Acme']);
    expect((await q(`SELECT Name FROM Opportunity ORDER BY Amount DESC`)).records.map((r) => r.Name)).toEqual(['Big Deal', 'Orphan Deal', 'Small Deal', 'Globex Deal']);
    expect((await q(`SELECT COUNT() FROM Opportunity`, true)).totalSize).toBe(5);
  });

  it('aggregates with GROUP BY and HAVING', async () => {
    expect((await q(`SELECT StageName, COUNT(Id), SUM(Amount) total FROM Opportunity GROUP BY StageName HAVING COUNT(Id) > 1`)).records).toEqual([
      { attributes: { type: 'AggregateResult' }, StageName: 'Prospecting', expr0: 2, total: 100 },
    ]);
    expect(await q(`SELECT COUNT() FROM Opportunity WHERE Account.Name = 'Acme'`)).toEqual({ totalSize: 2, records: [] });
  });

  it('round-trips a hostile value as data and pages a large result', async () => {
    const hostile = `x'); DROP TABLE "Account"; --`;
    await insert(fx.db, 'Account', [{ Id: makeId('001', 60), Name: hostile }]);
    expect((await q(`SELECT Name FROM Account WHERE Name = 'x\\'); DROP TABLE "Account"; --'`)).records.map((r) => r.Name)).toEqual([hostile]);
    await insert(fx.db, 'Product2', Array.from({ length: 2500 }, (_, i) => ({ Id: makeId('01t', 100 + i), Name: `P${i}` })));
    const cursors = new QueryCursors();
    const first = cursors.firstPage(await q('SELECT Id FROM Product2'), 2000, '64.0', false);
    expect({ totalSize: first.totalSize, done: first.done, n: first.records.length }).toEqual({ totalSize: 2502, done: false, n: 2000 });
    const last = cursors.nextPage(first.nextRecordsUrl?.split('/').pop() ?? '');
    expect({ done: last.done, n: last.records.length }).toEqual({ done: true, n: 502 });
  });
});
