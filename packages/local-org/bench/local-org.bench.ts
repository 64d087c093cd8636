/**
 * `pnpm bench`: the local org's read, write, Bulk API 2.0 and Change Data Capture paths over real
 * HTTP, each against a baseline in the same run. A `startLocalOrg({ seed: 'demo' })` on 127.0.0.1
 * (PGlite in memory, no latency or fault injection, CometD connect timeout 2 s) gets 10,000
 * Opportunities with 2 OpportunityLineItems each, written straight through the record store; then,
 * with plain `fetch` as the client (see rest-client.ts):
 *
 * - query: the batch job's read, `SELECT … Account.Region__c, (SELECT … FROM OpportunityLineItems)
 *   FROM Opportunity WHERE Name LIKE 'Bench %'`, following `nextRecordsUrl` to the end. Records
 *   are parents + children. Baseline: N+1 over HTTP, the simplest path a client has: per
 *   opportunity one `GET /sobjects/Opportunity/<id>?fields=…` and one `/query` for its lines (the
 *   account's region fetched once per account and cached), on a sample, per record.
 * - graphs: a Quote + 2 QuoteLineItems per opportunity as one composite graph (3 nodes), 75 graphs
 *   (225 nodes) per request, sequential and 4 requests in flight; full payloads (71 graphs × 7 nodes
 *   = 497, and one 500-node graph) are printed too. Baseline: the same records with one
 *   `POST /sobjects/<type>` each, sequential, on a sample.
 * - bulk (bench-bulk.ts): Bulk API 2.0 insert jobs of 100,000 Opportunities, one streamed CSV
 *   upload each, job creation → JobComplete (fewer records if that would not fit a 90 s budget,
 *   see `bulkRecordsMeasured`). Baseline: sObject Collections (200 per call, sequential), 10,000
 *   records per run.
 * - cdc (bench-cdc.ts): 5,000 Vehicle__c creates per run, their change events delivered to a
 *   jsforce CometD subscriber (first write → last event received), and replayed with `-2` to a
 *   new subscriber. Baseline: the same creates with no subscriber (writes alone). Each run starts
 *   from a reset org, so this section comes last.
 *
 * Each measurement is warmed up, then timed over several runs, a figure's runs interleaved with
 * its baseline's; the best run counts (noise only ever adds time) and the median is printed
 * beside it (bulk: 2 jobs, each lasting seconds, paired with 2 baseline runs; CDC: 3 runs each,
 * on a freshly reset org). Client and server share one Node process (the store is reached directly
 * for the setup), so the client's JSON, CSV and CometD work is inside the figures.
 * The last line is one JSON object:
 *
 *   {"bench":"local-org","queryRecordsPerSec":N,"queryOpportunitiesPerSec":N,"graphNodesPerSec":N,
 *    "graphNodesPerSecConcurrent":N,"baselineQueryRecordsPerSec":N,"baselineWriteRecordsPerSec":N,
 *    "queryRatio":N,"writeRatio":N,"bulkIngestRecordsPerSec":N,"baselineBulkRecordsPerSec":N,
 *    "bulkRatio":N,"bulkRecordsMeasured":N,"cdcEventsPerSec":N,"cdcReplayEventsPerSec":N,
 *    "cdcWriteOnlyRecordsPerSec":N}
 *
 * queryRatio = queryRecordsPerSec / baselineQueryRecordsPerSec (what queryMore buys over N+1);
 * writeRatio = graphNodesPerSec (sequential) / baselineWriteRecordsPerSec (what composite graphs
 * buy over one POST per record). On loopback with no latency the write ratio only measures the
 * per-request overhead a graph saves; every round trip of real network latency widens it.
 * bulkRatio = bulkIngestRecordsPerSec / baselineBulkRecordsPerSec (what one Bulk API job buys over
 * sequential sObject Collections). cdcEventsPerSec / cdcWriteOnlyRecordsPerSec is what a live
 * subscriber leaves of the write throughput (delivery shares the process and the database).
 *
 * Environment: BENCH_OPPORTUNITIES (default 10000), BENCH_RUNS (default 5), BENCH_SQL_PROFILE=1
 * (count and time every SQL statement per section; slightly slower, off for the headline figures),
 * BENCH_BULK_RECORDS (100000), BENCH_BULK_RUNS (2), BENCH_BULK_BUDGET_S (90),
 * BENCH_BULK_BASELINE_RECORDS (10000 per run), BENCH_CDC_EVENTS (5000), BENCH_CDC_RUNS (3).
 */
