/**
 * Bulk API 2.0 ingest jobs over raw HTTP: job definition and validation, the one CSV upload,
 * asynchronous processing with per-row results, CSV dialects, value rules, failures, abort,
 * delete and unknown jobs.
 */
import { Readable } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { LocalOrg } from '../src/index.js';
import {
  closeJob,
  createJob,
  http,
  jobInfo,
  jobsPath,
  resultFile,
  runIngest,
  uploadCsv,
  waitForJob,
} from './utils/bulk-fixture.js';
import { call, startTestOrg } from './utils/org-fixture.js';

let org: LocalOrg;

beforeAll(async () => {
  org = await startTestOrg();
}, 120_000);
afterAll(() => org.stop());
beforeEach(() => org.reset());

async function rows<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
  return (await org.runtime.db.query<T>(sql, params)).rows;
}

describe('creating an ingest job', () => {
  it('answers the job definition with state Open and its upload URL, ignoring unknown keys', async () => {
    const job = await createJob(org, 'ingest', { object: 'account', operation: 'insert', dataTable: [{}, {}] });
    expect(job.id).toMatch(/^750[A-Za-z0-9]{15}$/);
    expect(job).toEqual({
      id: job.id,
      operation: 'insert',
      object: 'Account',
      createdById: org.userId,
      createdDate: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000\+0000$/),
      systemModstamp: job['createdDate'],
      state: 'Open',
      concurrencyMode: 'Parallel',
      contentType: 'CSV',
      apiVersion: Number(org.apiVersion),
      contentUrl: `services/data/v${org.apiVersion}/jobs/ingest/${job.id}/batches`,
      lineEnding: 'LF',
      columnDelimiter: 'COMMA',
    });
    const info = await jobInfo(org, 'ingest', job.id);
    expect(info).toMatchObject({ state: 'Open', jobType: 'V2Ingest', numberRecordsProcessed: 0, numberRecordsFailed: 0, retries: 0 });
  });

  it('keeps the upsert key as the schema spells it', async () => {
    const job = await createJob(org, 'ingest', { object: 'Vehicle__c', operation: 'upsert', externalIdFieldName: 'vin__c', lineEnding: 'CRLF', columnDelimiter: 'TAB' });
    expect(job).toMatchObject({ object: 'Vehicle__c', externalIdFieldName: 'VIN__c', lineEnding: 'CRLF', columnDelimiter: 'TAB' });
  });

  it('refuses an unknown object, a bad operation, a missing or wrong upsert key and a bad delimiter like Salesforce', async () => {
    const post = (body: Record<string, unknown>) => call(org, 'POST', jobsPath(org, 'ingest'), body);
    const cases: [Record<string, unknown>, string, string][] = [
      [{ object: 'Spaceship__c', operation: 'insert' }, 'INVALIDJOB', 'InvalidJob : Unable to find object: Spaceship__c'],
      [{ object: 'Account', operation: 'merge' }, 'API_ERROR', "Invalid value: 'merge' supplied for property: 'operation'"],
      [{ object: 'Account' }, 'API_ERROR', "Invalid value: '' supplied for property: 'operation'"],
      [
        { object: 'Vehicle__c', operation: 'upsert' },
        'INVALIDJOB',
        'InvalidJob : External ID was blank for Vehicle__c. An External ID must be specified for upsert.',
      ],
      [
        { object: 'Vehicle__c', operation: 'upsert', externalIdFieldName: 'Model__c' },
        'INVALIDJOB',
        'InvalidJob : Field name provided, Model__c does not match an External ID for Vehicle__c',
      ],
      [{ object: 'Account', operation: 'insert', columnDelimiter: 'COLON' }, 'API_ERROR', "Invalid value: 'COLON' supplied for property: 'columnDelimiter'"],
      [{ object: 'Account', operation: 'insert', contentType: 'JSON' }, 'API_ERROR', "Invalid value: 'JSON' supplied for property: 'contentType'"],
    ];
    for (const [body, errorCode, message] of cases) {
      const res = await post(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body).toEqual([{ errorCode, message, fields: [] }]);
    }
  });
});

