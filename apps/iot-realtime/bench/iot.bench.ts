/**
 * `pnpm --filter @ecars/iot-realtime bench`: in one run, on loopback, with the same publisher tool
 * and message (bench/load.ts, a ~300-byte telemetry JSON):
 *
 * 1. Mosquitto (the machine's `mosquitto`, started here on a free port; skipped with a reason if
 *    absent): pub→sub msgs/s at QoS 0 and QoS 1.
 * 2. This project's broker with authentication, ACL and validation: the same.
 * 3. The full pipeline (auth, validation, in-process event log, batched persistence on
 *    PostgreSQL, a subscriber): sustained msgs/s until the last row is committed, lost = messages
 *    acknowledged − rows in the database; then p50/p99 publish→subscriber latency at a fixed
 *    offered load of a quarter of Mosquitto's QoS 0 rate from 1,000 simulated cars.
 * 4. Persistence alone: rows/s batched (COPY + staging + ON CONFLICT) vs one INSERT per row.
 *
 * Last line: {"bench":"iot","mosquittoQos0":…,"mosquittoQos1":…,"brokerQos0":…,"brokerQos1":…,
 * "pipelineMsgsPerSec":…,"offeredMsgsPerSec":…,"p50Ms":…,"p99Ms":…,"persistRowsPerSec":…,
 * "persistBaselineRowsPerSec":…,"lost":0}
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import pg from 'pg';
import { sampleTelemetry, topics } from '@ecars/telemetry';
import { cliEnv } from '../src/config.js';
import { openDatabase, type Database } from '../src/db/database.js';
import { CredentialStore } from '../src/services/credentials.js';
import { fleet } from '../src/services/simulator.js';
import { TelemetryWriter } from '../src/sinks/telemetry-writer.js';
import { fixedLoad, pubSub, rawConnect, type Endpoint } from './load.js';

const PG_URL = cliEnv().databaseUrl ?? 'postgres://postgres@127.0.0.1:5432/test';
const PUBLISHERS = 10;
const QOS0_MESSAGES = 60_000;
const QOS1_MESSAGES = 30_000;
const PIPELINE_MESSAGES = 40_000;
const LATENCY_CARS = 1000;
const LATENCY_SECONDS = 5;
const PERSIST_ROWS = 100_000;
const BASELINE_ROWS = 3000;
const SCHEMA = `bench_iot_${process.pid}`;
const APP_DIR = fileURLToPath(new URL('..', import.meta.url));

const log = (s: string) => process.stderr.write(`${s}\n`);

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => (typeof a === 'object' && a ? resolve(a.port) : reject(new Error('no port'))));
    });
  });
}

async function startMosquitto(): Promise<{ port: number; stop: () => Promise<void> } | string> {
  const probe = spawnSync('mosquitto', ['-h']);
  if (probe.error) return `mosquitto is not installed (${probe.error.message}); apt-get install mosquitto`;
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'bench-mosquitto-'));
  const conf = join(dir, 'mosquitto.conf');
  // Defaults otherwise; unlimited queues so QoS 1 measures throughput, not a queue cap.
  writeFileSync(conf, `listener ${port} 127.0.0.1\nallow_anonymous true\npersistence false\nmax_queued_messages 0\nmax_inflight_messages 0\nlog_dest none\n`);
  const child: ChildProcess = spawn('mosquitto', ['-c', conf], { stdio: 'ignore' });
  for (let i = 0; i < 50; i++) {
    const ok = await rawConnect(port, 'bench-probe', {}).then(
      (c) => (c.destroy(), true),
      () => false,
    );
    if (ok) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    port,
    stop: async () => {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Starts bench/serve.ts in its own process; resolves with its MQTT port and a stop function. */
function serve(mode: 'broker' | 'pipeline', schema: string): Promise<{ port: number; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, ['--conditions=@ecars/source', '--import', 'tsx', 'bench/serve.ts', mode, PG_URL, schema], { cwd: APP_DIR, stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise((r) => child.once('exit', r));
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /\{"port":(\d+)\}/.exec(out);
      if (m) resolve({ port: Number(m[1]), stop: async () => (child.kill('SIGTERM'), void (await exited)) });
    });
    void exited.then(() => reject(new Error(`bench/serve.ts ${mode} exited before it was ready`)));
  });
}