import { availableParallelism } from 'node:os';
import { startLocalOrg } from '../src/index.js';
import { benchBulkIngest } from './bench-bulk.js';
import { benchCdc, CDC_CONNECT_TIMEOUT_MS } from './bench-cdc.js';
import type { Context } from './bench-context.js';
import {
  OPPORTUNITY_NAME_PREFIX,
  quoteBody,
  quoteGraph,
  quoteLineBody,
  seedOpportunities,
} from './bench-data.js';
import { measure, measureInterleaved, ms, perSecond, rate, runConcurrently, type Case, type Measurement } from './measure.js';
import { RestClient } from './rest-client.js';
import { profileSql } from './sql-profile.js';

const OPPORTUNITIES = Number(process.env['BENCH_OPPORTUNITIES'] ?? 10_000);
const LINES_PER_OPPORTUNITY = 2;
const RUNS = Math.max(1, Number(process.env['BENCH_RUNS'] ?? 5));
/**
 * Hard stop: whatever hangs, the process ends (after trying to stop the org). A run takes 1.5–2
 * minutes on 2 cores; the bulk job alone may take up to its 90 s budget on a slow machine.
 */
const DEADLINE_MS = 6 * 60_000;

/** Salesforce's composite graph limits: 75 graphs and 500 nodes per request. */
const GRAPHS_PER_REQUEST = 75;
const QUOTE_LINES = 2;
/** Runs are short and many: on a shared machine the best of many short runs finds the quiet moments. */
const GRAPH_REQUESTS_PER_RUN = 2;
const CONCURRENCY = 4;

/** Baseline samples: opportunities per timed run (a warm-up run of the same size comes first). */
const BASELINE_READ_OPPORTUNITIES_PER_RUN = 100;
const BASELINE_WRITE_OPPORTUNITIES_PER_RUN = 30; // 90 records per run

const SOQL =
  'SELECT Id, Name, CloseDate, Account.Region__c, ' +
  '(SELECT Id, Quantity, UnitPrice, PricebookEntryId FROM OpportunityLineItems) ' +
  `FROM Opportunity WHERE Name LIKE '${OPPORTUNITY_NAME_PREFIX}%'`;

interface LineRecord {
  Id: string;
  Quantity: number;
  UnitPrice: number;
  PricebookEntryId: string;
}
interface OpportunityRecord {
  Id: string;
  Name: string;
  CloseDate: string;
  Account: { Region__c: string | null } | null;
  OpportunityLineItems: { totalSize: number; records: LineRecord[] } | null;
}

// ---------------------------------------------------------------------------------------------
// Query: queryMore vs N+1

/** The data a client ends up with, in a form both read paths produce (for the equality check). */
function digest(o: { Id: string; Name: string; CloseDate: string; region: string | null; lines: LineRecord[] }): string {
  const lines = o.lines.map((l) => `${l.Id}:${l.Quantity}:${l.UnitPrice}:${l.PricebookEntryId}`).sort();
  return JSON.stringify([o.Id, o.Name, o.CloseDate, o.region, lines]);
}