describe('processing', () => {
  it('inserts the valid rows, reports each row and answers results with every field quoted', async () => {
    const csv = 'Name,Description,NumberOfEmployees\nAcme,"Rockets, anvils",30\n,No name,40\n"Quote ""Q"" Corp",,abc\n';
    const info = await runIngest(org, { object: 'Account', operation: 'insert' }, csv);
    expect(info).toMatchObject({ state: 'JobComplete', numberRecordsProcessed: 3, numberRecordsFailed: 2, jobType: 'V2Ingest' });
    expect(info['contentUrl']).toBeUndefined();

    const stored = await rows<{ Id: string; Name: string; Description: string; NumberOfEmployees: number }>(
      `SELECT "Id", "Name", "Description", "NumberOfEmployees" FROM "Account" WHERE "Name" = 'Acme'`,
    );
    expect(stored).toEqual([{ Id: expect.stringMatching(/^001/), Name: 'Acme', Description: 'Rockets, anvils', NumberOfEmployees: 30 }]);

    expect(await resultFile(org, info.id, 'successfulResults')).toBe(
      `"sf__Id","sf__Created","Name","Description","NumberOfEmployees"\n"${stored[0]!.Id}","true","Acme","Rockets, anvils","30"\n`,
    );
    expect(await resultFile(org, info.id, 'failedResults')).toBe(
      '"sf__Id","sf__Error","Name","Description","NumberOfEmployees"\n' +
        '"","REQUIRED_FIELD_MISSING:Required fields are missing: [Name]:Name --","","No name","40"\n' +
        '"","INVALID_TYPE_ON_FIELD_IN_RECORD:Employees: value not of required type: abc:NumberOfEmployees --","Quote ""Q"" Corp","","abc"\n',
    );
    expect(await resultFile(org, info.id, 'unprocessedrecords')).toBe('"Name","Description","NumberOfEmployees"\n');
  });

  it('ends the result header line with a newline when a file has no rows (exact bytes)', async () => {
    const info = await runIngest(org, { object: 'Account', operation: 'insert' }, 'Name\nOnly\n');
    expect(info.state).toBe('JobComplete');
    const res = await fetch(`${org.instanceUrl}${jobsPath(org, 'ingest', `/${info.id}/failedResults`)}`, {
      headers: { Authorization: `Bearer ${org.accessToken}` },
    });
    expect(Buffer.from(await res.arrayBuffer())).toEqual(Buffer.from('"sf__Id","sf__Error","Name"\n'));
    expect(await resultFile(org, info.id, 'unprocessedrecords')).toBe('"Name"\n');
  });

  it('processes asynchronously: the close answers UploadComplete before any row is written', async () => {
    const job = await createJob(org, 'ingest', { object: 'Account', operation: 'insert' });
    expect((await uploadCsv(org, job.id, 'Name\nLater\n')).status).toBe(201);
    const closed = await closeJob(org, job.id);
    expect(closed.state).toBe('UploadComplete');
    expect(closed['contentUrl']).toBeUndefined();
    expect((await waitForJob(org, 'ingest', job.id)).state).toBe('JobComplete');
    expect(await rows(`SELECT "Name" FROM "Account" WHERE "Name" = 'Later'`)).toEqual([{ Name: 'Later' }]);
  });

  it('ignores empty values and clears a field with #N/A on update', async () => {
    const inserted = await runIngest(org, { object: 'Account', operation: 'insert' }, 'Name,Description,Phone\nKeep,Original,555-0100\n');
    const id = (await rows<{ Id: string }>(`SELECT "Id" FROM "Account" WHERE "Name" = 'Keep'`))[0]!.Id;
    expect(inserted.numberRecordsFailed).toBe(0);
    const updated = await runIngest(org, { object: 'Account', operation: 'update' }, `Id,Name,Description,Phone\n${id},Kept,,#N/A\n`);
    expect(updated).toMatchObject({ state: 'JobComplete', numberRecordsProcessed: 1, numberRecordsFailed: 0 });
    expect(await rows(`SELECT "Name", "Description", "Phone" FROM "Account" WHERE "Id" = $1`, [id])).toEqual([
      { Name: 'Kept', Description: 'Original', Phone: null },
    ]);
    expect(await resultFile(org, updated.id, 'successfulResults')).toBe(
      `"sf__Id","sf__Created","Id","Name","Description","Phone"\n"${id}","false","${id}","Kept","","#N/A"\n`,
    );
  });

  it('upserts by external id: new keys are created, known keys updated', async () => {
    const first = await runIngest(
      org,
      { object: 'Vehicle__c', operation: 'upsert', externalIdFieldName: 'VIN__c' },
      'Name,VIN__c,Model__c,Price__c\nOne,1HGCM82633A000001,Model S,50000\n',
    );
    expect(first).toMatchObject({ state: 'JobComplete', numberRecordsFailed: 0 });
    const second = await runIngest(
      org,
      { object: 'Vehicle__c', operation: 'upsert', externalIdFieldName: 'VIN__c' },
      'Name,VIN__c,Price__c\nOne again,1hgcm82633a000001,45000\nTwo,1HGCM82633A000002,60000\n',
    );
    expect(second).toMatchObject({ state: 'JobComplete', numberRecordsProcessed: 2, numberRecordsFailed: 0 });
    const success = await resultFile(org, second.id, 'successfulResults');
    expect(success.split('\n').slice(1, 3).map((l) => l.split(',')[1])).toEqual(['"false"', '"true"']);
    expect(await rows(`SELECT "Name", "VIN__c", "Price__c" FROM "Vehicle__c" ORDER BY "VIN__c"`)).toEqual([
      { Name: 'Two', VIN__c: '1HGCM82633A000002', Price__c: 60000 },
      // Matched case-insensitively; the uploaded value is then written as given.
      { Name: 'One again', VIN__c: '1hgcm82633a000001', Price__c: 45000 },
    ]);
  });

  it('deletes to the recycle bin with delete and for good with hardDelete', async () => {
    await runIngest(org, { object: 'Account', operation: 'insert' }, 'Name\nSoft\nHard\n');
    const ids = Object.fromEntries(
      (await rows<{ Id: string; Name: string }>(`SELECT "Id", "Name" FROM "Account"`)).map((r) => [r.Name, r.Id]),
    );
    const soft = await runIngest(org, { object: 'Account', operation: 'delete' }, `Id\n${ids['Soft']}\nnotanid\n`);
    expect(soft).toMatchObject({ state: 'JobComplete', numberRecordsProcessed: 2, numberRecordsFailed: 1 });
    expect(await resultFile(org, soft.id, 'failedResults')).toBe(
      '"sf__Id","sf__Error","Id"\n"","MALFORMED_ID:Account ID: id value of incorrect type: notanid:Id --","notanid"\n',
    );
    const hard = await runIngest(org, { object: 'Account', operation: 'hardDelete' }, `id\n${ids['Hard']}\n`);
    expect(hard).toMatchObject({ state: 'JobComplete', numberRecordsProcessed: 1, numberRecordsFailed: 0 });
    expect(await rows(`SELECT "Name", "IsDeleted" FROM "Account" ORDER BY "Name"`)).toEqual([{ Name: 'Soft', IsDeleted: true }]);
  });

  it('sets lookups from relationship columns by the parent’s external id', async () => {
    await runIngest(org, { object: 'Vehicle__c', operation: 'insert' }, 'Name,VIN__c\nRoadster,5YJRE1A31A1000001\n');
    const vehicle = (await rows<{ Id: string }>(`SELECT "Id" FROM "Vehicle__c"`))[0]!.Id;
    const info = await runIngest(
      org,
      { object: 'Case', operation: 'insert' },
      'Subject,Vehicle__r.VIN__c\nBrakes squeal,5yjre1a31a1000001\nNo such car,5YJRE1A31A9999999\nNo car,\n',
    );
    expect(info).toMatchObject({ state: 'JobComplete', numberRecordsProcessed: 3, numberRecordsFailed: 1 });
    expect(await rows(`SELECT "Subject", "Vehicle__c" FROM "Case" ORDER BY "Subject"`)).toEqual([
      { Subject: 'Brakes squeal', Vehicle__c: vehicle },
      { Subject: 'No car', Vehicle__c: null },
    ]);
    expect(await resultFile(org, info.id, 'failedResults')).toBe(
      '"sf__Id","sf__Error","Subject","Vehicle__r.VIN__c"\n' +
        '"","INVALID_FIELD:Foreign key external ID: 5YJRE1A31A9999999 not found for field VIN__c in entity Vehicle__c:--","No such car","5YJRE1A31A9999999"\n',
    );
  });

  it('writes change events for bulk-inserted Vehicle__c rows', async () => {
    const csv = ['Name,VIN__c', ...Array.from({ length: 25 }, (_x, i) => `Car ${i},VIN${String(i).padStart(14, '0')}`)].join('\n');
    const info = await runIngest(org, { object: 'Vehicle__c', operation: 'insert' }, `${csv}\n`);
    expect(info).toMatchObject({ state: 'JobComplete', numberRecordsProcessed: 25, numberRecordsFailed: 0 });
    const ids = (await rows<{ Id: string }>(`SELECT "Id" FROM "Vehicle__c"`)).map((r) => r.Id).sort();
    const events = await rows<{ entity: string; change_type: string; record_ids: string[] }>(
      `SELECT entity, change_type, record_ids FROM _change_log ORDER BY replay_id`,
    );
    expect(events.every((e) => e.entity === 'Vehicle__c' && e.change_type === 'CREATE')).toBe(true);
    expect(events.flatMap((e) => e.record_ids).sort()).toEqual(ids);
    expect(ids).toHaveLength(25);
  });
});

