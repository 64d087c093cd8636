import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { makeId } from '../src/ids.js';
import { executeSoql, type SoqlOptions } from '../src/soql/index.js';
import { ids, insert, openSoqlDb, seedScenario, url, type SoqlDb } from './utils/soql-fixture.js';

let fx: SoqlDb;
beforeAll(async () => {
  fx = await openSoqlDb();
});
afterAll(() => fx.close());
beforeEach(async () => {
  await fx.clear();
  await seedScenario(fx.db);
});

const q = (soql: string, options?: SoqlOptions) => executeSoql(fx.ctx(), soql, options);
const column = async (soql: string, key = 'Name', options?: SoqlOptions) => (await q(soql, options)).records.map((r) => r[key]);

describe('field lists', () => {
  it('returns the selected fields with attributes, type and url, keyed by the schema API names', async () => {
    const result = await q(`select id, NAME, annualrevenue, numberofemployees, createddate, region__c FROM account WHERE Name = 'Acme'`);
    expect(result).toEqual({
      totalSize: 1,
      records: [
        {
          attributes: { type: 'Account', url: url('Account', ids.acme) },
          Id: ids.acme,
          Name: 'Acme',
          AnnualRevenue: 1000000,
          NumberOfEmployees: 50,
          CreatedDate: '2024-01-15T10:30:00.000+0000',
          Region__c: 'EMEA',
        },
      ],
    });
  });

  it('includes the url even when Id is not selected, and keeps the SELECT order of keys', async () => {
    const [record] = (await q(`SELECT Region__c, Name FROM Account WHERE Name = 'Globex'`)).records;
    expect(Object.keys(record ?? {})).toEqual(['attributes', 'Region__c', 'Name']);
    expect(record?.attributes).toEqual({ type: 'Account', url: url('Account', ids.globex) });
  });

  it('returns dates, booleans, numbers and nulls as stored', async () => {
    const [record] = (await q(`SELECT CloseDate, IsWon, Amount, Description FROM Opportunity WHERE Name = 'Small Deal'`)).records;
    expect(record).toMatchObject({ CloseDate: '2024-06-30', IsWon: true, Amount: 50, Description: null });
  });

  it('answers an empty result with totalSize 0 and no records', async () => {
    expect(await q(`SELECT Id FROM Account WHERE Name = 'Nobody'`)).toEqual({ totalSize: 0, records: [] });
  });

  it('accepts the FROM alias and the object name as field prefixes', async () => {
    expect(await column(`SELECT a.Name FROM Account a WHERE a.Name = 'Acme'`)).toEqual(['Acme']);
    expect(await column(`SELECT Account.Name FROM Account WHERE Account.Name = 'Acme'`)).toEqual(['Acme']);
  });

  it('expands FIELDS(STANDARD) to the standard fields and FIELDS(ALL) to every field', async () => {
    const [standard] = (await q(`SELECT FIELDS(STANDARD) FROM Vehicle__c WHERE Name = 'Van'`)).records;
    expect(Object.keys(standard ?? {})).toEqual(['attributes', 'Id', 'IsDeleted', 'Name']);
    const [all] = (await q(`SELECT FIELDS(ALL) FROM Vehicle__c WHERE Name = 'Van' LIMIT 10`)).records;
    expect(all).toEqual({
      attributes: { type: 'Vehicle__c', url: url('Vehicle__c', ids.van) },
      Id: ids.van,
      IsDeleted: false,
      Name: 'Van',
      Account__c: ids.acme,
      Features__c: 'Heated Seats;Sunroof',
      Battery_Capacity__c: 75.5,
      Notes__c: null,
    });
  });

  it('returns the value for toLabel(), FORMAT() and convertCurrency()', async () => {
    const [record] = (await q(`SELECT toLabel(StageName), convertCurrency(Amount) FROM Opportunity WHERE Name = 'Big Deal'`)).records;
    expect(record).toMatchObject({ StageName: 'Prospecting', Amount: 100 });
  });
});

