import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { makeId } from '../src/ids.js';
import { executeSoql } from '../src/soql/index.js';
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

const names = async (soql: string, key = 'Name') => (await executeSoql(fx.ctx(), soql)).records.map((r) => r[key]);

describe('comparison operators', () => {
  it('compares numbers with = != <> < <= > >=', async () => {
    expect(await names(`SELECT Name FROM Opportunity WHERE Amount = 100`)).toEqual(['Big Deal']);
    expect(await names(`SELECT Name FROM Opportunity WHERE Amount < 75.25 ORDER BY Name`)).toEqual(['Small Deal']);
    expect(await names(`SELECT Name FROM Opportunity WHERE Amount <= 75.25 ORDER BY Name`)).toEqual(['Orphan Deal', 'Small Deal']);
    expect(await names(`SELECT Name FROM Opportunity WHERE Amount > 50 ORDER BY Name`)).toEqual(['Big Deal', 'Orphan Deal']);
    expect(await names(`SELECT Name FROM Opportunity WHERE Amount >= 50 ORDER BY Name`)).toEqual(['Big Deal', 'Orphan Deal', 'Small Deal']);
    expect(await names(`SELECT Name FROM Account WHERE NumberOfEmployees > 10`)).toEqual(['Acme']);
    expect(await names(`SELECT Name FROM Account WHERE AnnualRevenue = USD500.5`)).toEqual(['Globex']);
  });

  it('matches nulls with != and <> (SOQL compares null like a value)', async () => {
    expect(await names(`SELECT Name FROM Opportunity WHERE Amount != 100 ORDER BY Name`)).toEqual(['Globex Deal', 'Orphan Deal', 'Small Deal']);
    expect(await names(`SELECT Name FROM Account WHERE Region__c <> 'EMEA' ORDER BY Name`)).toEqual(['Globex', 'initech']);
  });

  it('turns = null into IS NULL and != null into IS NOT NULL', async () => {
    expect(await names(`SELECT Name FROM Opportunity WHERE AccountId = null`)).toEqual(['Orphan Deal']);
    expect(await names(`SELECT Name FROM Opportunity WHERE Amount != null ORDER BY Name`)).toEqual(['Big Deal', 'Orphan Deal', 'Small Deal']);
    expect(await names(`SELECT Name FROM Opportunity WHERE Account.Region__c = NULL AND AccountId != NULL`)).toEqual([]);
  });

  it('compares booleans', async () => {
    expect(await names(`SELECT Name FROM Opportunity WHERE IsWon = true`)).toEqual(['Small Deal']);
    expect(await names(`SELECT Name FROM Opportunity WHERE IsWon = FALSE ORDER BY Name`)).toEqual(['Big Deal', 'Globex Deal', 'Orphan Deal']);
  });

  it('compares text case-insensitively', async () => {
    expect(await names(`SELECT Name FROM Account WHERE Name = 'ACME'`)).toEqual(['Acme']);
    expect(await names(`SELECT Name FROM Account WHERE Name = 'Initech'`)).toEqual(['initech']);
    expect(await names(`SELECT Name FROM Account WHERE Name > 'b' ORDER BY Name`)).toEqual(['Globex', 'initech']);
    expect(await names(`SELECT Name FROM Account WHERE Name IN ('GLOBEX', 'initech') ORDER BY Name`)).toEqual(['Globex', 'initech']);
  });

  it('filters on parent paths', async () => {
    expect(await names(`SELECT Name FROM Opportunity WHERE Account.Region__c = 'emea' ORDER BY Name`)).toEqual(['Big Deal', 'Small Deal']);
    expect(await names(`SELECT Quantity FROM OpportunityLineItem WHERE Opportunity.Account.Owner.Alias = 'ada' AND Product2.Name = 'Car' ORDER BY Quantity`, 'Quantity')).toEqual([2, 5]);
  });
});