describe('CSV dialects', () => {
  it('reads TAB-delimited CRLF data and answers results in the same dialect', async () => {
    const info = await runIngest(
      org,
      { object: 'Account', operation: 'insert', columnDelimiter: 'TAB', lineEnding: 'CRLF' },
      'Name\tDescription\r\nTabbed\t"has, comma"\r\nSecond\t\r\n',
    );
    expect(info).toMatchObject({ state: 'JobComplete', numberRecordsProcessed: 2, numberRecordsFailed: 0 });
    const success = await resultFile(org, info.id, 'successfulResults');
    const lines = success.split('\r\n');
    expect(lines[0]).toBe('"sf__Id"\t"sf__Created"\t"Name"\t"Description"');
    expect(lines[1]).toMatch(/^"001\w{15}"\t"true"\t"Tabbed"\t"has, comma"$/);
    expect(lines).toHaveLength(4);
    expect(lines[3]).toBe('');
  });

  it('reads PIPE-delimited data', async () => {
    const info = await runIngest(org, { object: 'Account', operation: 'insert', columnDelimiter: 'PIPE' }, 'Name|Description\nPiped|a,b\n');
    expect(info).toMatchObject({ state: 'JobComplete', numberRecordsProcessed: 1, numberRecordsFailed: 0 });
    expect(await rows(`SELECT "Name", "Description" FROM "Account"`)).toEqual([{ Name: 'Piped', Description: 'a,b' }]);
  });
});

