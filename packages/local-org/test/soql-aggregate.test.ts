import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { executeSoql } from '../src/soql/index.js';
import { openSoqlDb, seedScenario, type SoqlDb } from './utils/soql-fixture.js';

let fx: SoqlDb;
beforeAll(async () => {
  fx = await openSoqlDb();
});
afterAll(() => fx.close());
beforeEach(async () => {
  await fx.clear();
  await seedScenario(fx.db);
});

const q = (soql: string) => executeSoql(fx.ctx(), soql);
const agg = (fields: Record<string, unknown>) => ({ attributes: { type: 'AggregateResult' }, ...fields });

describe('COUNT()', () => {
  it('answers the number of rows as totalSize with no records', async () => {
    expect(await q(`SELECT COUNT() FROM Opportunity`)).toEqual({ totalSize: 4, records: [] });
    expect(await q(`SELECT count() FROM Opportunity WHERE Account.Name = 'acme'`)).toEqual({ totalSize: 2, records: [] });
    expect(await q(`SELECT COUNT() FROM Opportunity WHERE Name = 'none'`)).toEqual({ totalSize: 0, records: [] });
  });

  it('honours LIMIT and OFFSET', async () => {
    expect(await q(`SELECT COUNT() FROM Opportunity LIMIT 3`)).toEqual({ totalSize: 3, records: [] });
    expect(await q(`SELECT COUNT() FROM Opportunity OFFSET 3`)).toEqual({ totalSize: 1, records: [] });
  });

  it('counts groups when there is a GROUP BY', async () => {
    expect(await q(`SELECT COUNT() FROM Opportunity GROUP BY StageName`)).toEqual({ totalSize: 3, records: [] });
  });
});

describe('aggregate functions', () => {
  it('names unaliased aggregates expr0, expr1… in order and keeps aliases', async () => {
    const result = await q(`SELECT COUNT(Id), SUM(Amount) total, AVG(Amount), MIN(CloseDate), MAX(Amount) biggest, COUNT(Amount), COUNT_DISTINCT(StageName) FROM Opportunity`);
    expect(result).toEqual({
      totalSize: 1,
      records: [agg({ expr0: 4, total: 225.25, expr1: 75.08333333333333, expr2: '2024-01-31', biggest: 100, expr3: 3, expr4: 3 })],
    });
  });

  it('groups by fields, with the grouped field keyed by its API name', async () => {
    const result = await q(`SELECT stagename, COUNT(Id) n, SUM(Amount) FROM Opportunity GROUP BY StageName ORDER BY StageName`);
    expect(result.records).toEqual([
      agg({ StageName: 'Closed Won', n: 1, expr0: 50 }),
      agg({ StageName: 'Prospecting', n: 2, expr0: 100 }),
      agg({ StageName: 'Qualification', n: 1, expr0: 75.25 }),
    ]);
  });

  it('groups by parent paths, keyed by the field name alone, with null groups', async () => {
    const result = await q(`SELECT Account.Name, COUNT(Id) FROM Opportunity GROUP BY Account.Name ORDER BY Account.Name NULLS LAST`);
    expect(result.records).toEqual([agg({ Name: 'Acme', expr0: 2 }), agg({ Name: 'Globex', expr0: 1 }), agg({ Name: null, expr0: 1 })]);
  });

  it('filters groups with HAVING and orders by aggregates', async () => {
    expect((await q(`SELECT StageName, COUNT(Id) FROM Opportunity GROUP BY StageName HAVING COUNT(Id) > 1`)).records).toEqual([
      agg({ StageName: 'Prospecting', expr0: 2 }),
    ]);
    expect((await q(`SELECT StageName s FROM Opportunity GROUP BY StageName HAVING StageName LIKE '%Won'`)).records).toEqual([agg({ s: 'Closed Won' })]);
    expect((await q(`SELECT StageName, SUM(Amount) FROM Opportunity GROUP BY StageName ORDER BY SUM(Amount) DESC NULLS LAST LIMIT 2`)).records).toEqual([
      agg({ StageName: 'Prospecting', expr0: 100 }),
      agg({ StageName: 'Qualification', expr0: 75.25 }),
    ]);
  });

  it('groups by date functions', async () => {
    const result = await q(`SELECT CALENDAR_QUARTER(CloseDate) quarter, COUNT(Id) FROM Opportunity GROUP BY CALENDAR_QUARTER(CloseDate) ORDER BY CALENDAR_QUARTER(CloseDate)`);
    expect(result.records).toEqual([agg({ quarter: 1, expr0: 2 }), agg({ quarter: 2, expr0: 2 })]);
  });

  it('leaves soft-deleted rows out of aggregates', async () => {
    expect((await q(`SELECT SUM(Quantity) FROM OpportunityLineItem`)).records).toEqual([agg({ expr0: 8 })]);
  });
});