describe('string literals', () => {
  it('unescapes \\\' \\\\ and \\n in string literals', async () => {
    await insert(fx.db, 'Account', [
      { Id: makeId('001', 20), Name: 'Back\\slash' },
      { Id: makeId('001', 21), Name: 'Two\nlines' },
    ]);
    expect(await names(`SELECT Name FROM Contact WHERE LastName = 'O\\'Brien'`)).toEqual(["Pat O'Brien"]);
    expect(await names(`SELECT Name FROM Account WHERE Name = 'Back\\\\slash'`)).toEqual(['Back\\slash']);
    expect(await names(`SELECT Name FROM Account WHERE Name = 'Two\\nlines'`)).toEqual(['Two\nlines']);
  });
});

describe('LIKE', () => {
  it('matches case-insensitively with % and _', async () => {
    expect(await names(`SELECT Name FROM Account WHERE Name LIKE 'a%'`)).toEqual(['Acme']);
    expect(await names(`SELECT Name FROM Account WHERE Name LIKE '%E_H'`)).toEqual(['initech']);
    expect(await names(`SELECT Name FROM Opportunity WHERE Name LIKE '%deal' ORDER BY Name`)).toEqual(['Big Deal', 'Globex Deal', 'Orphan Deal', 'Small Deal']);
  });

  it('treats \\% and \\_ as literal characters', async () => {
    await insert(fx.db, 'Account', [
      { Id: makeId('001', 30), Name: '100% Green' },
      { Id: makeId('001', 31), Name: '1000 Green' },
      { Id: makeId('001', 32), Name: 'snake_case' },
      { Id: makeId('001', 33), Name: 'snakeXcase' },
    ]);
    expect(await names(`SELECT Name FROM Account WHERE Name LIKE '100\\% %'`)).toEqual(['100% Green']);
    expect(await names(`SELECT Name FROM Account WHERE Name LIKE 'snake\\_case'`)).toEqual(['snake_case']);
    expect(await names(`SELECT Name FROM Account WHERE Name LIKE 'snake_case' ORDER BY Name`)).toEqual(['snake_case', 'snakeXcase']);
  });
});

describe('IN and NOT IN', () => {
  it('matches literal lists, including null, and NOT IN keeps null values', async () => {
    expect(await names(`SELECT Name FROM Opportunity WHERE StageName IN ('prospecting', 'Closed Won') ORDER BY Name`)).toEqual(['Big Deal', 'Globex Deal', 'Small Deal']);
    expect(await names(`SELECT Name FROM Opportunity WHERE Amount IN (50, 100) ORDER BY Name`)).toEqual(['Big Deal', 'Small Deal']);
    expect(await names(`SELECT Name FROM Account WHERE Region__c IN ('EMEA', null) ORDER BY Name`)).toEqual(['Acme', 'initech']);
    expect(await names(`SELECT Name FROM Account WHERE Region__c NOT IN ('EMEA') ORDER BY Name`)).toEqual(['Globex', 'initech']);
    expect(await names(`SELECT Name FROM Opportunity WHERE CloseDate IN (2024-01-31, 2024-06-30) ORDER BY Name`)).toEqual(['Globex Deal', 'Small Deal']);
  });

  it('runs semi-joins and anti-joins on ids and lookups', async () => {
    expect(await names(`SELECT Name FROM Opportunity WHERE Id IN (SELECT OpportunityId FROM Quote)`)).toEqual(['Big Deal']);
    expect(await names(`SELECT Name FROM Opportunity WHERE Id NOT IN (SELECT OpportunityId FROM Quote) ORDER BY Name`)).toEqual(['Globex Deal', 'Orphan Deal', 'Small Deal']);
    expect(await names(`SELECT Name FROM Account WHERE Id IN (SELECT AccountId FROM Opportunity WHERE StageName = 'Closed Won')`)).toEqual(['Acme']);
    expect(await names(`SELECT Name FROM Account WHERE Id NOT IN (SELECT AccountId FROM Opportunity)`)).toEqual(['initech']);
    expect(await names(`SELECT Name FROM Opportunity WHERE AccountId IN (SELECT Id FROM Account WHERE Region__c = 'NAMER')`)).toEqual(['Globex Deal']);
  });

  it('ignores soft-deleted rows inside a semi-join', async () => {
    // Deleted Co's only opportunity is deleted too; neither may make it match.
    await insert(fx.db, 'Opportunity', [{ Id: makeId('006', 40), Name: 'Ghost', AccountId: ids.initech, CloseDate: '2024-01-01', StageName: 'Prospecting', IsDeleted: true }]);
    expect(await names(`SELECT Name FROM Account WHERE Id IN (SELECT AccountId FROM Opportunity) ORDER BY Name`)).toEqual(['Acme', 'Globex']);
  });
});