describe('parent relationships', () => {
  it('nests parent fields under the relationship name with their own attributes', async () => {
    const [record] = (await q(`SELECT Name, Account.Name, Account.Region__c FROM Opportunity WHERE Name = 'Big Deal'`)).records;
    expect(record).toEqual({
      attributes: { type: 'Opportunity', url: url('Opportunity', ids.bigDeal) },
      Name: 'Big Deal',
      Account: { attributes: { type: 'Account', url: url('Account', ids.acme) }, Name: 'Acme', Region__c: 'EMEA' },
    });
  });

  it('gives null for an empty lookup', async () => {
    const [record] = (await q(`SELECT Name, Account.Name FROM Opportunity WHERE Name = 'Orphan Deal'`)).records;
    expect(record).toEqual({ attributes: { type: 'Opportunity', url: url('Opportunity', ids.orphanDeal) }, Name: 'Orphan Deal', Account: null });
  });

  it('follows several levels (Opportunity.Account.Owner, Account.Parent.Owner) in any case', async () => {
    const [line] = (await q(`SELECT opportunity.account.owner.name FROM OpportunityLineItem WHERE Id = '${ids.line3}'`)).records;
    expect(line).toEqual({
      attributes: { type: 'OpportunityLineItem', url: url('OpportunityLineItem', ids.line3) },
      Opportunity: {
        attributes: { type: 'Opportunity', url: url('Opportunity', ids.smallDeal) },
        Account: {
          attributes: { type: 'Account', url: url('Account', ids.acme) },
          Owner: { attributes: { type: 'User', url: url('User', ids.user) }, Name: 'Ada Lovelace' },
        },
      },
    });
    const records = (await q(`SELECT Name, Parent.Name, Parent.Owner.Alias FROM Account ORDER BY Name`)).records;
    expect(records.map((r) => [r.Name, r.Parent])).toEqual([
      ['Acme', null],
      [
        'Globex',
        {
          attributes: { type: 'Account', url: url('Account', ids.acme) },
          Name: 'Acme',
          Owner: { attributes: { type: 'User', url: url('User', ids.user) }, Alias: 'ada' },
        },
      ],
      ['initech', null],
    ]);
  });

  it('follows custom relationships (__r)', async () => {
    const records = (await q(`SELECT Name, Account__r.Name FROM Vehicle__c ORDER BY Name`)).records;
    expect(records.map((r) => (r.Account__r as { Name: string }).Name)).toEqual(['Acme', 'Acme']);
  });

  it('resolves a polymorphic lookup by the id key prefix, reporting the Name pseudo-type', async () => {
    const records = (await q(`SELECT Subject, What.Name, What.Type FROM Task ORDER BY Subject`)).records;
    expect(records.map((r) => ({ Subject: r.Subject, What: r.What }))).toEqual([
      { Subject: 'Call', What: { attributes: { type: 'Name', url: url('Account', ids.acme) }, Name: 'Acme', Type: 'Account' } },
      { Subject: 'Email', What: { attributes: { type: 'Name', url: url('Opportunity', ids.bigDeal) }, Name: 'Big Deal', Type: 'Opportunity' } },
      { Subject: 'Think', What: null },
    ]);
    expect(await column(`SELECT Subject FROM Task WHERE What.Type = 'opportunity'`, 'Subject')).toEqual(['Email']);
  });

  it('treats a soft-deleted parent as no parent', async () => {
    await insert(fx.db, 'Contact', [{ Id: makeId('003', 9), LastName: 'Ghost', Name: 'Ghost', AccountId: ids.deletedAccount }]);
    const [record] = (await q(`SELECT LastName, Account.Name FROM Contact WHERE LastName = 'Ghost'`)).records;
    expect(record?.Account).toBeNull();
  });
});