describe('failed jobs', () => {
  const cases: [string, Record<string, unknown>, string, string][] = [
    ['an unterminated quote', {}, 'Name,Description\nA,"never closed\n', 'InvalidBatch : Failed to parse CSV: a quoted field is never closed (the data ends inside it, on line 2)'],
    ['a row with the wrong number of columns', {}, 'Name,Description\nA,x\nB\n', 'InvalidBatch : Failed to parse CSV: line 3 has 1 column but the header has 2'],
    ['an unknown column', {}, 'Name,Foo__c\nA,x\n', 'InvalidBatch : Field name not found : Foo__c'],
    ['CRLF data in an LF job', {}, 'Name\r\nA\r\n', 'ClientInputError : LineEnding is invalid on user data. Current LineEnding setting is LF'],
    ['LF data in a CRLF job', { lineEnding: 'CRLF' }, 'Name\nA\n', 'ClientInputError : LineEnding is invalid on user data. Current LineEnding setting is CRLF'],
  ];
  for (const [what, extra, csv, errorMessage] of cases) {
    it(`fails the job on ${what} with a clear errorMessage and writes nothing`, async () => {
      const info = await runIngest(org, { object: 'Account', operation: 'insert', ...extra }, csv);
      expect(info).toMatchObject({ state: 'Failed', errorMessage, numberRecordsProcessed: 0, numberRecordsFailed: 0 });
      expect(await rows(`SELECT "Id" FROM "Account"`)).toEqual([]);
    });
  }

  it('keeps the rows parsed before a CSV error as unprocessed records', async () => {
    const info = await runIngest(org, { object: 'Account', operation: 'insert' }, 'Name,Description\nGood,x\nBad\n');
    expect(info.state).toBe('Failed');
    expect(await resultFile(org, info.id, 'unprocessedrecords')).toBe('"Name","Description"\n"Good","x"\n');
  });
});