describe('AND, OR, NOT and parentheses', () => {
  it('rebuilds parenthesised groups from the parser chain', async () => {
    // (A OR B) AND C: without the parentheses rebuilt, AND would bind tighter and Globex would match.
    expect(await names(`SELECT Name FROM Account WHERE (Name = 'Acme' OR Name = 'Globex') AND Region__c = 'EMEA'`)).toEqual(['Acme']);
    // A OR (B AND C)
    expect(await names(`SELECT Name FROM Account WHERE Name = 'initech' OR (Name = 'Globex' AND Region__c = 'EMEA')`)).toEqual(['initech']);
    // Nested groups with closing parens stacked on one condition.
    expect(
      await names(`SELECT Name FROM Opportunity WHERE (StageName = 'Prospecting' AND (Amount = 100 OR Amount = null)) OR (StageName = 'Closed Won' AND ((IsWon = false))) ORDER BY Name`),
    ).toEqual(['Big Deal', 'Globex Deal']);
    expect(await names(`SELECT Name FROM Account WHERE Name != 'x' AND (Region__c = 'EMEA' OR Region__c = 'NAMER') AND NumberOfEmployees < 20`)).toEqual(['Globex']);
  });

  it('applies NOT to the next condition or group, and treats NOT of a null comparison as true', async () => {
    expect(await names(`SELECT Name FROM Account WHERE NOT Region__c = 'EMEA' ORDER BY Name`)).toEqual(['Globex', 'initech']);
    expect(await names(`SELECT Name FROM Account WHERE NOT (Name = 'Acme' OR Name = 'Globex')`)).toEqual(['initech']);
    expect(await names(`SELECT Name FROM Account WHERE Name LIKE '%e%' AND NOT Name = 'Acme' ORDER BY Name`)).toEqual(['Globex', 'initech']);
    expect(await names(`SELECT Name FROM Account WHERE (NOT Name = 'Acme') AND Region__c != null`)).toEqual(['Globex']);
  });
});

