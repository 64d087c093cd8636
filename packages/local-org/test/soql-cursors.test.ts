import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SalesforceError } from '../src/errors.js';
import { makeId } from '../src/ids.js';
import { executeSoql, QueryCursors, type QueryPage, type SoqlRecord, type SoqlResult } from '../src/soql/index.js';
import { insert, openSoqlDb, type SoqlDb } from './utils/soql-fixture.js';

let fx: SoqlDb;
beforeAll(async () => {
  fx = await openSoqlDb();
  await insert(
    fx.db,
    'Account',
    Array.from({ length: 5000 }, (_, i) => ({ Id: makeId('001', i + 1), Name: `Account ${String(i + 1).padStart(4, '0')}` })),
  );
  // Every tenth account gets 3 contacts, for the page-weight rule.
  await insert(
    fx.db,
    'Contact',
    Array.from({ length: 1500 }, (_, i) => ({ Id: makeId('003', i + 1), LastName: `C${i}`, AccountId: makeId('001', Math.floor(i / 3) * 10 + 1) })),
  );
});
afterAll(() => fx.close());

const locatorOf = (page: QueryPage): string => {
  const m = /\/query(?:All)?\/(.+)$/.exec(page.nextRecordsUrl ?? '');
  if (!m?.[1]) throw new Error(`no locator in ${page.nextRecordsUrl}`);
  return m[1];
};

function invalidLocator(fn: () => unknown): SalesforceError {
  try {
    fn();
  } catch (err) {
    if (err instanceof SalesforceError) return err;
    throw err;
  }
  throw new Error('expected INVALID_QUERY_LOCATOR');
}

/** A synthetic result of `n` records, `children[i]` child rows on record i. */
function result(n: number, children: number[] = []): SoqlResult {
  const records: SoqlRecord[] = Array.from({ length: n }, (_, i) => ({
    attributes: { type: 'Account' },
    Name: `A${i}`,
    Contacts: children[i] ? { totalSize: children[i], done: true, records: Array.from({ length: children[i] ?? 0 }, () => ({ attributes: { type: 'Contact' } })) } : null,
  }));
  return { totalSize: n, records };
}

describe('paging a 5,000-row result', () => {
  it('serves 3 pages of 2000, 2000 and 1000 records, the last one done', async () => {
    const cursors = new QueryCursors();
    const all = await executeSoql(fx.ctx(), 'SELECT Id, Name FROM Account ORDER BY Name');
    const first = cursors.firstPage(all, 2000, '64.0', false);
    expect(first.totalSize).toBe(5000);
    expect(first.done).toBe(false);
    expect(first.records).toHaveLength(2000);
    expect(first.nextRecordsUrl).toMatch(/^\/services\/data\/v64\.0\/query\/01g[a-zA-Z0-9]{15}-2000$/);

    const second = cursors.nextPage(locatorOf(first));
    expect({ totalSize: second.totalSize, done: second.done, n: second.records.length }).toEqual({ totalSize: 5000, done: false, n: 2000 });
    expect(second.nextRecordsUrl).toBe(first.nextRecordsUrl?.replace(/-2000$/, '-4000'));

    const third = cursors.nextPage(locatorOf(second));
    expect(third).toEqual({ totalSize: 5000, done: true, records: all.records.slice(4000) });
    expect('nextRecordsUrl' in third).toBe(false);

    const names = [...first.records, ...second.records, ...third.records].map((r) => r.Name);
    expect(names).toHaveLength(5000);
    expect(new Set(names).size).toBe(5000);
    expect(names[0]).toBe('Account 0001');
    expect(names[4999]).toBe('Account 5000');
  });

  it('closes the cursor after its last page', async () => {
    const cursors = new QueryCursors();
    const first = cursors.firstPage(result(300), 200, '64.0', false);
    const last = cursors.nextPage(locatorOf(first));
    expect(last.done).toBe(true);
    expect(cursors.size).toBe(0);
    expect(invalidLocator(() => cursors.nextPage(locatorOf(first))).errorCode).toBe('INVALID_QUERY_LOCATOR');
  });

  it('answers a result that fits one page with done:true and opens no cursor', () => {
    const cursors = new QueryCursors();
    const page = cursors.firstPage(result(2000), 2000, '64.0', false);
    expect(page).toEqual({ totalSize: 2000, done: true, records: result(2000).records });
    expect(cursors.size).toBe(0);
  });

  it('uses /queryAll/ in the next page url of a queryAll', () => {
    const page = new QueryCursors().firstPage(result(2500), 2000, '62.0', true);
    expect(page.nextRecordsUrl).toMatch(/^\/services\/data\/v62\.0\/queryAll\/01g[a-zA-Z0-9]{15}-2000$/);
  });
});

