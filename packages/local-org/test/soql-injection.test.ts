import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { makeId } from '../src/ids.js';
import { compileSoql, executeSoql, type CompiledSoql } from '../src/soql/index.js';
import { ids, insert, openSoqlDb, seedScenario, type SoqlDb } from './utils/soql-fixture.js';

let fx: SoqlDb;
beforeAll(async () => {
  fx = await openSoqlDb();
});
afterAll(() => fx.close());
beforeEach(async () => {
  await fx.clear();
  await seedScenario(fx.db);
});

/** Every SQL text of a compiled query (driving statement and subqueries). */
const texts = (c: CompiledSoql): string[] => [c.sql, ...c.subqueries.map((s) => s.sql)];

/**
 * What is left of SQL once placeholders, quoted identifiers and generated aliases are removed:
 * a user value could only hide here, so it must hold no quote and no digit.
 */
const residue = (sql: string): string =>
  sql
    .replace(/\$\d+/g, '')
    .replace(/"(?:[^"]|"")*"/g, '')
    .replace(/\b[tcpa]\d+\b/g, '');

const HOSTILE = `x'); DROP TABLE "Account"; --`;
const HOSTILE_SOQL = `x\\'); DROP TABLE "Account"; --`;

describe('no user value is ever concatenated into SQL', () => {
  it.each([
    `SELECT Id FROM Account WHERE Name = '${HOSTILE_SOQL}'`,
    `SELECT Id FROM Account WHERE Name LIKE '%${HOSTILE_SOQL}%' OR Name IN ('a', '${HOSTILE_SOQL}')`,
    `SELECT Id FROM Opportunity WHERE Amount > 987654 AND CloseDate = 2031-12-24 AND IsWon = true AND CreatedDate < 2031-12-24T10:11:12+05:30 LIMIT 4321 OFFSET 1234`,
    `SELECT Id FROM Opportunity WHERE CloseDate = LAST_N_DAYS:4242 AND CreatedDate = NEXT_N_MONTHS:17`,
    `SELECT Id FROM Opportunity WHERE AccountId = '${ids.acme.slice(0, 15)}' AND Id IN (SELECT OpportunityId FROM Quote WHERE Name = '${HOSTILE_SOQL}')`,
    `SELECT Id, (SELECT Id FROM OpportunityLineItems WHERE Description = '${HOSTILE_SOQL}' AND Quantity > 31337 LIMIT 99) FROM Opportunity`,
    `SELECT Subject FROM Task WHERE What.Type = '${HOSTILE_SOQL}'`,
    `SELECT StageName, COUNT(Id) FROM Opportunity WHERE Name != '${HOSTILE_SOQL}' GROUP BY StageName HAVING COUNT(Id) > 8080 LIMIT 77`,
    `SELECT COUNT() FROM Vehicle__c WHERE Features__c INCLUDES ('${HOSTILE_SOQL};b') AND Battery_Capacity__c < 55.5`,
  ])('%s', (soql) => {
    const compiled = compileSoql(fx.ctx(), soql);
    for (const sql of texts(compiled)) {
      expect(sql).not.toContain('DROP');
      expect(residue(sql)).not.toMatch(/['\d]/);
    }
  });

  it('binds the values as parameters, converted to their types', () => {
    const compiled = compileSoql(
      fx.ctx(),
      `SELECT Id FROM Opportunity WHERE Name = '${HOSTILE_SOQL}' AND Amount > 987654 AND CloseDate = 2031-12-24 AND CreatedDate < 2031-12-24T10:11:12+05:30 AND AccountId = '${ids.acme.slice(0, 15)}' LIMIT 4321 OFFSET 1234`,
    );
    expect(compiled.params).toEqual([HOSTILE, '987654', '2031-12-24', '2031-12-24T04:41:12.000Z', ids.acme, 4321, 1234]);
  });

  it('round-trips a hostile value as data and leaves the tables alone', async () => {
    await insert(fx.db, 'Account', [{ Id: makeId('001', 50), Name: HOSTILE }]);
    const result = await executeSoql(fx.ctx(), `SELECT Id, Name FROM Account WHERE Name = '${HOSTILE_SOQL}'`);
    expect(result.records.map((r) => r.Name)).toEqual([HOSTILE]);
    const like = await executeSoql(fx.ctx(), `SELECT Name FROM Account WHERE Name LIKE '%DROP TABLE%'`);
    expect(like.records.map((r) => r.Name)).toEqual([HOSTILE]);
    expect((await executeSoql(fx.ctx(), 'SELECT COUNT() FROM Account')).totalSize).toBe(4);
  });

  it('cannot smuggle SQL through identifiers: unknown names are refused, never quoted into SQL', async () => {
    await expect(executeSoql(fx.ctx(), 'SELECT Id FROM Account WHERE Name__c_x = 1')).rejects.toMatchObject({ errorCode: 'INVALID_FIELD' });
    await expect(executeSoql(fx.ctx(), 'SELECT Id FROM Account; DROP TABLE Account')).rejects.toMatchObject({ errorCode: 'MALFORMED_QUERY' });
    expect((await executeSoql(fx.ctx(), 'SELECT COUNT() FROM Account')).totalSize).toBe(3);
  });
});
