#!/usr/bin/env node
/**
 * `pnpm simulate`: a fleet of simulated cars publishing telemetry to the broker as real MQTT
 * clients. Vehicles come from a token file (`--token-file`, JSON {VIN: token}) or are provisioned
 * through the server's /admin API (token from --admin-token, ADMIN_TOKEN or ADMIN_TOKEN_FILE).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { cliEnv } from '../config.js';
import { Simulator, fleet } from '../services/simulator.js';

const HELP = `Usage: pnpm simulate [options]

  --cars <n>             number of cars (default 10)
  --interval-ms <ms>     time between two readings of one car; 0 = as fast as acks allow (default 1000)
  --duration <s>         stop after this many seconds (default: until Ctrl-C)
  --messages <n>         stop each car after n readings
  --anomaly-rate <p>     share of cars whose battery drains 4 times faster, 0..1 (default 0.05)
  --seed <n>             same seed, same fleet and readings (default 1)
  --qos <0|1>            MQTT QoS of telemetry (default 1)
  --broker <url>         mqtt://host:port or ws://host:port/mqtt (default mqtt://127.0.0.1:$MQTT_PORT)
  --token-file <path>    JSON {"VIN": "token"}; missing vehicles are provisioned and added to it
  --admin-url <url>      server for provisioning (default http://127.0.0.1:$PORT)
  --admin-token <t>      /admin bearer token (default $ADMIN_TOKEN, else the file $ADMIN_TOKEN_FILE)
  -h, --help             this help
`;

class UsageError extends Error {}

function num(name: string, v: string | undefined, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isFinite(n) || n < min || n > max) throw new UsageError(`--${name} must be a number between ${min} and ${max}, got ${JSON.stringify(v)}`);
  return n;
}

async function provision(adminUrl: string, token: string, vins: string[], onProgress: (n: number) => void): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const queue = [...vins];
  const worker = async () => {
    for (let vin = queue.shift(); vin; vin = queue.shift()) {
      const res = await fetch(`${adminUrl}/admin/vehicles`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ vin }) });
      if (res.status === 409) throw new UsageError(`${vin} is already provisioned but not in the token file: revoke it (iot-realtime vehicles revoke ${vin}) or pass the token file that holds it`);
      if (!res.ok) throw new Error(`provisioning ${vin} failed: HTTP ${res.status} ${await res.text()}`);
      out.set(vin, ((await res.json()) as { token: string }).token);
      onProgress(out.size);
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return out;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: {
      cars: { type: 'string' },
      'interval-ms': { type: 'string' },
      duration: { type: 'string' },
      messages: { type: 'string' },
      'anomaly-rate': { type: 'string' },
      seed: { type: 'string' },
      qos: { type: 'string' },
      broker: { type: 'string' },
      'token-file': { type: 'string' },
      'admin-url': { type: 'string' },
      'admin-token': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return;
  }
  const env = cliEnv();
  const cars = num('cars', values.cars, 10, 1, 100_000);
  const seed = num('seed', values.seed, 1, 0, 2 ** 32 - 1);
  const anomalyRate = num('anomaly-rate', values['anomaly-rate'], 0.05, 0, 1);
  const qos = num('qos', values.qos, 1, 0, 1) as 0 | 1;
  const brokerUrl = values.broker ?? `mqtt://127.0.0.1:${env.mqttPort}`;
  const vins = fleet(cars, seed, anomalyRate).map((c) => c.vin);

  const tokenFile = values['token-file'];
  const tokens = new Map<string, string>(tokenFile && existsSync(tokenFile) ? Object.entries(JSON.parse(readFileSync(tokenFile, 'utf8')) as Record<string, string>) : []);
  const missing = vins.filter((v) => !tokens.has(v));
  if (missing.length > 0) {
    const adminUrl = values['admin-url'] ?? `http://127.0.0.1:${env.port}`;
    let adminToken = values['admin-token'] ?? env.adminToken;
    if (!adminToken && existsSync(env.adminTokenFile)) adminToken = readFileSync(env.adminTokenFile, 'utf8').trim();
    if (!adminToken) throw new UsageError(`${missing.length} vehicles need tokens: pass --token-file, or --admin-token / ADMIN_TOKEN (or start the server locally so it writes ${env.adminTokenFile})`);
    process.stderr.write(`provisioning ${missing.length} vehicles through ${adminUrl}/admin …\n`);
    const fresh = await provision(adminUrl, adminToken, missing, (n) => {
      if (process.stderr.isTTY) process.stderr.write(`\r  ${n}/${missing.length}`);
    });
    if (process.stderr.isTTY) process.stderr.write('\n');
    for (const [vin, t] of fresh) tokens.set(vin, t);
    if (tokenFile) {
      mkdirSync(dirname(tokenFile), { recursive: true });
      writeFileSync(tokenFile, JSON.stringify(Object.fromEntries(tokens), null, 2), { mode: 0o600 });
      process.stderr.write(`tokens saved to ${tokenFile}\n`);
    }
  }

  const sim = new Simulator({
    brokerUrl,
    cars,
    intervalMs: num('interval-ms', values['interval-ms'], 1000, 0),
    ...(values.duration !== undefined ? { durationS: num('duration', values.duration, 0, 0) } : {}),
    ...(values.messages !== undefined ? { messagesPerCar: num('messages', values.messages, 0, 1) } : {}),
    anomalyRate,
    seed,
    qos,
    tokens,
  });
  let lastErr = '';
  sim.on('carError', (vin, err) => (lastErr = `${vin}: ${err.message}`));
  let lastSent = 0;
  let lastAt = Date.now();
  const live = setInterval(() => {
    const s = sim.stats;
    const now = Date.now();
    const rate = Math.round(((s.sent - lastSent) * 1000) / Math.max(1, now - lastAt));
    lastSent = s.sent;
    lastAt = now;
    const line = `connected ${s.connected}/${s.cars} | ${rate} msg/s | sent ${s.sent} | acked ${s.acked} | errors ${s.errors}${lastErr ? ` (last: ${lastErr})` : ''}`;
    if (process.stderr.isTTY) process.stderr.write(`\r\x1b[2K${line}`);
    else process.stderr.write(`${line}\n`);
  }, 1000);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void sim.stop());
  process.stderr.write(`simulating ${cars} cars (${sim.stats.anomalous.length} anomalous) against ${brokerUrl}, seed ${seed}\n`);
  const stats = await sim.run();
  clearInterval(live);
  if (process.stderr.isTTY) process.stderr.write('\n');
  const secs = stats.elapsedMs / 1000;
  process.stdout.write(
    `summary: ${stats.cars} cars, ${stats.connected} connected, ${stats.sent} sent, ${stats.acked} acknowledged, ${stats.errors} errors in ${secs.toFixed(1)} s (${Math.round(stats.acked / Math.max(secs, 0.001))} msg/s)\n` +
      (stats.anomalous.length ? `anomalous (fast battery drain): ${stats.anomalous.join(', ')}\n` : ''),
  );
  process.exitCode = stats.errors > 0 && stats.acked === 0 ? 1 : 0;
}

main().catch((err: unknown) => {
  process.stderr.write(`simulate: ${err instanceof Error ? err.message : String(err)}\n`);
  if (err instanceof UsageError || (err instanceof TypeError && 'code' in err)) process.stderr.write('Run pnpm simulate --help for usage.\n');
  process.exit(err instanceof UsageError ? 2 : 1);
});
