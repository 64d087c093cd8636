/**
 * Graceful shutdown: what the broker acknowledged is in the database when close() returns, even
 * with a flush interval far longer than the test — close does not wait for the timer, it writes.
 */
import { describe, expect, it } from 'vitest';
import { encodeTelemetry, sampleTelemetry, topics } from '@ecars/telemetry';
import { connect, dropSchema, pgQuery, randomVin, startApp } from './helpers/harness.js';

describe('graceful shutdown', () => {
  it('flushes buffered rows, closes clients and the broker, and finishes well before the flush interval', async () => {
    const run = await startApp({ persist: { batchSize: 10_000, flushMs: 60_000 } }, { keepSchema: true });
    try {
      const vin = randomVin();
      const token = await run.app.iot.credentials.addVehicle(vin);
      const car = await connect(run.mqttUrl, { username: vin, password: token, reconnectPeriod: 0 });
      for (let seq = 0; seq < 300; seq++) await car.publishAsync(topics.telemetry(vin), encodeTelemetry(sampleTelemetry({ vin, seq })), { qos: 1 });
      expect((await pgQuery(`SELECT 1 FROM ${run.schema}.telemetry`)).length).toBe(0); // still buffered
      const closed = new Promise<void>((r) => car.once('close', () => r()));
      const started = Date.now();
      await run.close();
      expect(Date.now() - started).toBeLessThan(30_000);
      await closed;
      const [r] = await pgQuery<{ n: number }>(`SELECT count(*)::int AS n FROM ${run.schema}.telemetry WHERE vin = $1`, [vin]);
      expect(r!.n).toBe(300);
      car.end(true);
    } finally {
      await run.close();
      await dropSchema(run.schema);
    }
  });
});