describe('child subqueries', () => {
  it('returns child records per parent and null for a parent without children', async () => {
    const records = (await q(`SELECT Name, (SELECT Id, Quantity, UnitPrice FROM OpportunityLineItems) FROM Opportunity WHERE AccountId = '${ids.acme}' ORDER BY Name`)).records;
    expect(records).toEqual([
      {
        attributes: { type: 'Opportunity', url: url('Opportunity', ids.bigDeal) },
        Name: 'Big Deal',
        OpportunityLineItems: {
          totalSize: 2,
          done: true,
          records: [
            { attributes: { type: 'OpportunityLineItem', url: url('OpportunityLineItem', ids.line1) }, Id: ids.line1, Quantity: 2, UnitPrice: 10 },
            { attributes: { type: 'OpportunityLineItem', url: url('OpportunityLineItem', ids.line2) }, Id: ids.line2, Quantity: 1, UnitPrice: 20 },
          ],
        },
      },
      {
        attributes: { type: 'Opportunity', url: url('Opportunity', ids.smallDeal) },
        Name: 'Small Deal',
        OpportunityLineItems: {
          totalSize: 1,
          done: true,
          records: [{ attributes: { type: 'OpportunityLineItem', url: url('OpportunityLineItem', ids.line3) }, Id: ids.line3, Quantity: 5, UnitPrice: 30 }],
        },
      },
    ]);
    const [orphan] = (await q(`SELECT Name, (SELECT Id FROM OpportunityLineItems) FROM Opportunity WHERE Name = 'Orphan Deal'`)).records;
    expect(orphan?.OpportunityLineItems).toBeNull();
  });

  it('applies the subquery WHERE, ORDER BY and a LIMIT per parent, and spells the key as the schema does', async () => {
    const records = (
      await q(`SELECT Name, (SELECT Quantity, Product2.Name FROM opportunitylineitems WHERE UnitPrice < 25 ORDER BY Quantity DESC LIMIT 1) FROM Opportunity WHERE Name LIKE '% Deal' AND Account.Name = 'Acme' ORDER BY Name`)
    ).records;
    expect(records.map((r) => r.OpportunityLineItems)).toEqual([
      {
        totalSize: 1,
        done: true,
        records: [
          {
            attributes: { type: 'OpportunityLineItem', url: url('OpportunityLineItem', ids.line1) },
            Quantity: 2,
            Product2: { attributes: { type: 'Product2', url: url('Product2', ids.car) }, Name: 'Car' },
          },
        ],
      },
      null,
    ]);
  });

  it('applies a subquery OFFSET per parent', async () => {
    const [record] = (await q(`SELECT (SELECT Quantity FROM OpportunityLineItems ORDER BY Quantity OFFSET 1) FROM Opportunity WHERE Name = 'Big Deal'`)).records;
    expect((record?.OpportunityLineItems as { records: { Quantity: number }[] }).records.map((r) => r.Quantity)).toEqual([2]);
  });

  it('supports several subqueries and custom child relationships (__r) on one parent', async () => {
    const [acme] = (await q(`SELECT Name, (SELECT LastName FROM Contacts ORDER BY LastName), (SELECT Name FROM Vehicles__r ORDER BY Name), (SELECT Subject FROM Tasks) FROM Account WHERE Name = 'Acme'`)).records;
    expect((acme?.Contacts as { records: { LastName: string }[] }).records.map((r) => r.LastName)).toEqual(['Doe', 'Roe']);
    expect((acme?.Vehicles__r as { records: { Name: string }[] }).records.map((r) => r.Name)).toEqual(['Truck', 'Van']);
    expect((acme?.Tasks as { totalSize: number }).totalSize).toBe(1);
  });

  it('leaves out soft-deleted children unless deleted rows are included', async () => {
    const soql = `SELECT (SELECT Id FROM OpportunityLineItems) FROM Opportunity WHERE Name = 'Big Deal'`;
    expect(((await q(soql)).records[0]?.OpportunityLineItems as { totalSize: number }).totalSize).toBe(2);
    expect(((await q(soql, { includeDeleted: true })).records[0]?.OpportunityLineItems as { totalSize: number }).totalSize).toBe(3);
  });
});