describe('dates and datetimes', () => {
  it('compares date fields with date literals', async () => {
    expect(await names(`SELECT Name FROM Opportunity WHERE CloseDate = 2024-03-31`)).toEqual(['Big Deal']);
    expect(await names(`SELECT Name FROM Opportunity WHERE CloseDate > 2024-03-31 ORDER BY CloseDate`)).toEqual(['Orphan Deal', 'Small Deal']);
  });

  it('compares datetime fields with datetime literals in UTC and with offsets', async () => {
    expect(await names(`SELECT Name FROM Account WHERE CreatedDate = 2024-01-15T10:30:00Z`)).toEqual(['Acme']);
    expect(await names(`SELECT Name FROM Account WHERE CreatedDate = 2024-01-15T11:30:00+01:00`)).toEqual(['Acme']);
    expect(await names(`SELECT Name FROM Account WHERE CreatedDate = 2024-01-15T10:30:00.000+0000`)).toEqual(['Acme']);
    expect(await names(`SELECT Name FROM Account WHERE CreatedDate < 2024-01-01T00:00:00Z`)).toEqual(['initech']);
  });

  describe('date literals (clock fixed at Wednesday 2024-05-15 12:00 UTC)', () => {
    const days: Record<string, string> = {
      d0501: '2024-05-01',
      d0511: '2024-05-11',
      d0512: '2024-05-12',
      d0514: '2024-05-14',
      d0515: '2024-05-15',
      d0516: '2024-05-16',
      d0518: '2024-05-18',
      d0519: '2024-05-19',
      d0430: '2024-04-30',
      d0401: '2024-04-01',
      d0331: '2024-03-31',
      d0701: '2024-07-01',
      d0215: '2024-02-15',
      d0813: '2024-08-13',
      d0814: '2024-08-14',
      y2023: '2023-06-01',
      y2025: '2025-01-01',
    };
    beforeEach(async () => {
      await fx.db.exec(`TRUNCATE "Opportunity"`);
      await insert(
        fx.db,
        'Opportunity',
        Object.entries(days).map(([name, CloseDate], i) => ({ Id: makeId('006', 100 + i), Name: name, CloseDate, StageName: 'Prospecting' })),
      );
    });
    const matching = async (literal: string, op = '=') => (await names(`SELECT Name FROM Opportunity WHERE CloseDate ${op} ${literal} ORDER BY CloseDate`)).join(' ');

    it.each([
      ['TODAY', 'd0515'],
      ['YESTERDAY', 'd0514'],
      ['TOMORROW', 'd0516'],
      ['THIS_WEEK', 'd0512 d0514 d0515 d0516 d0518'],
      ['LAST_WEEK', 'd0511'],
      ['NEXT_WEEK', 'd0519'],
      ['THIS_MONTH', 'd0501 d0511 d0512 d0514 d0515 d0516 d0518 d0519'],
      ['LAST_MONTH', 'd0401 d0430'],
      ['NEXT_MONTH', ''],
      ['THIS_QUARTER', 'd0401 d0430 d0501 d0511 d0512 d0514 d0515 d0516 d0518 d0519'],
      ['LAST_QUARTER', 'd0215 d0331'],
      ['NEXT_QUARTER', 'd0701 d0813 d0814'],
      ['THIS_YEAR', 'd0215 d0331 d0401 d0430 d0501 d0511 d0512 d0514 d0515 d0516 d0518 d0519 d0701 d0813 d0814'],
      ['LAST_YEAR', 'y2023'],
      ['NEXT_YEAR', 'y2025'],
      ['LAST_N_DAYS:4', 'd0511 d0512 d0514 d0515'],
      ['NEXT_N_DAYS:3', 'd0516 d0518'],
      ['LAST_90_DAYS', 'd0215 d0331 d0401 d0430 d0501 d0511 d0512 d0514 d0515'],
      ['NEXT_90_DAYS', 'd0516 d0518 d0519 d0701 d0813'],
      ['LAST_N_WEEKS:1', 'd0511'],
      ['NEXT_N_WEEKS:1', 'd0519'],
      ['LAST_N_MONTHS:1', 'd0401 d0430'],
      ['NEXT_N_MONTHS:3', 'd0701 d0813 d0814'],
      ['LAST_N_YEARS:1', 'y2023'],
      ['NEXT_N_YEARS:1', 'y2025'],
      ['N_DAYS_AGO:1', 'd0514'],
    ])('%s on a date field covers %s', async (literal, expected) => {
      expect(await matching(literal)).toBe(expected);
    });

    it('reads < as before the range, > as after it, <= and >= as including it', async () => {
      expect(await matching('THIS_WEEK', '<')).toBe('y2023 d0215 d0331 d0401 d0430 d0501 d0511');
      expect(await matching('THIS_WEEK', '>')).toBe('d0519 d0701 d0813 d0814 y2025');
      expect(await matching('THIS_MONTH', '<=')).toBe('y2023 d0215 d0331 d0401 d0430 d0501 d0511 d0512 d0514 d0515 d0516 d0518 d0519');
      expect(await matching('NEXT_MONTH', '>=')).toBe('d0701 d0813 d0814 y2025');
      expect(await matching('THIS_YEAR', '!=')).toBe('y2023 y2025');
    });

    it('treats a date literal on a datetime field as a UTC range', async () => {
      // Globex was created 2024-05-15T08:00Z (today), Acme in January, initech on 2023-12-31T23:59:59Z.
      expect(await names(`SELECT Name FROM Account WHERE CreatedDate = TODAY`)).toEqual(['Globex']);
      expect(await names(`SELECT Name FROM Account WHERE CreatedDate = LAST_YEAR`)).toEqual(['initech']);
      expect(await names(`SELECT Name FROM Account WHERE CreatedDate < THIS_YEAR`)).toEqual(['initech']);
      expect(await names(`SELECT Name FROM Account WHERE CreatedDate > LAST_MONTH ORDER BY Name`)).toEqual(['Globex']);
      expect(await names(`SELECT Name FROM Account WHERE CreatedDate >= THIS_YEAR ORDER BY Name`)).toEqual(['Acme', 'Globex']);
    });

    it('follows the context clock', async () => {
      const result = await executeSoql(fx.ctx({ now: () => new Date('2025-01-01T00:00:00Z') }), `SELECT Name FROM Opportunity WHERE CloseDate = TODAY`);
      expect(result.records.map((r) => r.Name)).toEqual(['y2025']);
    });
  });

  it('filters with date functions', async () => {
    expect(await names(`SELECT Name FROM Opportunity WHERE CALENDAR_MONTH(CloseDate) = 3`)).toEqual(['Big Deal']);
    expect(await names(`SELECT Name FROM Account WHERE CALENDAR_YEAR(CreatedDate) = 2023`)).toEqual(['initech']);
    expect(await names(`SELECT Name FROM Account WHERE DAY_ONLY(CreatedDate) = 2024-05-15`)).toEqual(['Globex']);
  });
});

