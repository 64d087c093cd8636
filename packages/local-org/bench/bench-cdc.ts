/**
 * The benchmark's Change Data Capture section: Vehicle__c creates (CDC-enabled in force-app)
 * committed through sObject Collections (200 per call, sequential), their change events delivered
 * over HTTP long polling to a jsforce CometD subscriber on `/data/Vehicle__ChangeEvent`.
 *
 * - live: a subscriber connects (untimed), then N vehicles are created; timed from the first write
 *   until the subscriber has received all N events, checked: every record once, in commit order,
 *   replay ids strictly increasing.
 * - baseline: the same N creates with no subscriber at all (writes alone). Polling with SOQL would
 *   measure something else (a query's latency); what a live subscriber costs is the difference.
 * - replay: afterwards new subscribers with replay `-2` receive the committed events (the demo
 *   seed's and the last live run's, checked to carry the same replay ids and records), timed from
 *   the handshake to the last event.
 *
 * Every baseline and live run starts from a freshly reset org (`LocalOrg.reset()`: tables emptied,
 * demo seed reloaded, replay ids from 1), alternating, so both kinds write into the same table
 * sizes. It wipes what earlier sections wrote: this section runs last.
 */
import type { Context } from './bench-context.js';
import { cdcVehicle } from './bench-data.js';
import { CometdSubscriber, type ChangeEventData } from './cometd-subscriber.js';
import { measure, median, ms, perSecond, rate, type Measurement } from './measure.js';

/** Connect timeout of the benchmark org (`advice.timeout`): idle long polls and disconnects end in seconds, not 110 s. */
export const CDC_CONNECT_TIMEOUT_MS = 2_000;
const CDC_EVENTS = Number(process.env['BENCH_CDC_EVENTS'] ?? 5_000);
const CDC_RUNS = Math.max(1, Number(process.env['BENCH_CDC_RUNS'] ?? 3));
const CHANNEL = '/data/Vehicle__ChangeEvent';
/** Salesforce's sObject Collections limit. */
const PER_COLLECTION = 200;
const WARMUP_RECORDS = 1_000;
/** Longest wait for deliveries before the bench fails. */
const WAIT_MS = 60_000;

interface CollectionResult {
  id: string | null;
  success: boolean;
  errors: { statusCode: string; message: string }[];
}

export interface CdcFigures {
  cdcEventsPerSec: number;
  cdcReplayEventsPerSec: number;
  cdcWriteOnlyRecordsPerSec: number;
}

/**
 * Checks that `events` are exactly the CREATE events of the records `ids`, one each, in commit
 * order, with replay ids strictly increasing after `after`.
 */
function checkEvents(label: string, events: ChangeEventData[], ids: string[], after = 0): void {
  if (events.length !== ids.length) throw new Error(`${label}: ${events.length} events for ${ids.length} records`);
  let previous = after;
  for (const [i, e] of events.entries()) {
    const h = e.payload.ChangeEventHeader;
    if (!(e.event.replayId > previous)) throw new Error(`${label}: replay id ${e.event.replayId} after ${previous} (event ${i})`);
    previous = e.event.replayId;
    if (h.changeType !== 'CREATE' || h.recordIds.length !== 1 || h.recordIds[0] !== ids[i]) {
      throw new Error(`${label}: event ${i} is ${h.changeType} of ${h.recordIds.join(',')}, expected CREATE of ${ids[i]}`);
    }
  }
}

/** One timed run: wall time from `start`, and the process's CPU time. */
interface Run {
  start: number;
  seconds: number;
  cpu: number;
}

async function timed(fn: () => Promise<void>): Promise<Run> {
  const start = performance.now();
  const usage = process.cpuUsage();
  await fn();
  const used = process.cpuUsage(usage);
  return { start, seconds: (performance.now() - start) / 1000, cpu: (used.user + used.system) / 1e6 };
}

