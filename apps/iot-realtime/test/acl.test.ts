import { describe, expect, it } from 'vitest';
import { authorizePublish, authorizeSubscribe, covers } from '../src/broker/acl.js';
import type { Principal } from '../src/services/credentials.js';

const VIN = '5YJ3E1EA7KF000001';
const OTHER = '1HGCM82633A004352';
const car: Principal = { kind: 'vehicle', vin: VIN };
const svc: Principal = { kind: 'service', name: 'sink', subscribe: ['ecars/vehicles/+/telemetry', 'ecars/ops/#'], publish: ['ecars/vehicles/+/commands'] };

describe('covers', () => {
  it.each([
    ['a/+/c', 'a/b/c', true],
    ['a/+/c', 'a/+/c', true],
    ['a/b/c', 'a/+/c', false],
    ['a/#', 'a/b/c', true],
    ['a/#', 'a/#', true],
    ['a/+', 'a/#', false],
    ['a/+/c', 'a/b', false],
    ['a/b', 'a/b/c', false],
    ['#', 'anything/at/all', true],
  ])('%s covers %s: %s', (pattern, filter, expected) => {
    expect(covers(pattern, filter)).toBe(expected);
  });
});

describe('vehicle ACL', () => {
  it('publishes its own telemetry and status only', () => {
    expect(authorizePublish(car, `ecars/vehicles/${VIN}/telemetry`)).toEqual({ ok: true, kind: 'telemetry' });
    expect(authorizePublish(car, `ecars/vehicles/${VIN}/status`)).toEqual({ ok: true, kind: 'status' });
    expect(authorizePublish(car, `ecars/vehicles/${OTHER}/telemetry`)).toEqual({ ok: false, reason: 'foreign_topic' });
    expect(authorizePublish(car, `ecars/vehicles/${VIN}/commands`)).toEqual({ ok: false, reason: 'not_allowed' });
    expect(authorizePublish(car, 'ecars/other')).toEqual({ ok: false, reason: 'not_allowed' });
    expect(authorizePublish(car, '$SYS/x')).toEqual({ ok: false, reason: 'reserved_topic' });
  });

  it('subscribes to its own commands only', () => {
    expect(authorizeSubscribe(car, `ecars/vehicles/${VIN}/commands`)).toEqual({ ok: true });
    expect(authorizeSubscribe(car, `ecars/vehicles/${OTHER}/commands`)).toEqual({ ok: false, reason: 'foreign_topic' });
    expect(authorizeSubscribe(car, 'ecars/vehicles/+/commands')).toEqual({ ok: false, reason: 'foreign_topic' });
    expect(authorizeSubscribe(car, '#')).toEqual({ ok: false, reason: 'not_allowed' });
    expect(authorizeSubscribe(car, `ecars/vehicles/${VIN}/telemetry`)).toEqual({ ok: false, reason: 'not_allowed' });
  });
});

describe('service-user ACL', () => {
  it('follows its patterns and never reaches $ topics', () => {
    expect(authorizeSubscribe(svc, 'ecars/vehicles/+/telemetry')).toEqual({ ok: true });
    expect(authorizeSubscribe(svc, `ecars/vehicles/${VIN}/telemetry`)).toEqual({ ok: true });
    expect(authorizeSubscribe(svc, 'ecars/vehicles/#')).toEqual({ ok: false, reason: 'not_allowed' });
    expect(authorizeSubscribe(svc, 'ecars/ops/a/b')).toEqual({ ok: true });
    expect(authorizeSubscribe(svc, '$SYS/#')).toEqual({ ok: false, reason: 'reserved_topic' });
    expect(authorizePublish(svc, `ecars/vehicles/${VIN}/commands`)).toEqual({ ok: true, kind: 'other' });
    expect(authorizePublish(svc, `ecars/vehicles/${VIN}/telemetry`)).toEqual({ ok: false, reason: 'not_allowed' });
  });
});