async function benchQuery(ctx: Context) {
  const { client, data } = ctx;
  const expectedRecords = OPPORTUNITIES * (1 + LINES_PER_OPPORTUNITY);
  console.log(`query: ${SOQL}`);

  // queryMore: every record through /query and its nextRecordsUrl pages.
  const byId = new Map<string, OpportunityRecord>();
  let pages = 0;
  let bytes = 0;
  const firstPage: number[] = [];
  const queryMore: Case = {
    name: `queryMore (${OPPORTUNITIES.toLocaleString('en-US')} opps + lines, fetch)`,
    unit: 'records',
    warmups: 1,
    async run() {
      ctx.sql?.use('queryMore');
      const bytesBefore = client.bytes;
      const r = await client.queryAll<OpportunityRecord>(SOQL);
      let records = r.records.length;
      for (const o of r.records) records += o.OpportunityLineItems?.records.length ?? 0;
      if (r.records.length !== OPPORTUNITIES || records !== expectedRecords) {
        throw new Error(`query returned ${r.records.length} opportunities / ${records} records, expected ${OPPORTUNITIES} / ${expectedRecords}`);
      }
      if (byId.size === 0) for (const o of r.records) byId.set(o.Id, o);
      pages = r.pages;
      bytes = client.bytes - bytesBefore;
      firstPage.push(r.firstPageSeconds);
      return records;
    },
  };

  // Baseline: N+1 over HTTP, on a sample spread over the data (runs after queryMore's warm-up,
  // whose result it is compared with).
  const stride = Math.max(1, Math.floor(OPPORTUNITIES / ((RUNS + 1) * BASELINE_READ_OPPORTUNITIES_PER_RUN)));
  const regions = new Map<string, string | null>();
  let compared = 0;
  let requests = 0;
  const nPlusOne: Case = {
    name: 'baseline: N+1 (GET opportunity + query its lines, per opp)',
    unit: 'records',
    warmups: 1,
    async run(k) {
      ctx.sql?.use('N+1');
      const before = client.requests;
      let records = 0;
      for (let i = 0; i < BASELINE_READ_OPPORTUNITIES_PER_RUN; i++) {
        const id = data.opportunityIds[((k * BASELINE_READ_OPPORTUNITIES_PER_RUN + i) * stride) % OPPORTUNITIES]!;
        const opp = await client.send<{ Id: string; Name: string; CloseDate: string; AccountId: string | null }>(
          'GET',
          `${client.base}/sobjects/Opportunity/${id}?fields=Id,Name,CloseDate,AccountId`,
        );
        let region: string | null = null;
        if (opp.AccountId) {
          if (!regions.has(opp.AccountId)) {
            const a = await client.send<{ Region__c: string | null }>('GET', `${client.base}/sobjects/Account/${opp.AccountId}?fields=Region__c`);
            regions.set(opp.AccountId, a.Region__c);
          }
          region = regions.get(opp.AccountId) ?? null;
        }
        const lines = await client.queryAll<LineRecord>(
          `SELECT Id, Quantity, UnitPrice, PricebookEntryId FROM OpportunityLineItem WHERE OpportunityId = '${id}'`,
        );
        records += 1 + lines.records.length;
        // Both paths must hand the client the same data, or the ratio compares different work.
        const q = byId.get(id);
        if (!q) throw new Error(`opportunity ${id} missing from the query result`);
        const fromQuery = digest({ ...q, region: q.Account?.Region__c ?? null, lines: q.OpportunityLineItems?.records ?? [] });
        const fromNPlusOne = digest({ ...opp, region, lines: lines.records });
        if (fromQuery !== fromNPlusOne) throw new Error(`N+1 and queryMore disagree on ${id}:\n  ${fromNPlusOne}\n  ${fromQuery}`);
        compared++;
      }
      requests += client.requests - before;
      return records;
    },
  };

  const [q, baseline] = (await measureInterleaved(RUNS, [queryMore, nPlusOne])) as [Measurement, Measurement];
  console.log(
    `    queryMore: ${pages} pages per read, ${(bytes / 1e6).toFixed(1)} MB JSON; the first page (the server runs the whole query, ` +
      `then pages from its cursor) takes ${ms(Math.min(...firstPage))} best`,
  );
  console.log(
    `    N+1: ${(requests / ((RUNS + 1) * BASELINE_READ_OPPORTUNITIES_PER_RUN)).toFixed(2)} requests per opportunity; ` +
      `${compared} opportunities compared field by field with the queryMore result: equal`,
  );
  ctx.sql?.report('queryMore', (RUNS + 1) * expectedRecords, 'record');
  ctx.sql?.report('N+1', (RUNS + 1) * BASELINE_READ_OPPORTUNITIES_PER_RUN * (1 + LINES_PER_OPPORTUNITY), 'record');

  const queryRecordsPerSec = perSecond(q);
  const baselineQueryRecordsPerSec = perSecond(baseline);
  console.log(
    `  → queryMore ${rate(queryRecordsPerSec, 'records')} = ${rate(OPPORTUNITIES / q.best, 'opportunities')}; ` +
      `${(queryRecordsPerSec / baselineQueryRecordsPerSec).toFixed(1)}× the N+1 baseline\n`,
  );
  return {
    queryRecordsPerSec,
    queryOpportunitiesPerSec: OPPORTUNITIES / q.best,
    baselineQueryRecordsPerSec,
  };
}