/** The runs of one case as a {@link Measurement}, printed like `measure` prints its lines. */
function summarize(name: string, unit: string, items: number, runs: Run[]): Measurement {
  const seconds = runs.map((r) => r.seconds);
  const best = Math.min(...seconds);
  const m: Measurement = { items, seconds, best, median: median(seconds), bestCpu: runs[seconds.indexOf(best)]?.cpu ?? 0 };
  console.log(
    `  ${name.padEnd(58)} ${rate(items / m.best, unit)}  (median ${rate(items / m.median, unit)}; ` +
      `${items.toLocaleString('en-US')} per run, best ${ms(m.best)}, CPU ${((100 * m.bestCpu) / m.best).toFixed(0)}%)`,
  );
  return m;
}

export async function benchCdc(ctx: Context): Promise<CdcFigures> {
  const { client, org } = ctx;
  const fmt = (n: number) => n.toLocaleString('en-US');
  let next = 0;
  const open: CometdSubscriber[] = [];
  const subscribe = async (replayId?: number) => {
    const s = await CometdSubscriber.open(org, CHANNEL, replayId);
    open.push(s);
    return s;
  };
  /** Creates `count` fresh vehicles, 200 per collection; resolves to their ids in commit order. */
  const createVehicles = async (count: number): Promise<string[]> => {
    const ids: string[] = [];
    for (let i = 0; i < count; i += PER_COLLECTION) {
      const records = Array.from({ length: Math.min(PER_COLLECTION, count - i) }, () => cdcVehicle(next++));
      const r = await client.send<CollectionResult[]>('POST', `${client.base}/composite/sobjects`, { allOrNone: true, records }, 200);
      const failed = r.find((x) => !x.success || x.id === null);
      if (failed || r.length !== records.length) {
        throw new Error(`collection of ${records.length} answered ${r.length} results: ${JSON.stringify(failed?.errors ?? []).slice(0, 300)}`);
      }
      for (const x of r) ids.push(x.id!);
    }
    return ids;
  };
  /** Resolves once the org knows no subscriber (a closed client's `/meta/disconnect` has arrived). */
  const noSubscriberLeft = async () => {
    const subscribers = () => (org.stats()['streaming'] as { subscribers: number }).subscribers;
    const until = Date.now() + 5 * CDC_CONNECT_TIMEOUT_MS;
    while (subscribers() > 0) {
      if (Date.now() > until) throw new Error(`cdc: ${subscribers()} subscribers still known after every client disconnected`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };

  console.log(
    `cdc: ${fmt(CDC_EVENTS)} Vehicle__c creates per run (sObject Collections of ${PER_COLLECTION}, sequential) → change events on ${CHANNEL} ` +
      `to a jsforce CometD client (long polling, advice.timeout ${CDC_CONNECT_TIMEOUT_MS / 1000} s); ${CDC_RUNS} timed runs, best counts`,
  );
  try {
    // Warm-up of the whole path (writes, change log, delivery, the client), then no subscriber left.
    ctx.sql?.use('CDC warm-up');
    const warm = await subscribe();
    const warmIds = await createVehicles(WARMUP_RECORDS);
    await warm.waitFor(WARMUP_RECORDS, WAIT_MS);
    checkEvents('warm-up', warm.received, warmIds);
    warm.close();
    await noSubscriberLeft();

    // Live and write-only runs alternate (W L W L …), each on a freshly reset org: every create
    // makes later ones slower (Vehicle__c's VIN uniqueness check reads the whole table), so runs
    // on a growing table would favour whichever kind ran first. The subscriber of a live run
    // connects before and disconnects after its timing.
    const writeOnly: Run[] = [];
    const live: (Run & { tail: number })[] = [];
    let lastLive: ChangeEventData[] = [];
    for (let i = 0; i < CDC_RUNS; i++) {
      await org.reset();
      ctx.sql?.use('CDC writes, no subscriber');
      writeOnly.push(await timed(async () => void (await createVehicles(CDC_EVENTS))));

      await org.reset();
      const s = await subscribe();
      ctx.sql?.use('CDC writes + delivery');
      let ids: string[] = [];
      let written = 0;
      const run = await timed(async () => {
        ids = await createVehicles(CDC_EVENTS);
        written = performance.now();
        await s.waitFor(CDC_EVENTS, WAIT_MS);
      });
      live.push({ ...run, tail: run.seconds - (written - run.start) / 1000 });
      s.close();
      await noSubscriberLeft();
      checkEvents(`live run ${i}`, s.received, ids);
      lastLive = s.received;
    }
    const writeOnlyM = summarize(`baseline: ${fmt(CDC_EVENTS)} creates, no subscriber (writes alone)`, 'records', CDC_EVENTS, writeOnly);
    ctx.sql?.report('CDC writes, no subscriber', CDC_RUNS * CDC_EVENTS, 'record');
    const delivered = summarize(`CDC: ${fmt(CDC_EVENTS)} creates → all events at the subscriber`, 'events', CDC_EVENTS, live);
    const best = live[delivered.seconds.indexOf(delivered.best)]!;
    console.log(
      `    best run: writes done after ${ms(best.seconds - best.tail)}, the last event arrived ${ms(best.tail)} later; ` +
        `every run's events complete, each record once, in commit order, replay ids strictly increasing`,
    );
    ctx.sql?.report('CDC writes + delivery', CDC_RUNS * CDC_EVENTS, 'event');

    // Replay: the last live run's events (and the demo seed's), already committed, to new
    // subscribers with -2, each timed from its handshake to the last event.
    const retained = Number(
      (await org.runtime.db.query<{ n: number }>(`SELECT count(*) AS n FROM _change_log WHERE entity = 'Vehicle__c'`)).rows[0]?.n,
    );
    let replay: CometdSubscriber | undefined;
    ctx.sql?.use('CDC replay');
    const replayed = await measure(
      `replay -2: ${fmt(retained)} committed Vehicle__c events to a new subscriber`,
      { warmups: 1, runs: CDC_RUNS, unit: 'events' },
      async () => {
        replay?.close();
        replay = await subscribe(-2);
        await replay.waitFor(retained, WAIT_MS);
        return retained;
      },
    );
    ctx.sql?.report('CDC replay', (CDC_RUNS + 1) * retained, 'event');
    if (!replay || replay.received.length !== retained) throw new Error(`cdc: the replay received ${replay?.received.length ?? 0} of ${retained} events`);
    const tail = replay.received.slice(-lastLive.length);
    if (tail.some((e, i) => e.event.replayId !== lastLive[i]!.event.replayId)) {
      throw new Error("cdc: the replay does not end with the last live run's events under the same replay ids");
    }
    checkEvents('replay', replay.received.slice(-CDC_EVENTS), lastLive.map((e) => e.payload.ChangeEventHeader.recordIds[0]!),
      replay.received[retained - CDC_EVENTS - 1]?.event.replayId ?? 0);
    console.log(
      `    ${fmt(retained)} events (the demo seed's ${fmt(retained - CDC_EVENTS)}, then the last live run's ${fmt(CDC_EVENTS)}: ` +
        `same replay ids and records, same order)`,
    );

    const cdcEventsPerSec = perSecond(delivered);
    const cdcWriteOnlyRecordsPerSec = perSecond(writeOnlyM);
    console.log(
      `  → CDC ${rate(cdcEventsPerSec, 'events')} delivered live (write → received), ${rate(perSecond(replayed), 'events')} replayed; ` +
        `writes alone ${rate(cdcWriteOnlyRecordsPerSec, 'records')}: a live subscriber makes the same work take ` +
        `${((100 * cdcWriteOnlyRecordsPerSec) / cdcEventsPerSec - 100).toFixed(0)}% longer\n`,
    );
    return { cdcEventsPerSec, cdcReplayEventsPerSec: perSecond(replayed), cdcWriteOnlyRecordsPerSec };
  } finally {
    // Until the org has heard every /meta/disconnect: a client whose disconnect met a stopped
    // server would retry it, and keep the process alive.
    for (const s of open) s.close();
    await noSubscriberLeft().catch((e: unknown) => console.error(e));
  }
}