async function provision(store: CredentialStore, n: number, seed: number) {
  const cars = fleet(n, seed, 0);
  const tokens = new Map<string, string>();
  for (let i = 0; i < cars.length; i += 50) {
    await Promise.all(cars.slice(i, i + 50).map(async (c) => tokens.set(c.vin, await store.addVehicle(c.vin))));
  }
  return { vins: cars.map((c) => c.vin), tokens };
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const round1 = (x: number) => Math.round(x * 10) / 10;

async function brokerOnly(db: Database): Promise<{ q0: number; q1: number }> {
  const store = new CredentialStore(db);
  const { vins, tokens } = await provision(store, PUBLISHERS, 101);
  const subToken = await store.addServiceUser('bench-sub', { subscribe: [topics.allTelemetry] });
  const broker = await serve('broker', db.schema);
  const ep: Endpoint = {
    port: broker.port,
    publisher: (i) => ({ vin: vins[i]!, username: vins[i]!, password: tokens.get(vins[i]!)! }),
    subscriber: { username: 'bench-sub', password: subToken },
  };
  try {
    await pubSub(ep, 0, 5000, PUBLISHERS, 0); // warm-up
    const q0 = await pubSub(ep, 0, QOS0_MESSAGES, PUBLISHERS, 1_000_000);
    log(`broker (auth+ACL+validation) QoS 0: ${q0.msgsPerSec} msgs/s (${q0.received}/${q0.sent} in ${q0.elapsedMs} ms)`);
    const q1 = await pubSub(ep, 1, QOS1_MESSAGES, PUBLISHERS, 2_000_000);
    log(`broker (auth+ACL+validation) QoS 1: ${q1.msgsPerSec} msgs/s (${q1.received}/${q1.sent} in ${q1.elapsedMs} ms)`);
    return { q0: q0.msgsPerSec, q1: q1.msgsPerSec };
  } finally {
    await broker.stop();
  }
}

async function pipeline(offered: number): Promise<{ msgsPerSec: number; lost: number; p50: number; p99: number; offered: number }> {
  const schema = `${SCHEMA}_pipe`;
  const db = await openDatabase({ url: PG_URL, schema, poolSize: 2 });
  await db.migrate();
  const server = await serve('pipeline', schema);
  const count = async () => (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM telemetry'))[0]!.n;
  try {
    const store = new CredentialStore(db);
    const port = server.port;
    const subToken = await store.addServiceUser('bench-sub', { subscribe: [topics.allTelemetry] });

    // Sustained throughput: QoS 1 (every message acknowledged), until the last row is committed.
    const { vins, tokens } = await provision(store, PUBLISHERS, 202);
    const ep: Endpoint = { port, publisher: (i) => ({ vin: vins[i]!, username: vins[i]!, password: tokens.get(vins[i]!)! }), subscriber: { username: 'bench-sub', password: subToken } };
    const t0 = performance.now();
    const r = await pubSub(ep, 1, PIPELINE_MESSAGES, PUBLISHERS, 0);
    for (let i = 0; i < 600 && (await count()) < r.sent; i++) await new Promise((res) => setTimeout(res, 50));
    const elapsed = performance.now() - t0;
    const rows = await count();
    const lost = r.sent - rows;
    const msgsPerSec = Math.round((rows * 1000) / elapsed);
    log(`pipeline QoS 1 with persistence: ${msgsPerSec} msgs/s sustained (${rows} rows for ${r.sent} acknowledged, ${r.received} delivered to the subscriber)`);

    // Latency at a fixed offered load from 1,000 cars (QoS 0), measured publish → subscriber.
    const cars = await provision(store, LATENCY_CARS, 303);
    const before = await count();
    const lat = await fixedLoad(port, cars.vins.map((vin) => ({ vin, username: vin, password: cars.tokens.get(vin)! })), { username: 'bench-sub', password: subToken }, offered, LATENCY_SECONDS, 5_000_000);
    const latencyRows = async () => (await count()) - before;
    for (let i = 0; i < 400 && (await latencyRows()) < lat.sent; i++) await new Promise((res) => setTimeout(res, 50));
    const dropped = lat.sent - (await latencyRows());
    const p50 = round1(percentile(lat.latencies, 50));
    const p99 = round1(percentile(lat.latencies, 99));
    log(`latency at ${offered} msgs/s offered from ${LATENCY_CARS} cars (QoS 0): p50 ${p50} ms, p99 ${p99} ms; ${lat.received}/${lat.sent} delivered, ${lat.sent - dropped}/${lat.sent} persisted`);
    return { msgsPerSec, lost: lost + Math.max(0, dropped), p50, p99, offered };
  } finally {
    await server.stop();
    await db.close();
    await dropSchema(schema);
  }
}

async function persistence(): Promise<{ batched: number; baseline: number }> {
  const schema = `${SCHEMA}_persist`;
  const db = await openDatabase({ url: PG_URL, schema, poolSize: 2 });
  try {
    await db.migrate();
    const writer = new TelemetryWriter(db);
    const vins = fleet(100, 404, 0).map((c) => c.vin);
    const rows = (n: number, base: number) => Array.from({ length: n }, (_, i) => sampleTelemetry({ vin: vins[i % 100]!, seq: base + Math.floor(i / 100), ts: Date.now() }));
    await writer.write(rows(2000, 10_000_000)); // warm-up
    const data = rows(PERSIST_ROWS, 0);
    let t = performance.now();
    for (let i = 0; i < data.length; i += 5000) await writer.write(data.slice(i, i + 5000));
    const batched = Math.round((PERSIST_ROWS * 1000) / (performance.now() - t));
    const base = rows(BASELINE_ROWS, 20_000_000);
    t = performance.now();
    await writer.writeRowByRow(base);
    const baseline = Math.round((BASELINE_ROWS * 1000) / (performance.now() - t));
    log(`persistence alone: ${batched} rows/s batched (COPY + staging, 5,000 per transaction) vs ${baseline} rows/s one INSERT per row (${round1(batched / baseline)}×)`);
    return { batched, baseline };
  } finally {
    await db.close();
    await dropSchema(schema);
  }
}

async function dropSchema(schema: string): Promise<void> {
  const c = new pg.Client({ connectionString: PG_URL });
  await c.connect();
  await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await c.end();
}

async function main(): Promise<void> {
  let mosquittoQos0: number | null = null;
  let mosquittoQos1: number | null = null;
  const m = await startMosquitto();
  if (typeof m === 'string') log(`mosquitto skipped: ${m}`);
  else {
    try {
      const ep: Endpoint = { port: m.port, publisher: (i) => ({ vin: fleet(PUBLISHERS, 101, 0)[i]!.vin }), subscriber: {} };
      await pubSub(ep, 0, 5000, PUBLISHERS, 0);
      const q0 = await pubSub(ep, 0, QOS0_MESSAGES, PUBLISHERS, 1_000_000);
      log(`mosquitto QoS 0: ${q0.msgsPerSec} msgs/s (${q0.received}/${q0.sent} in ${q0.elapsedMs} ms)`);
      const q1 = await pubSub(ep, 1, QOS1_MESSAGES, PUBLISHERS, 2_000_000);
      log(`mosquitto QoS 1: ${q1.msgsPerSec} msgs/s (${q1.received}/${q1.sent} in ${q1.elapsedMs} ms)`);
      mosquittoQos0 = q0.msgsPerSec;
      mosquittoQos1 = q1.msgsPerSec;
    } finally {
      await m.stop();
    }
  }

  const db = await openDatabase({ url: PG_URL, schema: `${SCHEMA}_broker`, poolSize: 4 });
  let broker: { q0: number; q1: number };
  try {
    await db.migrate();
    broker = await brokerOnly(db);
  } finally {
    await db.close();
    await dropSchema(`${SCHEMA}_broker`);
  }
  const offered = Math.max(100, Math.round((mosquittoQos0 ?? broker.q0) / 4));
  const pipe = await pipeline(offered);
  const persist = await persistence();
  if (mosquittoQos0) {
    log(`ratios: broker/mosquitto QoS 0 ${round1(broker.q0 / mosquittoQos0)}× (target ≥ 0.5), pipeline/mosquitto QoS 0 ${round1(pipe.msgsPerSec / mosquittoQos0)}× (target ≥ 0.4), persistence ${round1(persist.batched / persist.baseline)}× (target ≥ 50), p99 ${pipe.p99} ms (target ≤ 50)`);
  }
  process.stdout.write(
    `${JSON.stringify({
      bench: 'iot',
      mosquittoQos0,
      mosquittoQos1,
      brokerQos0: broker.q0,
      brokerQos1: broker.q1,
      pipelineMsgsPerSec: pipe.msgsPerSec,
      offeredMsgsPerSec: pipe.offered,
      p50Ms: pipe.p50,
      p99Ms: pipe.p99,
      persistRowsPerSec: persist.batched,
      persistBaselineRowsPerSec: persist.baseline,
      lost: pipe.lost,
    })}\n`,
  );
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