// ---------------------------------------------------------------------------------------------
// Writes: composite graphs vs one POST per record

interface GraphResponse {
  graphs: { graphId: string; isSuccessful: boolean; graphResponse: { compositeResponse: { httpStatusCode: number; body: unknown }[] } }[];
}

async function benchGraphs(ctx: Context) {
  const { client, data } = ctx;
  let next = 0; // next opportunity to quote; every graph and baseline record takes a fresh one
  let quotes = 0;
  let quoteLines = 0;

  /** Posts one request of `graphs` graphs of 1 quote + `lines` lines; resolves to the nodes written. */
  const postGraphs = async (graphs: number, lines: number): Promise<number> => {
    const payload = { graphs: Array.from({ length: graphs }, () => quoteGraph(data, client.base, next++, lines)) };
    const r = await client.send<GraphResponse>('POST', `${client.base}/composite/graph`, payload, 200);
    const failed = r.graphs.find((g) => !g.isSuccessful);
    if (failed) throw new Error(`graph ${failed.graphId} failed: ${JSON.stringify(failed.graphResponse.compositeResponse[0]?.body).slice(0, 300)}`);
    const nodes = r.graphs.reduce((n, g) => n + g.graphResponse.compositeResponse.length, 0);
    if (nodes !== graphs * (1 + lines)) throw new Error(`graph request answered ${nodes} nodes, sent ${graphs * (1 + lines)}`);
    quotes += graphs;
    quoteLines += graphs * lines;
    return nodes;
  };

  const perRequest = GRAPHS_PER_REQUEST * (1 + QUOTE_LINES);
  console.log(`graphs: 1 Quote + ${QUOTE_LINES} QuoteLineItems per graph (@{quote.id}), ${GRAPHS_PER_REQUEST} graphs = ${perRequest} nodes per request`);
  const sequentialGraphs: Case = {
    name: `composite graph, ${GRAPH_REQUESTS_PER_RUN} requests × ${perRequest} nodes, sequential`,
    unit: 'nodes',
    warmups: 1,
    async run() {
      ctx.sql?.use('graphs');
      let nodes = 0;
      for (let i = 0; i < GRAPH_REQUESTS_PER_RUN; i++) nodes += await postGraphs(GRAPHS_PER_REQUEST, QUOTE_LINES);
      return nodes;
    },
  };
  // Baseline: the same records, one POST /sobjects/<type> each (a line needs its quote's id).
  const singlePosts: Case = {
    name: 'baseline: one POST /sobjects/<type> per record, sequential',
    unit: 'records',
    warmups: 1,
    async run() {
      ctx.sql?.use('single POSTs');
      let records = 0;
      for (let i = 0; i < BASELINE_WRITE_OPPORTUNITIES_PER_RUN; i++) {
        const n = next++;
        const q = await client.send<{ id: string; success: boolean }>('POST', `${client.base}/sobjects/Quote`, quoteBody(data, n));
        for (let l = 0; l < QUOTE_LINES; l++) {
          await client.send('POST', `${client.base}/sobjects/QuoteLineItem`, quoteLineBody(data, n, l, q.id));
        }
        records += 1 + QUOTE_LINES;
        quotes++;
        quoteLines += QUOTE_LINES;
      }
      return records;
    },
  };
  const [sequential, baseline] = (await measureInterleaved(RUNS, [sequentialGraphs, singlePosts])) as [Measurement, Measurement];
  console.log(
    `    ${ms(sequential.best / GRAPH_REQUESTS_PER_RUN)} per graph request, ${((1000 * sequential.best) / sequential.items).toFixed(2)} ms per node; ` +
      `${((1000 * baseline.best) / baseline.items).toFixed(2)} ms per single POST`,
  );
  ctx.sql?.report('graphs', (RUNS + 1) * sequential.items, 'node', 12);
  ctx.sql?.report('single POSTs', (RUNS + 1) * baseline.items, 'record');

  const concurrent = await measure(
    `composite graph, ${CONCURRENCY} requests × ${perRequest} nodes, ${CONCURRENCY} in flight`,
    { warmups: 0, runs: RUNS, unit: 'nodes' },
    async () => {
      const nodes = await runConcurrently(
        Array.from({ length: CONCURRENCY }, () => () => postGraphs(GRAPHS_PER_REQUEST, QUOTE_LINES)),
        CONCURRENCY,
      );
      return nodes.reduce((a, b) => a + b, 0);
    },
  );

  // Full payloads: as many nodes as one request may carry.
  const wideLines = 6;
  const wideGraphs = Math.min(GRAPHS_PER_REQUEST, Math.floor(500 / (1 + wideLines)));
  const wide = await measure(
    `composite graph, 1 request × ${wideGraphs} graphs × ${1 + wideLines} nodes (${wideGraphs * (1 + wideLines)})`,
    { warmups: 0, runs: RUNS, unit: 'nodes' },
    () => postGraphs(wideGraphs, wideLines),
  );
  const single = await measure(
    'composite graph, 1 request × 1 graph × 500 nodes',
    { warmups: 0, runs: RUNS, unit: 'nodes' },
    () => postGraphs(1, 499),
  );

  // Every write the benchmark made is in the database, and nothing else was.
  const count = async (table: string) =>
    Number((await ctx.org.runtime.db.query<{ n: number }>(`SELECT count(*) AS n FROM "${table}" WHERE NOT "IsDeleted"`)).rows[0]?.n);
  const [storedQuotes, storedLines] = [await count('Quote'), await count('QuoteLineItem')];
  if (storedQuotes !== quotes || storedLines !== quoteLines) {
    throw new Error(`stored ${storedQuotes} quotes / ${storedLines} lines, the benchmark wrote ${quotes} / ${quoteLines}`);
  }
  console.log(`    verified: ${quotes.toLocaleString('en-US')} quotes and ${quoteLines.toLocaleString('en-US')} quote lines stored, as written`);

  const graphNodesPerSec = perSecond(sequential);
  const baselineWriteRecordsPerSec = perSecond(baseline);
  console.log(
    `  → graphs ${rate(graphNodesPerSec, 'nodes')} sequential, ${rate(perSecond(concurrent), 'nodes')} with ${CONCURRENCY} in flight, ` +
      `${rate(perSecond(wide), 'nodes')} in ~500-node payloads, ${rate(perSecond(single), 'nodes')} as one 500-node graph; ` +
      `${(graphNodesPerSec / baselineWriteRecordsPerSec).toFixed(1)}× one POST per record\n`,
  );
  return { graphNodesPerSec, graphNodesPerSecConcurrent: perSecond(concurrent), baselineWriteRecordsPerSec };
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const start = performance.now();
  console.log(
    `local-org bench: ${OPPORTUNITIES.toLocaleString('en-US')} opportunities × ${LINES_PER_OPPORTUNITY} line items, ` +
      `startLocalOrg over HTTP on 127.0.0.1, PGlite in memory, no latency injection`,
  );
  console.log(`node ${process.versions.node}, ${availableParallelism()} CPUs, ${RUNS} timed runs per measurement after warm-up, best run counts\n`);

  let t = performance.now();
  const org = await startLocalOrg({ seed: 'demo', streaming: { connectTimeoutMs: CDC_CONNECT_TIMEOUT_MS } });
  const deadline = setTimeout(() => {
    console.error(`local-org bench: still running after ${DEADLINE_MS / 1000} s, giving up`);
    void org.stop().finally(() => process.exit(1));
  }, DEADLINE_MS);
  let figures: Record<string, string | number>;
  try {
    console.log(`  org started in ${ms((performance.now() - t) / 1000)}`);
    t = performance.now();
    const data = await seedOpportunities(org, OPPORTUNITIES, LINES_PER_OPPORTUNITY);
    const seeded = OPPORTUNITIES * (1 + LINES_PER_OPPORTUNITY);
    const seedSeconds = (performance.now() - t) / 1000;
    console.log(`  seeded ${seeded.toLocaleString('en-US')} records through the record store in ${ms(seedSeconds)} (${rate(seeded / seedSeconds, 'records')})\n`);

    const ctx: Context = {
      org,
      client: new RestClient(org),
      data,
      sql: process.env['BENCH_SQL_PROFILE'] === '1' ? profileSql(org.runtime.db) : undefined,
    };
    const query = await benchQuery(ctx);
    const graphs = await benchGraphs(ctx);
    const bulk = await benchBulkIngest(ctx);
    // Last: it resets the org before each of its runs.
    const cdc = await benchCdc(ctx);

    figures = {
      bench: 'local-org',
      queryRecordsPerSec: Math.round(query.queryRecordsPerSec),
      queryOpportunitiesPerSec: Math.round(query.queryOpportunitiesPerSec),
      graphNodesPerSec: Math.round(graphs.graphNodesPerSec),
      graphNodesPerSecConcurrent: Math.round(graphs.graphNodesPerSecConcurrent),
      baselineQueryRecordsPerSec: Math.round(query.baselineQueryRecordsPerSec),
      baselineWriteRecordsPerSec: Math.round(graphs.baselineWriteRecordsPerSec),
      queryRatio: Math.round((query.queryRecordsPerSec / query.baselineQueryRecordsPerSec) * 10) / 10,
      writeRatio: Math.round((graphs.graphNodesPerSec / graphs.baselineWriteRecordsPerSec) * 10) / 10,
      bulkIngestRecordsPerSec: Math.round(bulk.bulkIngestRecordsPerSec),
      baselineBulkRecordsPerSec: Math.round(bulk.baselineBulkRecordsPerSec),
      bulkRatio: Math.round((bulk.bulkIngestRecordsPerSec / bulk.baselineBulkRecordsPerSec) * 10) / 10,
      bulkRecordsMeasured: bulk.bulkRecordsMeasured,
      cdcEventsPerSec: Math.round(cdc.cdcEventsPerSec),
      cdcReplayEventsPerSec: Math.round(cdc.cdcReplayEventsPerSec),
      cdcWriteOnlyRecordsPerSec: Math.round(cdc.cdcWriteOnlyRecordsPerSec),
    };
    console.log(
      '  baselines: reads = N+1 over HTTP (GET each opportunity + one query for its lines); ' +
        'writes = one POST /sobjects/<type> per record; bulk = sObject Collections (200 per call, sequential); ' +
        'cdc = the same creates with no subscriber; ratios = figure / baseline',
    );
    console.log(`  ${ctx.client.requests.toLocaleString('en-US')} HTTP requests in all, ${((performance.now() - start) / 1000).toFixed(0)} s`);
  } finally {
    clearTimeout(deadline);
    await org.stop();
  }
  // The org is stopped: what still holds the event loop now (a client that keeps reconnecting, a
  // socket left open) was leaked by a section, and must not keep `pnpm bench` from ending. Said
  // before the figures, so that they stay the last line.
  await new Promise((resolve) => setTimeout(resolve, 200)); // sockets the server closed finish closing
  const open = process.getActiveResourcesInfo().filter((r) => /^(TCPSocketWrap|TCPServerWrap|Timeout)$/.test(r));
  if (open.length > 0) console.error(`local-org bench: still open after the org stopped (exiting anyway): ${open.join(', ')}`);
  console.log(JSON.stringify(figures));
  if (open.length > 0) setTimeout(() => process.exit(), 1_000).unref();
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
  // The org was stopped on the way out; nothing a failed section left open may keep the process up.
  setTimeout(() => process.exit(), 1_000).unref();
});
