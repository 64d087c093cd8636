import { describe, expect, it } from 'vitest';
import { ConfigError, eventLogOptions, loadConfig } from '../src/config.js';

describe('config', () => {
  it('has local defaults for everything', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ PORT: 5100, MQTT_PORT: 1884, IOT_ROLE: 'all', EVENT_LOG: 'memory', MAX_PAYLOAD_BYTES: 16384, PGLITE_DIR: '.data/pglite' });
    expect(c.DATABASE_URL).toBeUndefined();
    expect(eventLogOptions(c)).toEqual({ kind: 'memory', maxBuffered: 20_000, partitions: 8 });
  });

  it('lists every invalid variable by name', () => {
    expect(() => loadConfig({ MQTT_PORT: 'x', IOT_ROLE: 'cluster' })).toThrow(ConfigError);
    expect(() => loadConfig({ MQTT_PORT: 'x', IOT_ROLE: 'cluster' })).toThrow(/MQTT_PORT[\s\S]*IOT_ROLE|IOT_ROLE[\s\S]*MQTT_PORT/);
  });

  it('refuses a split role without a shared event log and database', () => {
    expect(() => loadConfig({ IOT_ROLE: 'persist' })).toThrow(/EVENT_LOG=redis or kafka/);
    expect(() => loadConfig({ IOT_ROLE: 'persist', EVENT_LOG: 'redis' })).toThrow(/DATABASE_URL/);
    expect(loadConfig({ IOT_ROLE: 'persist', EVENT_LOG: 'redis', DATABASE_URL: 'postgres://x@h/db' }).IOT_ROLE).toBe('persist');
  });

  it('maps Heroku Kafka variables to the kafka adapter', () => {
    const c = loadConfig({ EVENT_LOG: 'kafka', KAFKA_URL: 'kafka+ssl://h1:9096,kafka+ssl://h2:9096', KAFKA_CLIENT_CERT: 'C', KAFKA_CLIENT_CERT_KEY: 'K', KAFKA_TRUSTED_CERT: 'T', KAFKA_PREFIX: 'p-' });
    expect(eventLogOptions(c)).toMatchObject({ kind: 'kafka', brokers: 'kafka+ssl://h1:9096,kafka+ssl://h2:9096', prefix: 'p-', ssl: { cert: 'C', key: 'K', ca: 'T' } });
    expect(() => loadConfig({ EVENT_LOG: 'kafka' })).toThrow(/KAFKA_URL/);
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ DATABASE_URL: '', ADMIN_TOKEN: '' }).DATABASE_URL).toBeUndefined();
  });
});
