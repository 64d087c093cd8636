// Scope: the Bulk API 2.0 on an org backed by a real PostgreSQL server (the other bulk suites run
// on PGlite); proves that the Bulk tables, their jsonb statements and the paging hold on both.
import type jsforce from 'jsforce';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalOrg } from '../src/index.js';
import { connect, POSTGRES_URL, startTestOrg } from './utils/org-fixture.js';

let org: LocalOrg;
let conn: jsforce.Connection;

beforeAll(async () => {
  try {
    org = await startTestOrg({ databaseUrl: POSTGRES_URL });
  } catch (err) {
    throw new Error(`PostgreSQL is not reachable at ${POSTGRES_URL} (start it, e.g. \`service postgresql start\`): ${String(err)}`);
  }
  conn = connect(org);
  conn.bulk2.pollInterval = 25;
}, 120_000);
afterAll(() => org?.stop());

describe('Bulk API 2.0 on PostgreSQL', () => {
  it('ingests with per-row results and answers a paged query', async () => {
    const csv = `Name,NumberOfEmployees\n${Array.from({ length: 120 }, (_x, i) => `PG ${String(i).padStart(3, '0')},${i}\n`).join('')},oops\n`;
    const { successfulResults, failedResults } = await conn.bulk2.loadAndWaitForResults({ object: 'Account', operation: 'insert', input: csv });
    expect(successfulResults).toHaveLength(120);
    expect(failedResults).toEqual([
      { sf__Id: '', sf__Error: 'INVALID_TYPE_ON_FIELD_IN_RECORD:Employees: value not of required type: oops:NumberOfEmployees --', Name: '', NumberOfEmployees: 'oops' },
    ]);

    const job = (await conn.request({
      method: 'POST',
      url: `/services/data/v${org.apiVersion}/jobs/query`,
      body: JSON.stringify({ operation: 'query', query: 'SELECT Name, NumberOfEmployees FROM Account ORDER BY Name' }),
      headers: { 'Content-Type': 'application/json' },
    })) as { id: string };
    for (;;) {
      const info = (await conn.request(`/services/data/v${org.apiVersion}/jobs/query/${job.id}`)) as { state: string };
      if (info.state === 'JobComplete') break;
      expect(['UploadComplete', 'InProgress']).toContain(info.state);
      await new Promise((r) => setTimeout(r, 25));
    }
    const res = await fetch(`${org.instanceUrl}/services/data/v${org.apiVersion}/jobs/query/${job.id}/results?maxRecords=100&locator=MTAw`, {
      headers: { Authorization: `Bearer ${org.accessToken}` },
    });
    expect(res.headers.get('sforce-locator')).toBe('null');
    expect(res.headers.get('sforce-numberofrecords')).toBe('20');
    const lines = (await res.text()).split('\n');
    expect(lines[0]).toBe('"Name","NumberOfEmployees"');
    expect(lines[1]).toBe('"PG 100","100"');
    expect(lines).toHaveLength(22);
  });
});
