/**
 * The broker under test, in its own process (as in production, and so the load tool and the
 * broker do not share one event loop): `broker` = Aedes with auth + ACL + validation and no event
 * log; `pipeline` = the whole app (in-process event log, persistence on PostgreSQL). Prints
 * `{"port":N}` when ready; SIGTERM closes it gracefully.
 */
import pino from 'pino';
import { buildApp } from '../src/app.js';
import { MqttBroker } from '../src/broker/mqtt-broker.js';
import { openDatabase } from '../src/db/database.js';
import { CredentialStore } from '../src/services/credentials.js';
import { IotMetrics } from '../src/services/metrics.js';

const [mode, url, schema] = process.argv.slice(2) as ['broker' | 'pipeline', string, string];

async function main(): Promise<void> {
  let close: () => Promise<void>;
  let port: number;
  if (mode === 'broker') {
    const db = await openDatabase({ url, schema, poolSize: 4 });
    await db.migrate();
    const broker = await MqttBroker.create({ credentials: new CredentialStore(db), db, eventLog: null, metrics: new IotMetrics(), log: pino({ level: 'silent' }) });
    port = await broker.listen(0, '127.0.0.1');
    close = async () => {
      await broker.close();
      await db.close();
    };
  } else {
    const app = await buildApp({ logger: { level: 'silent' }, mqtt: { port: 0, host: '127.0.0.1' }, database: { url, schema, poolSize: 6 }, persist: { batchSize: 2000, flushMs: 50, consumers: 2 } });
    port = app.iot.mqttPort!;
    close = () => app.close();
  }
  process.once('SIGTERM', () => {
    close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
  process.stdout.write(`${JSON.stringify({ port })}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`serve: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
