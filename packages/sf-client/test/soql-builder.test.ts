import { describe, expect, it } from 'vitest';
import {
  SalesforceClientError,
  and,
  cond,
  dateLiteral,
  escapeLikePattern,
  isValidWhereClause,
  not,
  or,
  quoteSoqlString,
  soql,
  validateWhereClause,
  type ValidWhereClause,
} from '../src/index.js';

describe('SOQL builder', () => {
  it('prints identifiers in their exact API case and selects Id by default', () => {
    expect(soql('opportunity').toSoql()).toBe('SELECT Id FROM Opportunity');
    // Names are resolved without case, as Salesforce does; `soql<string>` opts out of the compile-time field check.
    expect(soql<string>('Opportunity').select('name', 'account.region__c', 'Account.Owner.Name').toSoql()).toBe(
      'SELECT Name, Account.Region__c, Account.Owner.Name FROM Opportunity',
    );
  });

  it('escapes every string value and types values by their field', () => {
    const q = soql('Opportunity')
      .select('Id')
      .where('Name', '=', "O'Brien \\ \"quoted\"\nnext")
      .where('Amount', '>=', 1e21)
      .where('IsPrivate', '=', false)
      .where('CloseDate', '<', new Date(Date.UTC(2030, 0, 31, 23, 0)))
      .where('CreatedDate', '>', new Date(Date.UTC(2024, 5, 1, 8, 30, 15, 123)))
      .where('LastModifiedDate', '=', dateLiteral('LAST_N_DAYS', 30))
      .where('StageName', 'IN', ['Prospecting', "Id' OR Name != '"])
      .where('AccountId', '=', null);
    expect(q.toSoql()).toBe(
      "SELECT Id FROM Opportunity WHERE Name = 'O\\'Brien \\\\ \\\"quoted\\\"\\nnext' AND Amount >= 1000000000000000000000 AND IsPrivate = FALSE" +
        " AND CloseDate < 2030-01-31 AND CreatedDate > 2024-06-01T08:30:15Z AND LastModifiedDate = LAST_N_DAYS:30" +
        " AND StageName IN ('Prospecting', 'Id\\' OR Name != \\'') AND AccountId = NULL",
    );
  });

  it('groups OR and NOT conditions and escapes LIKE wildcards on request', () => {
    const q = soql('Opportunity')
      .where(or(cond('Amount', '>', 1000), and(cond('Amount', '=', null), cond('StageName', '=', 'Closed Won'))))
      .where(not(cond('Name', 'LIKE', `${escapeLikePattern('50%_off')}%`)))
      .orderBy('CloseDate', 'DESC', 'LAST')
      .limit(10)
      .offset(20);
    expect(q.toSoql()).toBe(
      "SELECT Id FROM Opportunity WHERE (Amount > 1000 OR (Amount = NULL AND StageName = 'Closed Won')) AND (NOT Name LIKE '50\\\\%\\\\_off%')" +
        ' ORDER BY CloseDate DESC NULLS LAST LIMIT 10 OFFSET 20',
    );
  });

  it('builds child subqueries and takes validated user clauses', () => {
    const clause = validateWhereClause('Opportunity', "account.region__c = 'EMEA'");
    if (!clause.ok) throw new Error(clause.reason);
    const q = soql('Opportunity')
      .select('Id', 'Name', 'AccountId', 'CloseDate')
      .subquery('opportunitylineitems', ['Id', 'Quantity', 'UnitPrice', 'PricebookEntryId'], (s) => s.where('Quantity', '>', 0))
      .whereClause(clause);
    expect(q.toSoql()).toBe(
      'SELECT Id, Name, AccountId, CloseDate, (SELECT Id, Quantity, UnitPrice, PricebookEntryId FROM OpportunityLineItems WHERE Quantity > 0)' +
        " FROM Opportunity WHERE (Account.Region__c = 'EMEA')",
    );
    expect(() => soql('Quote').whereClause(clause).toSoql()).toThrow('a WHERE clause validated for Opportunity cannot filter Quote');
  });

  it('takes only clauses validateWhereClause made: not a look-alike, not one read back from JSON', () => {
    const clause = validateWhereClause('Opportunity', "Name = 'x'");
    if (!clause.ok) throw new Error(clause.reason);
    expect(isValidWhereClause(clause)).toBe(true);
    const forged = { ok: true, object: 'Opportunity', normalized: "Name = 'x' OR Id != null" } as unknown as ValidWhereClause;
    const revived = JSON.parse(JSON.stringify(clause)) as ValidWhereClause;
    for (const lookAlike of [forged, revived]) {
      expect(isValidWhereClause(lookAlike)).toBe(false);
      expect(() => soql('Opportunity').whereClause(lookAlike)).toThrow('a WHERE clause must come from validateWhereClause');
      expect(() => soql('Opportunity').where({ kind: 'clause', clause: lookAlike }).toSoql()).toThrow('must come from validateWhereClause');
    }
    // The brand is a compile-time wall too: a plain string or object does not type-check.
    // @ts-expect-error a string is not a ValidWhereClause
    expect(() => soql('Opportunity').whereClause("Name = 'x'")).toThrow(SalesforceClientError);
  });

  it.each([
    [() => soql<string>('Opportunity').select('Nope').toSoql(), 'Opportunity has no field Nope'],
    [() => soql('Opportunity').select('Owner.Nope__r.Name').toSoql(), 'has no parent relationship Nope__r'],
    [() => soql('Nope__c'), 'unknown object Nope__c'],
    [() => soql('Opportunity').where('Amount', '=', '5; DELETE').toSoql(), 'Amount (currency) needs a finite number'],
    [() => soql('Opportunity').where('Amount', '=', Number.NaN).toSoql(), 'needs a finite number'],
    [() => soql('Opportunity').where('IsPrivate', '=', 'true').toSoql(), 'IsPrivate (boolean) needs a boolean'],
    [() => soql('Opportunity').where('CloseDate', '=', '2024-01-01 OR Id != null').toSoql(), 'CloseDate (date) needs a Date or YYYY-MM-DD'],
    [() => soql('Opportunity').where('StageName', 'IN', []).toSoql(), 'IN needs a non-empty array'],
    [() => soql('Opportunity').where('StageName', '=', ['a']).toSoql(), 'use IN for a list'],
    [() => soql('Opportunity').where('Amount', 'LIKE', '1%').toSoql(), 'LIKE needs a text field'],
    [() => soql('Opportunity').where('StageName', 'INCLUDES', ['a']).toSoql(), 'INCLUDES applies only to multi-select picklists'],
    [() => soql('Opportunity').where('Amount', '>', null).toSoql(), '> NULL is not valid SOQL'],
    [() => soql('Opportunity').where('Name', 'OR 1=1' as never, 'x').toSoql(), 'unknown operator OR 1=1'],
    [() => soql('Opportunity').limit(-1), 'LIMIT must be a non-negative integer'],
    [() => soql('Opportunity').offset(2001), 'OFFSET must be an integer within 0..2000'],
    [() => soql('Opportunity').subquery('Quotes__r', ['Id']), 'Opportunity has no child relationship Quotes__r'],
    [() => dateLiteral('SOON'), 'SOON is not a SOQL date literal'],
  ])('refuses what it cannot prove safe (%#)', (build, message) => {
    let error: unknown;
    try {
      build();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SalesforceClientError);
    expect(error).toMatchObject({ errorCode: 'INVALID_SOQL', message: expect.stringContaining(message) });
  });

  it('quotes the SOQL escape sequences', () => {
    expect(quoteSoqlString('a\'b\\c"d\ne\rf\tg\bh\fi')).toBe("'a\\'b\\\\c\\\"d\\ne\\rf\\tg\\bh\\fi'");
  });
});
