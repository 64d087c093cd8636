/**
 * Test harness: a private PostgreSQL schema per test (dropped after), an app listening on free
 * ports (MQTT TCP + HTTP/WS), provisioned vehicles, and real `mqtt` clients with timeouts.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import pg from 'pg';
import { buildApp, type AppOptions } from '../../src/app.js';
import { PG_URL } from './env.js';

export function randomSchema(): string {
  return `t_iot_${randomBytes(5).toString('hex')}`;
}

export async function dropSchema(schema: string): Promise<void> {
  const c = new pg.Client({ connectionString: PG_URL });
  await c.connect();
  try {
    await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await c.end();
  }
}

export async function pgQuery<R extends object = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<R[]> {
  const c = new pg.Client({ connectionString: PG_URL });
  await c.connect();
  try {
    return (await c.query(sql, params)).rows as R[];
  } finally {
    await c.end();
  }
}

const VIN_CHARS = 'ABCDEFGHJKLMNPRSTUVWXYZ0123456789';
/** A random valid VIN. */
export function randomVin(): string {
  const b = randomBytes(17);
  return Array.from(b, (x) => VIN_CHARS[x % VIN_CHARS.length]).join('');
}

export interface Running {
  app: FastifyInstance;
  schema: string;
  mqttUrl: string;
  wsUrl: string;
  httpUrl: string;
  close(): Promise<void>;
}

/** Starts the app on free ports with a fresh schema (PostgreSQL unless `database` says otherwise). */
export async function startApp(options: AppOptions = {}, { keepSchema = false }: { keepSchema?: boolean } = {}): Promise<Running> {
  const schema = options.database?.schema ?? randomSchema();
  const app = await buildApp({
    logger: false,
    mqtt: { port: 0, host: '127.0.0.1' },
    ...options,
    database: { url: PG_URL, poolSize: 4, ...options.database, schema },
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  let closed = false;
  return {
    app,
    schema,
    mqttUrl: `mqtt://127.0.0.1:${app.iot.mqttPort}`,
    wsUrl: `ws://127.0.0.1:${port}/mqtt`,
    httpUrl: `http://127.0.0.1:${port}`,
    async close() {
      if (closed) return;
      closed = true;
      await app.close();
      if (!keepSchema && options.database?.pgliteDir === undefined) await dropSchema(schema);
    },
  };
}

/** Connects a real MQTT client; resolves on CONNACK, rejects on refusal or after `timeoutMs`. */
export function connect(url: string, options: IClientOptions = {}, timeoutMs = 5000): Promise<MqttClient> {
  return new Promise((resolve, reject) => {
    const client = mqtt.connect(url, { reconnectPeriod: 0, connectTimeout: timeoutMs, protocolVersion: 4, ...options });
    const timer = setTimeout(() => {
      client.end(true);
      reject(new Error(`no CONNACK from ${url} within ${timeoutMs} ms`));
    }, timeoutMs);
    client.once('connect', () => {
      clearTimeout(timer);
      resolve(client);
    });
    client.once('error', (err) => {
      clearTimeout(timer);
      client.end(true);
      reject(err);
    });
  });
}

/** Resolves when `emitter` emits `event`, rejects after `timeoutMs`. */
export function once<T = unknown>(emitter: { once(event: string, fn: (...args: never[]) => void): unknown }, event: string, timeoutMs = 5000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no '${event}' within ${timeoutMs} ms`)), timeoutMs);
    emitter.once(event, ((...args: unknown[]) => {
      clearTimeout(timer);
      resolve(args[0] as T);
    }) as never);
  });
}

/** Polls `fn` until it returns true; rejects after `timeoutMs` with `what`. */
export async function waitFor(what: string, fn: () => Promise<boolean> | boolean, timeoutMs = 10_000, everyMs = 25): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await fn()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Reads one counter/gauge value (summed over labels matching `labels`) from /metrics. */
export async function metric(app: FastifyInstance, name: string, labels: Record<string, string> = {}): Promise<number> {
  const res = await app.inject({ method: 'GET', url: '/metrics' });
  let sum = 0;
  for (const line of res.body.split('\n')) {
    if (!line.startsWith(name)) continue;
    const m = /^([a-z_]+)(\{[^}]*\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const l = m[2] ?? '';
    if (Object.entries(labels).every(([k, v]) => l.includes(`${k}="${v}"`))) sum += Number(m[3]);
  }
  return sum;
}

/** Subscribes and resolves with the SUBACK's return codes (0x80 = refused), as the broker sent them. */
export function subscribeCodes(client: MqttClient, filters: string | string[], qos: 0 | 1 = 1, timeoutMs = 5000): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no SUBACK within ${timeoutMs} ms`)), timeoutMs);
    const on = (p: { cmd: string; granted?: number[] }) => {
      if (p.cmd !== 'suback') return;
      client.off('packetreceive', on as never);
      clearTimeout(timer);
      resolve(p.granted ?? []);
    };
    client.on('packetreceive', on as never);
    client.subscribe(filters, { qos }, () => {});
  });
}