describe('soft delete', () => {
  it('hides deleted rows from /query and shows them with includeDeleted (/queryAll)', async () => {
    expect(await column(`SELECT Name FROM Account ORDER BY Name`)).toEqual(['Acme', 'Globex', 'initech']);
    expect(await column(`SELECT Name, IsDeleted FROM Account WHERE IsDeleted = true`, 'Name', { includeDeleted: true })).toEqual(['Deleted Co']);
    expect(await column(`SELECT Name FROM Account ORDER BY Name`, 'Name', { includeDeleted: true })).toEqual(['Acme', 'Deleted Co', 'Globex', 'initech']);
  });
});

describe('ORDER BY, LIMIT and OFFSET', () => {
  it('sorts text case-insensitively, ascending with nulls first by default', async () => {
    expect(await column(`SELECT Name FROM Account ORDER BY Name`)).toEqual(['Acme', 'Globex', 'initech']);
    expect(await column(`SELECT Name FROM Account ORDER BY Region__c`)).toEqual(['initech', 'Acme', 'Globex']);
  });

  it('puts nulls last when descending, and honours explicit NULLS FIRST/LAST', async () => {
    expect(await column(`SELECT Name FROM Opportunity ORDER BY Amount DESC`)).toEqual(['Big Deal', 'Orphan Deal', 'Small Deal', 'Globex Deal']);
    expect(await column(`SELECT Name FROM Opportunity ORDER BY Amount DESC NULLS FIRST`)).toEqual(['Globex Deal', 'Big Deal', 'Orphan Deal', 'Small Deal']);
    expect(await column(`SELECT Name FROM Opportunity ORDER BY Amount ASC NULLS LAST`)).toEqual(['Small Deal', 'Orphan Deal', 'Big Deal', 'Globex Deal']);
  });

  it('sorts by several keys and by parent paths', async () => {
    expect(await column(`SELECT Name FROM Opportunity ORDER BY StageName DESC, Name DESC`)).toEqual(['Orphan Deal', 'Globex Deal', 'Big Deal', 'Small Deal']);
    expect(await column(`SELECT Name FROM Opportunity ORDER BY Account.Name DESC NULLS LAST, CloseDate`)).toEqual(['Globex Deal', 'Big Deal', 'Small Deal', 'Orphan Deal']);
  });

  it('applies LIMIT and OFFSET after sorting', async () => {
    expect(await column(`SELECT Name FROM Opportunity ORDER BY Name LIMIT 2`)).toEqual(['Big Deal', 'Globex Deal']);
    expect(await column(`SELECT Name FROM Opportunity ORDER BY Name LIMIT 2 OFFSET 1`)).toEqual(['Globex Deal', 'Orphan Deal']);
    expect(await column(`SELECT Name FROM Opportunity ORDER BY Name OFFSET 3`)).toEqual(['Small Deal']);
  });

  it('returns rows in id order when there is no ORDER BY', async () => {
    expect(await column(`SELECT Id FROM Opportunity`, 'Id')).toEqual([ids.bigDeal, ids.smallDeal, ids.globexDeal, ids.orphanDeal]);
  });

  it('accepts WITH SECURITY_ENFORCED, WITH USER_MODE, USING SCOPE and FOR VIEW/REFERENCE/UPDATE without effect', async () => {
    for (const suffix of ['WITH SECURITY_ENFORCED', 'WITH USER_MODE', 'FOR VIEW', 'FOR REFERENCE', 'FOR UPDATE']) {
      expect(await column(`SELECT Name FROM Account WHERE Name = 'Acme' ${suffix}`)).toEqual(['Acme']);
    }
    expect(await column(`SELECT Name FROM Account USING SCOPE Everything WHERE Name = 'Acme'`)).toEqual(['Acme']);
  });
});
