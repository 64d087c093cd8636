/**
 * The job contract's trust boundary: a WHERE clause travels as text and is validated again when a
 * job is read; the unit key has one format, built and read by one pair of functions.
 */
import { describe, expect, it } from 'vitest';
import { isValidWhereClause, soql, validateWhereClause } from '@ecars/sf-client';
import { parseUnitKey, quoteBatchPayload, quoteBatchSchema, quoteChunkPayload, quoteChunkSchema, unitKey } from '../src/index.js';

const org = {
  instanceUrl: 'https://example.my.salesforce.com',
  accessToken: '00Dxx!token',
  apiVersion: '64.0',
  orgId: '00D000000000001AAA',
  userId: '005000000000001AAA',
  username: 'admin@example.com',
};

function valid(clause: string) {
  const verdict = validateWhereClause('Opportunity', clause);
  if (!verdict.ok) throw new Error(verdict.reason);
  return verdict;
}

describe('job payloads', () => {
  it('carry the validated clause as its normalized text and give a validated clause back when read', () => {
    const payload = quoteBatchPayload({ org, soqlWhereClause: valid("stagename = 'Prospecting'"), chunkSize: 10, requestedAt: '2026-01-01T00:00:00Z' });
    expect(payload.soqlWhereClause).toBe("StageName = 'Prospecting'");
    const read = quoteBatchSchema.parse(JSON.parse(JSON.stringify(payload)));
    expect(isValidWhereClause(read.soqlWhereClause)).toBe(true);
    expect(soql('Opportunity').whereClause(read.soqlWhereClause).toSoql()).toBe("SELECT Id FROM Opportunity WHERE (StageName = 'Prospecting')");
  });

  it('refuse a job whose clause was tampered with in Redis, with the reason', () => {
    const payload = quoteChunkPayload({
      org,
      batchId: 'b1',
      soqlWhereClause: valid("Name = 'x'"),
      ranges: [{ first: '006000000000001AAA', last: '006000000000002AAA', count: 2 }],
    });
    const tampered = { ...payload, soqlWhereClause: "Name = 'x' OR Id != null LIMIT 1" };
    const parsed = quoteChunkSchema.safeParse(tampered);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['soqlWhereClause', 'invalid soqlWhereClause: LIMIT is not allowed: the clause must be a condition only'],
    ]);
  });
});

describe('unit keys', () => {
  it('are built and read by one pair of functions', () => {
    const key = unitKey('7f1c2d3e-batch', '006000000000001AAA');
    expect(key).toBe('7f1c2d3e-batch:006000000000001AAA');
    expect(parseUnitKey(key)).toEqual({ batchKey: '7f1c2d3e-batch', opportunityId: '006000000000001AAA' });
  });

  it('refuse parts that would make the key ambiguous or too long for Batch_Key__c, and read nothing else', () => {
    expect(() => unitKey('a:b', '006000000000001AAA')).toThrow(/no ':'/);
    expect(() => unitKey('', '006000000000001AAA')).toThrow(/non-empty/);
    expect(() => unitKey('b', "006' OR 1=1")).toThrow(/not a Salesforce Id/);
    expect(() => unitKey('x'.repeat(62), '006000000000001AAA')).toThrow(/longer than 80/);
    expect([parseUnitKey('no-colon'), parseUnitKey(':006000000000001AAA'), parseUnitKey('a:b:006000000000001AAA'), parseUnitKey('b:not-an-id')]).toEqual([
      null,
      null,
      null,
      null,
    ]);
  });
});