describe('job state changes', () => {
  it('aborts an open job, keeps its upload as unprocessed records and refuses to close it afterwards', async () => {
    const job = await createJob(org, 'ingest', { object: 'Account', operation: 'insert' });
    await uploadCsv(org, job.id, 'Name\nNever\n');
    const aborted = await call(org, 'PATCH', jobsPath(org, 'ingest', `/${job.id}`), { state: 'Aborted' });
    expect(aborted.status).toBe(200);
    expect(aborted.body).toMatchObject({ id: job.id, state: 'Aborted' });
    expect(await resultFile(org, job.id, 'unprocessedrecords')).toBe('"Name"\n"Never"\n');
    const close = await call(org, 'PATCH', jobsPath(org, 'ingest', `/${job.id}`), { state: 'UploadComplete' });
    expect(close.status).toBe(400);
    expect(close.body).toEqual([{ errorCode: 'INVALIDJOBSTATE', message: 'Closing already Aborted Job not allowed', fields: [] }]);
    expect(await rows(`SELECT "Id" FROM "Account"`)).toEqual([]);
  });

  it('refuses to abort a completed job with Salesforce’s message', async () => {
    const info = await runIngest(org, { object: 'Account', operation: 'insert' }, 'Name\nDone\n');
    const res = await call(org, 'PATCH', jobsPath(org, 'ingest', `/${info.id}`), { state: 'Aborted' });
    expect(res.status).toBe(400);
    expect(res.body).toEqual([{ errorCode: 'INVALIDJOBSTATE', message: 'Aborting already Completed Job not allowed', fields: [] }]);
  });

  it('refuses a second upload and an upload to a closed job', async () => {
    const job = await createJob(org, 'ingest', { object: 'Account', operation: 'insert' });
    expect((await uploadCsv(org, job.id, 'Name\nOnce\n')).status).toBe(201);
    const again = await uploadCsv(org, job.id, 'Name\nTwice\n');
    expect(again.status).toBe(400);
    expect(JSON.parse(again.text)).toEqual([
      {
        errorCode: 'BULK_API_ERROR',
        message: `Found multipe contents for job: <${job.id.slice(0, 15)}>, please 'Close' / 'Abort' / 'Delete' the current Job then create a new Job and make sure you only do 'PUT' once on a given Job.`,
        fields: [],
      },
    ]);
    const other = await createJob(org, 'ingest', { object: 'Account', operation: 'insert' });
    await call(org, 'PATCH', jobsPath(org, 'ingest', `/${other.id}`), { state: 'Aborted' });
    const late = await uploadCsv(org, other.id, 'Name\nLate\n');
    expect(late.status).toBe(400);
    expect(JSON.parse(late.text)).toEqual([{ errorCode: 'INVALIDJOBSTATE', message: 'Uploading data to an already Aborted Job not allowed', fields: [] }]);
  });

  it('deletes a closed job (then NOT_FOUND) and refuses to delete an open one', async () => {
    const open = await createJob(org, 'ingest', { object: 'Account', operation: 'insert' });
    const refused = await call(org, 'DELETE', jobsPath(org, 'ingest', `/${open.id}`));
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject([{ errorCode: 'INVALIDJOBSTATE' }]);

    const done = await runIngest(org, { object: 'Account', operation: 'insert' }, 'Name\nGone\n');
    const deleted = await http(org, 'DELETE', jobsPath(org, 'ingest', `/${done.id}`));
    expect(deleted).toMatchObject({ status: 204, text: '' });
    const after = await call(org, 'GET', jobsPath(org, 'ingest', `/${done.id}`));
    expect(after.status).toBe(404);
    expect(await rows(`SELECT count(*)::int AS n FROM _bulk_rows WHERE job_id = $1`, [done.id])).toEqual([{ n: 0 }]);
  });

  it('answers NOT_FOUND for unknown, malformed and other-kind job ids', async () => {
    const queryJob = await createJob(org, 'query', { operation: 'query', query: 'SELECT Id FROM Account' });
    for (const id of ['750000000000000AAA', 'nonsense', queryJob.id]) {
      for (const rest of ['', '/successfulResults']) {
        const res = await call(org, 'GET', jobsPath(org, 'ingest', `/${id}${rest}`));
        expect(res.status).toBe(404);
        expect(res.body).toEqual([{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist', fields: [] }]);
      }
    }
  });

  it('lists the org’s ingest jobs', async () => {
    const a = await createJob(org, 'ingest', { object: 'Account', operation: 'insert' });
    const b = await createJob(org, 'ingest', { object: 'Vehicle__c', operation: 'delete' });
    const res = await call(org, 'GET', jobsPath(org, 'ingest'));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      done: true,
      nextRecordsUrl: null,
      records: [
        expect.objectContaining({ id: a.id, object: 'Account', operation: 'insert', state: 'Open', jobType: 'V2Ingest' }),
        expect.objectContaining({ id: b.id, object: 'Vehicle__c', operation: 'delete', state: 'Open', jobType: 'V2Ingest' }),
      ],
    });
  });

  it('forgets every job when the org is reset', async () => {
    const info = await runIngest(org, { object: 'Account', operation: 'insert' }, 'Name\nBefore reset\n');
    await org.reset();
    expect((await call(org, 'GET', jobsPath(org, 'ingest', `/${info.id}`))).status).toBe(404);
    expect(await rows(`SELECT count(*)::int AS n FROM _bulk_rows`)).toEqual([{ n: 0 }]);
  });
});

describe('uploads', () => {
  it('streams a 12,000-row upload in and processes it in two internal batches', async () => {
    const total = 12_000;
    async function* generate() {
      yield 'Name,NumberOfEmployees\n';
      for (let i = 0; i < total; i += 1000) {
        yield Array.from({ length: 1000 }, (_x, k) => `Streamed ${i + k},${i + k}\n`).join('');
      }
    }
    const info = await runIngest(org, { object: 'Account', operation: 'insert' }, Readable.from(generate()));
    expect(info).toMatchObject({ state: 'JobComplete', numberRecordsProcessed: total, numberRecordsFailed: 0 });
    expect(await rows(`SELECT count(*)::int AS n, max("NumberOfEmployees") AS top FROM "Account"`)).toEqual([{ n: total, top: total - 1 }]);
    const limits = await call(org, 'GET', `/services/data/v${org.apiVersion}/limits`);
    expect((limits.body as Record<string, unknown>)['DailyBulkApiBatches']).toEqual({ Max: 15_000, Remaining: 14_998 });
  }, 120_000);
});