describe('batch size', () => {
  it('clamps the batch size to 200..2000 and defaults to 2000', () => {
    const cursors = new QueryCursors();
    expect(cursors.firstPage(result(3000), 50, '64.0', false).records).toHaveLength(200);
    expect(cursors.firstPage(result(3000), 5000, '64.0', false).records).toHaveLength(2000);
    expect(cursors.firstPage(result(3000), undefined, '64.0', false).records).toHaveLength(2000);
    expect(cursors.firstPage(result(3000), 750, '64.0', false).records).toHaveLength(750);
  });

  it('counts child rows toward the batch, but always returns at least one record', () => {
    const cursors = new QueryCursors();
    // Records 0..99 weigh 1 + 1 child each = 2 rows: 100 records fill a batch of 200.
    const first = cursors.firstPage(result(300, Array.from({ length: 300 }, () => 1)), 200, '64.0', false);
    expect(first.records).toHaveLength(100);
    expect(first.nextRecordsUrl).toMatch(/-100$/);
    // A record heavier than the batch still comes alone.
    const heavy = cursors.firstPage(result(3, [500, 0, 0]), 200, '64.0', false);
    expect(heavy.records).toHaveLength(1);
    expect(cursors.nextPage(locatorOf(heavy)).records).toHaveLength(2);
  });

  it('pages a real query with child subqueries by rows, children included', async () => {
    const cursors = new QueryCursors();
    const all = await executeSoql(fx.ctx(), 'SELECT Id, (SELECT Id FROM Contacts) FROM Account ORDER BY Name');
    // Accounts 1, 11, 21… have 3 contacts. Accounts 1..1538 include 154 of them: 1538 + 154 × 3 = 2000 rows.
    const first = cursors.firstPage(all, 2000, '64.0', false);
    const weight = first.records.reduce((n, r) => n + 1 + ((r.Contacts as { totalSize: number } | null)?.totalSize ?? 0), 0);
    expect(first.records).toHaveLength(1538);
    expect(weight).toBe(2000);
    let pages = 1;
    let seen = first.records.length;
    for (let page = first; !page.done; pages++) {
      page = cursors.nextPage(locatorOf(page));
      seen += page.records.length;
    }
    expect(seen).toBe(5000);
    expect(pages).toBe(4);
  });
});

describe('locators', () => {
  it('expires a cursor unused for the TTL, and each use restarts the TTL', () => {
    let now = 1_000_000;
    const cursors = new QueryCursors({ ttlMs: 15 * 60_000, now: () => now });
    const first = cursors.firstPage(result(5000), 2000, '64.0', false);
    now += 14 * 60_000;
    const second = cursors.nextPage(locatorOf(first));
    now += 14 * 60_000;
    expect(cursors.nextPage(locatorOf(second)).done).toBe(true);

    const again = cursors.firstPage(result(5000), 2000, '64.0', false);
    now += 15 * 60_000;
    const err = invalidLocator(() => cursors.nextPage(locatorOf(again)));
    expect(err.toJSON()).toEqual({ errorCode: 'INVALID_QUERY_LOCATOR', message: 'invalid query locator', fields: [] });
    expect(err.status).toBe(400);
  });

  it('evicts the least recently used cursor beyond maxOpen', () => {
    const cursors = new QueryCursors({ maxOpen: 2 });
    const a = cursors.firstPage(result(3000), 2000, '64.0', false);
    const b = cursors.firstPage(result(3000), 2000, '64.0', false);
    const c = cursors.firstPage(result(3000), 2000, '64.0', false);
    expect(cursors.size).toBe(2);
    expect(invalidLocator(() => cursors.nextPage(locatorOf(a))).errorCode).toBe('INVALID_QUERY_LOCATOR');
    expect(cursors.nextPage(locatorOf(b)).records).toHaveLength(1000);
    expect(cursors.nextPage(locatorOf(c)).records).toHaveLength(1000);
  });

  it('refuses unknown, malformed and out-of-range locators', () => {
    const cursors = new QueryCursors();
    const page = cursors.firstPage(result(2500), 2000, '64.0', false);
    const id = locatorOf(page).split('-')[0] as string;
    for (const bad of [`${makeId('01g', 999)}-2000`, 'nonsense', `${id}-x`, `${id}-2500`, `${id}`]) {
      expect(invalidLocator(() => cursors.nextPage(bad)).message).toBe('invalid query locator');
    }
  });

  it('serves any offset of an open cursor, as Salesforce locators allow', () => {
    const cursors = new QueryCursors();
    const page = cursors.firstPage(result(2500), 2000, '64.0', false);
    const id = locatorOf(page).split('-')[0] as string;
    const tail = cursors.nextPage(`${id}-2400`);
    expect(tail.records.map((r) => r.Name)).toEqual(Array.from({ length: 100 }, (_, i) => `A${2400 + i}`));
  });

  it('closes every cursor on clear()', () => {
    const cursors = new QueryCursors();
    const page = cursors.firstPage(result(2500), 2000, '64.0', false);
    cursors.clear();
    expect(invalidLocator(() => cursors.nextPage(locatorOf(page))).errorCode).toBe('INVALID_QUERY_LOCATOR');
  });
});