describe('ids', () => {
  it('accepts 15- and 18-character ids, the 18-character form in any case', async () => {
    const id15 = ids.acme.slice(0, 15);
    expect(await names(`SELECT Name FROM Account WHERE Id = '${id15}'`)).toEqual(['Acme']);
    expect(await names(`SELECT Name FROM Account WHERE Id = '${ids.acme}'`)).toEqual(['Acme']);
    expect(await names(`SELECT Name FROM Account WHERE Id = '${ids.acme.toLowerCase()}'`)).toEqual(['Acme']);
    expect(await names(`SELECT Name FROM Opportunity WHERE AccountId IN ('${ids.globex.slice(0, 15)}', '${ids.initech}')`)).toEqual(['Globex Deal']);
  });

  it('does not confuse 15-character ids that differ only in case', async () => {
    const upper = 'a0X8d000000000A';
    const lower = 'a0X8d000000000a';
    await insert(fx.db, 'Vehicle__c', [
      { Id: makeId('a0X', 36), Name: 'Upper' },
      { Id: makeId('a0X', 10), Name: 'Lower' },
    ]);
    expect(makeId('a0X', 36).slice(0, 15)).toBe(lower);
    expect(makeId('a0X', 10).slice(0, 15)).toBe(upper);
    expect(await names(`SELECT Name FROM Vehicle__c WHERE Id = '${upper}'`)).toEqual(['Lower']);
    expect(await names(`SELECT Name FROM Vehicle__c WHERE Id = '${lower}'`)).toEqual(['Upper']);
  });
});

describe('multi-select picklists', () => {
  it('INCLUDES matches any listed value, a;b meaning both, and EXCLUDES the rest', async () => {
    expect(await names(`SELECT Name FROM Vehicle__c WHERE Features__c INCLUDES ('sunroof') ORDER BY Name`)).toEqual(['Van']);
    expect(await names(`SELECT Name FROM Vehicle__c WHERE Features__c INCLUDES ('Sunroof;Heated Seats', 'Tow Hitch') ORDER BY Name`)).toEqual(['Truck', 'Van']);
    expect(await names(`SELECT Name FROM Vehicle__c WHERE Features__c INCLUDES ('Sunroof;Tow Hitch')`)).toEqual([]);
    expect(await names(`SELECT Name FROM Vehicle__c WHERE Features__c EXCLUDES ('Sunroof')`)).toEqual(['Truck']);
  });
});
