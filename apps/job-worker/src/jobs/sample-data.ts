/**
 * Sample data with Bulk API 2.0, as the AppLink sample does, but restartable:
 * - create: N Opportunities named `Sample Opportunity <tag>-<n>` (tag = the job's short id) across
 *   the org's accounts, then 2 OpportunityLineItems each from active standard price book entries.
 *   A retry creates only what its earlier attempt did not (it looks the tagged ones up first).
 * - delete: a Bulk API 2.0 hardDelete of every `Sample Opportunity…` (quotes and lines go with them).
 * Progress is reported as it goes (percent, phase, processed, failed).
 */
import type { Job } from 'bullmq';
import { UnrecoverableError } from 'bullmq';
import { sampleDataSchema, type DataProgress } from '@ecars/job-queue';
import { cond, escapeLikePattern, soql, type ClientLogger, type SalesforceClient } from '@ecars/sf-client';
import { clientFor, rethrowFinal } from '../services/salesforce.js';

export interface SampleDataDeps {
  logger?: ClientLogger;
  /** Bulk job timeout. @defaultValue 30 minutes */
  bulkTimeoutMs?: number;
  /** Requests in flight to one org from this process (all jobs together). */
  maxConcurrentRequests?: number;
  /** Origins besides Salesforce domains a job\'s org URL may name. @defaultValue [] */
  allowedOrigins?: readonly string[];
}

/** Name prefix of every sample opportunity (what delete removes). */
export const SAMPLE_PREFIX = 'Sample Opportunity';

