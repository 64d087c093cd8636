// Heroku-style Kafka over TLS: `kafka+ssl://` brokers, a client certificate and key, a trusted CA,
// a broker certificate that does not name the host, and a topic/group prefix. The test broker
// requires a client certificate signed by the CA, so a record making the round trip proves the
// adapter presented it and verified the broker's chain.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KafkaEventLog, type Delivered } from '../src/index.js';
import { KafkaTestBroker } from './kafka-broker/kafka-test-broker.js';

const dir = mkdtempSync(join(tmpdir(), 'event-log-tls-'));
const pem = (name: string): string => readFileSync(join(dir, name), 'utf8');

/** A throwaway CA, and a certificate it signs for `name` (EC keys: fast to generate). */
function issue(name: string, subject: string): void {
  const openssl = (...args: string[]): void => void execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
  openssl('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', subject);
  openssl('x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${name}.crt`, '-days', '1');
}

let broker: KafkaTestBroker;

beforeAll(async () => {
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '1', '-subj', '/CN=event-log test CA'], {
    cwd: dir,
    stdio: 'ignore',
  });
  issue('broker', '/CN=kafka-broker-that-is-not-127.0.0.1');
  issue('client', '/CN=event-log client');
  broker = await new KafkaTestBroker('127.0.0.1', { key: pem('broker.key'), cert: pem('broker.crt'), ca: pem('ca.crt') }).start();
});

afterAll(async () => {
  await broker?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('Kafka over TLS with client certificates (Heroku Apache Kafka)', () => {
  it('appends and consumes through a kafka+ssl:// URL with KAFKA_CLIENT_CERT, KAFKA_CLIENT_CERT_KEY, KAFKA_TRUSTED_CERT and KAFKA_PREFIX', async () => {
    const log = await KafkaEventLog.open<{ n: number }>({
      kind: 'kafka',
      brokers: `kafka+ssl://${broker.address},kafka+ssl://${broker.address}`,
      ssl: { cert: pem('client.crt'), key: pem('client.key'), ca: pem('ca.crt') },
      prefix: 'tenant-a.',
      partitions: 2,
      sessionTimeoutMs: 6000,
      heartbeatIntervalMs: 100,
      maxWaitTimeMs: 100,
    });
    try {
      const seen: Delivered<{ n: number }>[] = [];
      let resolve!: () => void;
      const done = new Promise<void>((r) => (resolve = r));
      await log.consume('persist', async (batch) => {
        seen.push(...batch);
        if (seen.length >= 3) resolve();
      });
      await log.append([1, 2, 3].map((n) => ({ key: 'VIN-TLS', value: { n } })));
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([done, new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('no records over TLS')), 20_000)))]);
      clearTimeout(timer);
      expect(seen.map((r) => r.value.n)).toEqual([1, 2, 3]);
      expect(broker.seen.get('JoinGroup v1')).toBeGreaterThan(0);
      expect(log.topic).toBe('tenant-a.ecars-telemetry');
      expect(broker.groupIds).toContain('tenant-a.persist');
    } finally {
      await log.close();
    }
  });
});
