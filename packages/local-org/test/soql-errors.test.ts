import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SalesforceError } from '../src/errors.js';
import { executeSoql } from '../src/soql/index.js';
import { openSoqlDb, seedScenario, type SoqlDb } from './utils/soql-fixture.js';

let fx: SoqlDb;
beforeAll(async () => {
  fx = await openSoqlDb();
  await seedScenario(fx.db);
});
afterAll(() => fx.close());

/** The SalesforceError `soql` fails with. */
async function failure(soql: string): Promise<{ errorCode: string; status: number; message: string }> {
  try {
    await executeSoql(fx.ctx(), soql);
  } catch (err) {
    if (!(err instanceof SalesforceError)) throw err;
    return { errorCode: err.errorCode, status: err.status, message: err.message };
  }
  throw new Error(`expected ${soql} to fail`);
}

const CUSTOM_FIELD_HINT =
  "If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.";

describe('syntax errors (MALFORMED_QUERY)', () => {
  it('points at a misspelt keyword like Salesforce', async () => {
    expect(await failure('SELECT Id FORM Account')).toEqual({
      errorCode: 'MALFORMED_QUERY',
      status: 400,
      message: "\nSELECT Id FORM Account\n          ^\nERROR at Row:1:Column:11\nunexpected token: 'FORM'",
    });
  });

  it('reports an unexpected end of the query as <EOF>', async () => {
    expect(await failure('SELECT Id FROM Account WHERE')).toEqual({
      errorCode: 'MALFORMED_QUERY',
      status: 400,
      message: "\nSELECT Id FROM Account WHERE\n                            ^\nERROR at Row:1:Column:29\nunexpected token: '<EOF>'",
    });
  });

  it('reports the token and its row and column in a multi-line query', async () => {
    expect(await failure('SELECT Id\nFROM Account\nLIMIT x')).toEqual({
      errorCode: 'MALFORMED_QUERY',
      status: 400,
      message: "\nLIMIT x\n      ^\nERROR at Row:3:Column:7\nunexpected token: 'x'",
    });
  });

  it('refuses Apex bind variables', async () => {
    expect(await failure("SELECT Id FROM Account WHERE Name = :name")).toEqual({
      errorCode: 'MALFORMED_QUERY',
      status: 400,
      message: '\nSELECT Id FROM Account WHERE Name = :name\n                                    ^\nERROR at Row:1:Column:37\nBind variables only allowed in Apex code',
    });
  });

  it('reports a stray character', async () => {
    const e = await failure("SELECT Id FROM Account WHERE Name = 'O'Brien'");
    expect(e.errorCode).toBe('MALFORMED_QUERY');
    expect(e.message).toMatch(/unexpected token: '''$/);
  });

  it('refuses an empty query', async () => {
    expect(await failure('   ')).toMatchObject({ errorCode: 'MALFORMED_QUERY', status: 400, message: "unexpected token: '<EOF>'" });
  });

  it('refuses AND and OR mixed at one level without parentheses, pointing at the operator', async () => {
    expect(await failure("SELECT Id FROM Account WHERE Name = 'a' AND Name = 'b' OR Name = 'c'")).toEqual({
      errorCode: 'MALFORMED_QUERY',
      status: 400,
      message: "\nSELECT Id FROM Account WHERE Name = 'a' AND Name = 'b' OR Name = 'c'\n                                                       ^\nERROR at Row:1:Column:56\nunexpected token: 'OR'",
    });
    expect((await failure("SELECT Id FROM Account WHERE (Name = 'a' OR Name = 'b') AND Name = 'c' OR Name = 'd'")).message).toMatch(/unexpected token: 'OR'$/);
  });

  it('refuses an invalid escape sequence in a string literal', async () => {
    const e = await failure("SELECT Id FROM Account WHERE Name = 'a\\qb'");
    expect(e).toMatchObject({ errorCode: 'MALFORMED_QUERY', status: 400 });
    expect(e.message).toMatch(/Invalid string literal 'a\\qb'\. Illegal character sequence '\\q' in string literal\.$/);
  });
});

describe('unknown names', () => {
  it('answers INVALID_TYPE for an unknown object', async () => {
    expect(await failure('SELECT Id FROM Foo__c')).toEqual({
      errorCode: 'INVALID_TYPE',
      status: 400,
      message:
        "sObject type 'Foo__c' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.",
    });
  });

  it('answers INVALID_FIELD with the caret for an unknown field', async () => {
    expect(await failure('SELECT Id, Bogus__c FROM Account')).toEqual({
      errorCode: 'INVALID_FIELD',
      status: 400,
      message: `\nSELECT Id, Bogus__c FROM Account\n           ^\nERROR at Row:1:Column:12\nNo such column 'Bogus__c' on entity 'Account'. ${CUSTOM_FIELD_HINT}`,
    });
  });

  it('names the parent entity for an unknown field on a parent path, and checks WHERE, ORDER BY and subqueries', async () => {
    expect((await failure('SELECT Account.Bogus FROM Contact')).message).toBe(
      `\nSELECT Account.Bogus FROM Contact\n       ^\nERROR at Row:1:Column:8\nNo such column 'Bogus' on entity 'Account'. ${CUSTOM_FIELD_HINT}`,
    );
    expect(await failure("SELECT Id FROM Account WHERE Nmae = 'x'")).toMatchObject({ errorCode: 'INVALID_FIELD', message: expect.stringContaining("No such column 'Nmae' on entity 'Account'") });
    expect(await failure('SELECT Id FROM Account ORDER BY Nmae')).toMatchObject({ errorCode: 'INVALID_FIELD', message: expect.stringContaining("No such column 'Nmae'") });
    expect(await failure('SELECT Id, (SELECT Bogus FROM Contacts) FROM Account')).toMatchObject({
      errorCode: 'INVALID_FIELD',
      message: expect.stringContaining("No such column 'Bogus' on entity 'Contact'"),
    });
  });

  it('reports an unknown field of a polymorphic parent on the Name entity, and refuses hops beyond it', async () => {
    expect((await failure('SELECT What.Bogus FROM Task')).message).toMatch(/No such column 'Bogus' on entity 'Name'\./);
    expect(await failure('SELECT What.Owner.Name FROM Task')).toMatchObject({
      errorCode: 'INVALID_FIELD',
      message: expect.stringContaining("Didn't understand relationship 'Owner' in field path."),
    });
  });

  it('answers INVALID_FIELD for an unknown parent relationship', async () => {
    expect(await failure('SELECT Foo.Name FROM Contact')).toEqual({
      errorCode: 'INVALID_FIELD',
      status: 400,
      message:
        "\nSELECT Foo.Name FROM Contact\n       ^\nERROR at Row:1:Column:8\nDidn't understand relationship 'Foo' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.",
    });
  });

  it('answers INVALID_TYPE for an unknown child relationship', async () => {
    expect(await failure('SELECT Id, (SELECT Id FROM Foos) FROM Account')).toEqual({
      errorCode: 'INVALID_TYPE',
      status: 400,
      message:
        "\nSELECT Id, (SELECT Id FROM Foos) FROM Account\n                           ^\nERROR at Row:1:Column:28\nDidn't understand relationship 'Foos' in FROM part of query call. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.",
    });
  });

  it('allows five parent levels and refuses a sixth', async () => {
    const five = await executeSoql(fx.ctx(), 'SELECT Account.Parent.Parent.Parent.Parent.Name FROM Contact LIMIT 1');
    expect(five.totalSize).toBe(1);
    expect(await failure('SELECT Account.Parent.Parent.Parent.Parent.Parent.Name FROM Contact')).toMatchObject({
      errorCode: 'MALFORMED_QUERY',
      message: expect.stringContaining('cannot query more than 5 levels of relationships'),
    });
  });
});

describe('filter values of the wrong type (INVALID_QUERY_FILTER_OPERATOR)', () => {
  it('refuses a quoted value for a date field', async () => {
    expect(await failure("SELECT Id FROM Opportunity WHERE CloseDate = '2024-01-31'")).toEqual({
      errorCode: 'INVALID_QUERY_FILTER_OPERATOR',
      status: 400,
      message:
        "\nSELECT Id FROM Opportunity WHERE CloseDate = '2024-01-31'\n                                 ^\nERROR at Row:1:Column:34\nvalue of filter criterion for field 'CloseDate' must be of type date and should not be enclosed in quotes",
    });
  });

  it.each([
    ["SELECT Id FROM Opportunity WHERE Amount = '5'", "value of filter criterion for field 'Amount' must be of type double and should not be enclosed in quotes"],
    ["SELECT Id FROM Account WHERE NumberOfEmployees = 'ten'", "value of filter criterion for field 'NumberOfEmployees' must be of type integer and should not be enclosed in quotes"],
    ["SELECT Id FROM Opportunity WHERE IsWon = 'true'", "value of filter criterion for field 'IsWon' must be of type boolean and should not be enclosed in quotes"],
    ['SELECT Id FROM Account WHERE Name = 5', "value of filter criterion for field 'Name' must be of type string and should be enclosed in quotes"],
    ['SELECT Id FROM Account WHERE CreatedDate > 2024-01-01', "value of filter criterion for field 'CreatedDate' must be of type dateTime and should not be enclosed in quotes"],
    ['SELECT Id FROM Opportunity WHERE CloseDate > 2024-01-01T00:00:00Z', "value of filter criterion for field 'CloseDate' must be of type date and should not be enclosed in quotes"],
    ["SELECT Id FROM Opportunity WHERE CloseDate IN ('2024-01-01')", "value of filter criterion for field 'CloseDate' must be of type date and should not be enclosed in quotes"],
  ])('%s', async (soql, message) => {
    const e = await failure(soql);
    expect(e).toMatchObject({ errorCode: 'INVALID_QUERY_FILTER_OPERATOR', status: 400 });
    expect(e.message.endsWith(`\n${message}`)).toBe(true);
  });

  it('refuses a malformed id literal compared with an id or lookup field', async () => {
    expect(await failure("SELECT Id FROM Account WHERE Id = 'xyz'")).toEqual({
      errorCode: 'INVALID_QUERY_FILTER_OPERATOR',
      status: 400,
      message: "\nSELECT Id FROM Account WHERE Id = 'xyz'\n                                  ^\nERROR at Row:1:Column:35\ninvalid ID field: xyz",
    });
    expect((await failure("SELECT Id FROM Opportunity WHERE AccountId IN ('001000000000000AAA', '001abc')")).message).toMatch(/invalid ID field: 001abc$/);
  });

  it('refuses LIKE on a number and INCLUDES on a plain picklist', async () => {
    expect(await failure('SELECT Id FROM Opportunity WHERE Amount LIKE 5')).toMatchObject({ errorCode: 'INVALID_QUERY_FILTER_OPERATOR' });
    expect(await failure("SELECT Id FROM Account WHERE Industry INCLUDES ('Energy')")).toMatchObject({
      errorCode: 'INVALID_QUERY_FILTER_OPERATOR',
      message: expect.stringContaining('includes or excludes operator only valid on multipicklist field'),
    });
  });
});

describe('describe flags', () => {
  it('refuses filtering on a long text area and sorting on a multi-select picklist', async () => {
    expect(await failure("SELECT Id FROM Account WHERE Description = 'x'")).toMatchObject({
      errorCode: 'INVALID_FIELD',
      message: expect.stringMatching(/field 'Description' can not be filtered in a query call$/),
    });
    expect(await failure('SELECT Id FROM Vehicle__c ORDER BY Features__c')).toMatchObject({
      errorCode: 'INVALID_FIELD',
      message: expect.stringMatching(/field 'Features__c' can not be sorted in a query call$/),
    });
  });
});

describe('clauses', () => {
  it('refuses an OFFSET above 2000 with NUMBER_OUTSIDE_VALID_RANGE', async () => {
    expect(await failure('SELECT Id FROM Account OFFSET 2001')).toEqual({
      errorCode: 'NUMBER_OUTSIDE_VALID_RANGE',
      status: 400,
      message: 'Maximum SOQL offset allowed is 2000',
    });
    expect((await executeSoql(fx.ctx(), 'SELECT Id FROM Account OFFSET 2000')).totalSize).toBe(0);
  });

  it('refuses TYPEOF and unbounded FIELDS(ALL) clearly', async () => {
    expect(await failure('SELECT TYPEOF What WHEN Account THEN Name END FROM Task')).toMatchObject({
      errorCode: 'MALFORMED_QUERY',
      message: expect.stringContaining('TYPEOF is not supported by the local org'),
    });
    expect(await failure('SELECT FIELDS(ALL) FROM Account')).toMatchObject({
      errorCode: 'MALFORMED_QUERY',
      message: expect.stringMatching(/The SOQL FIELDS function must have a LIMIT of at most 200$/),
    });
    expect(await failure('SELECT FIELDS(CUSTOM) FROM Account LIMIT 201')).toMatchObject({ errorCode: 'MALFORMED_QUERY' });
  });

  it('refuses aliases outside aggregate queries and ungrouped fields inside them', async () => {
    expect(await failure('SELECT Name n FROM Account')).toMatchObject({
      errorCode: 'MALFORMED_QUERY',
      message: expect.stringMatching(/Only aggregate expressions use field aliasing$/),
    });
    expect(await failure('SELECT Name, COUNT(Id) FROM Account')).toMatchObject({
      errorCode: 'MALFORMED_QUERY',
      message: expect.stringMatching(/Field must be grouped or aggregated: Name$/),
    });
    expect(await failure('SELECT Industry, COUNT(Id) FROM Account GROUP BY Industry ORDER BY Name')).toMatchObject({
      errorCode: 'MALFORMED_QUERY',
      message: expect.stringMatching(/Ordered field must be grouped or aggregated: Name$/),
    });
  });

  it('refuses SUM of a text field, COUNT() with other fields, ROLLUP and nested subqueries', async () => {
    expect(await failure('SELECT SUM(Name) FROM Account')).toMatchObject({
      errorCode: 'INVALID_FIELD',
      message: expect.stringMatching(/field Name does not support aggregate operator SUM$/),
    });
    expect(await failure('SELECT COUNT(), Name FROM Account')).toMatchObject({ errorCode: 'MALFORMED_QUERY' });
    expect(await failure('SELECT Industry, COUNT(Id) FROM Account GROUP BY ROLLUP(Industry)')).toMatchObject({ errorCode: 'MALFORMED_QUERY' });
    expect(await failure('SELECT Id, (SELECT Id, (SELECT Id FROM OpportunityLineItems) FROM Opportunities) FROM Account')).toMatchObject({
      errorCode: 'MALFORMED_QUERY',
    });
  });

  it('refuses a duplicate field and a semi-join on a non-id field', async () => {
    expect(await failure('SELECT Id, Name, name FROM Account')).toMatchObject({
      errorCode: 'MALFORMED_QUERY',
      message: expect.stringMatching(/duplicate field selected: Name$/),
    });
    expect(await failure('SELECT Id FROM Account WHERE Name IN (SELECT Name FROM Contact)')).toMatchObject({ errorCode: 'MALFORMED_QUERY' });
    expect(await failure('SELECT Id FROM Account WHERE Id IN (SELECT LastName FROM Contact)')).toMatchObject({ errorCode: 'MALFORMED_QUERY' });
    expect(await failure('SELECT Id FROM Account WHERE Id IN (SELECT AccountId FROM Nope__c)')).toMatchObject({ errorCode: 'INVALID_TYPE' });
  });
});