/** A small deterministic PRNG (mulberry32): the same job makes the same data on a retry. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function addDaysUtc(days: number): string {
  const d = new Date();
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export interface SampleDataResult {
  kind: 'data-create' | 'data-delete';
  opportunities: number;
  lineItems: number;
  failed: number;
  apiCalls: number;
}

export function sampleDataProcessor(deps: SampleDataDeps = {}) {
  const timeoutMs = deps.bulkTimeoutMs ?? 30 * 60_000;
  return async (job: Job): Promise<SampleDataResult> => {
    const data = sampleDataSchema.parse(job.data);
    const client = await clientFor(data.org, deps);
    const report = (p: DataProgress) => job.updateProgress({ ...p, apiCalls: client.stats.requests });
    try {
      return data.kind === 'data-create'
        ? await create(client, job, data.numberOfOpportunities, report, timeoutMs)
        : await remove(client, report, timeoutMs);
    } catch (err) {
      rethrowFinal(err);
    }
  };
}

async function create(
  client: SalesforceClient,
  job: Job,
  count: number,
  report: (p: DataProgress) => Promise<void>,
  timeoutMs: number,
): Promise<SampleDataResult> {
  const tag = (job.id ?? 'job').replace(/-/g, '').slice(0, 8);
  const prefix = `${SAMPLE_PREFIX} ${tag}-`;
  const accounts = await client.query<{ Id: string }>(soql('Account').orderBy('Id')).toArray();
  if (accounts.length === 0) throw new UnrecoverableError('the org has no Account to attach sample opportunities to');
  const book = await client.query<{ Id: string }>(soql('Pricebook2').where('IsStandard', '=', true).limit(1)).toArray();
  const pricebookId = book[0]?.Id;
  if (!pricebookId) throw new UnrecoverableError('the org has no standard price book');
  const entries = await client
    .query<{ Id: string }>(soql('PricebookEntry').where('Pricebook2Id', '=', pricebookId).where('IsActive', '=', true).orderBy('Id'))
    .toArray();
  if (entries.length === 0) throw new UnrecoverableError('the standard price book has no active entries to sell');

  // What an earlier attempt of this job already created.
  const existing = new Map<string, { Id: string; HasOpportunityLineItem: boolean }>();
  for await (const o of client.query<{ Id: string; Name: string; HasOpportunityLineItem: boolean }>(
    soql('Opportunity').select('Id', 'Name', 'HasOpportunityLineItem').where(cond('Name', 'LIKE', `${escapeLikePattern(prefix)}%`)),
  )) {
    existing.set(o.Name, o);
  }
  const closeDate = addDaysUtc(30);
  const missing = function* () {
    for (let n = 1; n <= count; n++) {
      const Name = `${prefix}${n}`;
      if (existing.has(Name)) continue;
      yield { Name, AccountId: accounts[(n - 1) % accounts.length]!.Id, StageName: 'Prospecting', CloseDate: closeDate, Pricebook2Id: pricebookId };
    }
  };
  let failed = 0;
  await report({ phase: 'opportunities', percent: 0, processed: existing.size, failed: 0, total: count });
  const opps = await client.bulk.ingest({
    object: 'Opportunity',
    operation: 'insert',
    records: missing(),
    columns: ['Name', 'AccountId', 'StageName', 'CloseDate', 'Pricebook2Id'],
    timeoutMs,
    onProgress: (p) => void report({ phase: 'opportunities', percent: (p.processed / count) * 50, processed: existing.size + p.processed, failed: p.failed, total: count }),
  });
  failed += opps.failed;

  const needLines = [
    ...[...existing.values()].filter((o) => !o.HasOpportunityLineItem).map((o) => o.Id),
    ...(opps.successfulRows ?? []).map((r) => r.sfId),
  ];
  const random = prng(count * 7919 + needLines.length);
  const lines = function* () {
    for (const id of needLines) {
      for (let k = 0; k < 2; k++) {
        yield {
          OpportunityId: id,
          PricebookEntryId: entries[Math.floor(random() * entries.length)]!.Id,
          Quantity: 1 + Math.floor(random() * 10),
          UnitPrice: 10 + Math.floor(random() * 100),
        };
      }
    }
  };
  const total = needLines.length * 2;
  const items = await client.bulk.ingest({
    object: 'OpportunityLineItem',
    operation: 'insert',
    records: lines(),
    columns: ['OpportunityId', 'PricebookEntryId', 'Quantity', 'UnitPrice'],
    fetchSuccessfulResults: false,
    timeoutMs,
    onProgress: (p) => void report({ phase: 'line items', percent: 50 + (p.processed / Math.max(1, total)) * 50, processed: count - opps.failed, failed: failed + p.failed, total: count }),
  });
  failed += items.failed;
  await report({ phase: 'done', percent: 100, processed: count - opps.failed, failed, total: count });
  return { kind: 'data-create', opportunities: existing.size + opps.processed - opps.failed, lineItems: items.processed - items.failed, failed, apiCalls: client.stats.requests };
}

async function remove(client: SalesforceClient, report: (p: DataProgress) => Promise<void>, timeoutMs: number): Promise<SampleDataResult> {
  const ids: { Id: string }[] = [];
  for await (const row of client.bulk.query(soql('Opportunity').where('Name', 'LIKE', `${escapeLikePattern(SAMPLE_PREFIX)}%`))) {
    if (row['Id']) ids.push({ Id: row['Id'] });
  }
  await report({ phase: 'deleting', percent: 0, processed: 0, failed: 0, total: ids.length });
  if (ids.length === 0) return { kind: 'data-delete', opportunities: 0, lineItems: 0, failed: 0, apiCalls: client.stats.requests };
  const result = await client.bulk.ingest({
    object: 'Opportunity',
    operation: 'hardDelete',
    records: ids,
    fetchSuccessfulResults: false,
    timeoutMs,
    onProgress: (p) => void report({ phase: 'deleting', percent: (p.processed / ids.length) * 100, processed: p.processed, failed: p.failed, total: ids.length }),
  });
  await report({ phase: 'done', percent: 100, processed: result.processed, failed: result.failed, total: ids.length });
  return { kind: 'data-delete', opportunities: result.processed - result.failed, lineItems: 0, failed: result.failed, apiCalls: client.stats.requests };
}
