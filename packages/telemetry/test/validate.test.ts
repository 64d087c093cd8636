import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeTelemetry, INVALID_REASONS, parseTelemetry, PROFILE_NAMES, sampleTelemetry, type TelemetryV1 } from '../src/index.js';

const VIN_CHARS = 'ABCDEFGHJKLMNPRSTUVWXYZ0123456789'.split('');
const vinArb = fc.array(fc.constantFrom(...VIN_CHARS), { minLength: 17, maxLength: 17 }).map((a) => a.join(''));
const validArb: fc.Arbitrary<TelemetryV1> = fc.record(
  {
    v: fc.constant(1 as const),
    vin: vinArb,
    seq: fc.nat(),
    ts: fc.integer({ min: 946_684_800_000, max: 4_102_444_800_000 }),
    lat: fc.double({ min: -90, max: 90, noNaN: true }),
    lon: fc.double({ min: -180, max: 180, noNaN: true }),
    speedMph: fc.double({ min: 0, max: 250, noNaN: true }),
    batteryPct: fc.double({ min: 0, max: 100, noNaN: true }),
    rangeMiles: fc.double({ min: 0, max: 2000, noNaN: true }),
    mpge: fc.double({ min: 0, max: 1000, noNaN: true }),
    malfunction: fc.double({ min: 0, max: 100, noNaN: true }),
    profile: fc.constantFrom(...PROFILE_NAMES),
    odometerMiles: fc.double({ min: 0, max: 1e6, noNaN: true }),
    tempC: fc.double({ min: -60, max: 120, noNaN: true }),
  },
  { requiredKeys: ['v', 'vin', 'seq', 'ts', 'lat', 'lon', 'speedMph', 'batteryPct', 'rangeMiles', 'mpge', 'malfunction', 'profile'] },
);

describe('parseTelemetry', () => {
  it('accepts the sample reading and returns it unchanged', () => {
    const t = sampleTelemetry();
    expect(parseTelemetry(encodeTelemetry(t))).toEqual({ ok: true, value: t });
  });

  it('accepts every well-formed reading, byte-exact after a round trip', () => {
    fc.assert(
      fc.property(validArb, (t) => {
        const r = parseTelemetry(encodeTelemetry(t), { expectedVin: t.vin });
        expect(r).toEqual({ ok: true, value: JSON.parse(JSON.stringify(t)) });
      }),
      { numRuns: 300 },
    );
  });

  const corpus: Array<[string, string | Uint8Array, (typeof INVALID_REASONS)[number]]> = [
    ['empty payload', '', 'not_json'],
    ['truncated JSON', '{"v":1,"vin":"5YJ3E', 'not_json'],
    ['invalid UTF-8', new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]), 'not_json'],
    ['a JSON array', '[1,2,3]', 'not_object'],
    ['JSON null', 'null', 'not_object'],
    ['a bare number', '42', 'not_object'],
    ['no version', JSON.stringify({ ...sampleTelemetry(), v: undefined }), 'unsupported_version'],
    ['version 2', JSON.stringify({ ...sampleTelemetry(), v: 2 }), 'unsupported_version'],
    ['version as a string', JSON.stringify({ ...sampleTelemetry(), v: '1' }), 'unsupported_version'],
    ['latitude as a string (the sample did this)', JSON.stringify({ ...sampleTelemetry(), lat: '37.78' }), 'schema'],
    ['battery above 100 %', JSON.stringify({ ...sampleTelemetry(), batteryPct: 100.1 }), 'schema'],
    ['negative seq', JSON.stringify({ ...sampleTelemetry(), seq: -1 }), 'schema'],
    ['fractional seq', JSON.stringify({ ...sampleTelemetry(), seq: 1.5 }), 'schema'],
    ['ts in seconds, not milliseconds', JSON.stringify({ ...sampleTelemetry(), ts: 1_767_225_600 }), 'schema'],
    ['unknown profile', JSON.stringify({ ...sampleTelemetry(), profile: 'sport' }), 'schema'],
    ['VIN with an O', JSON.stringify({ ...sampleTelemetry(), vin: '5YJ3E1EA7KF00000O' }), 'schema'],
    ['an unknown property', JSON.stringify({ ...sampleTelemetry(), extra: true }), 'schema'],
    ['a missing field', JSON.stringify({ ...sampleTelemetry(), mpge: undefined }), 'schema'],
    ['speed as an object', JSON.stringify({ ...sampleTelemetry(), speedMph: { mph: 3 } }), 'schema'],
  ];
  it.each(corpus)('refuses %s', (_name, payload, reason) => {
    const r = parseTelemetry(payload);
    expect(r.ok).toBe(false);
    expect(r.ok ? undefined : r.reason).toBe(reason);
  });

  it('refuses a payload for another VIN than the connection', () => {
    const r = parseTelemetry(encodeTelemetry(sampleTelemetry()), { expectedVin: '1HGCM82633A004352' });
    expect(r).toMatchObject({ ok: false, reason: 'vin_mismatch' });
  });

  it('refuses a payload above the size limit before parsing it', () => {
    const huge = JSON.stringify({ ...sampleTelemetry(), pad: 'x'.repeat(20_000) });
    expect(parseTelemetry(huge)).toMatchObject({ ok: false, reason: 'too_large' });
    expect(parseTelemetry(encodeTelemetry(sampleTelemetry()), { maxBytes: 100 })).toMatchObject({ ok: false, reason: 'too_large' });
  });

  it('survives pathologically deep JSON', () => {
    const deep = '['.repeat(200_000) + ']'.repeat(200_000);
    expect(parseTelemetry(deep, { maxBytes: 1_000_000 })).toMatchObject({ ok: false });
    const deepObj = '{"a":'.repeat(5_000) + '1' + '}'.repeat(5_000);
    expect(parseTelemetry(deepObj, { maxBytes: 1_000_000 })).toMatchObject({ ok: false, reason: 'unsupported_version' });
  });

  it('never throws and only reports known reasons for random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2048 }), (bytes) => {
        const r = parseTelemetry(bytes);
        expect(r.ok).toBe(false);
        expect(INVALID_REASONS).toContain(r.ok ? '' : r.reason);
      }),
      { numRuns: 1000 },
    );
  });

  it('refuses every wrong type in any field of an otherwise valid reading', () => {
    const keys = Object.keys(sampleTelemetry()) as Array<keyof TelemetryV1>;
    fc.assert(
      fc.property(validArb, fc.constantFrom(...keys), fc.oneof(fc.string(), fc.boolean(), fc.constant(null), fc.array(fc.nat()), fc.object()), (t, key, bad) => {
        fc.pre(!(key === 'profile' && typeof bad === 'string' && (PROFILE_NAMES as readonly string[]).includes(bad)));
        fc.pre(!(key === 'vin' && typeof bad === 'string' && /^[A-HJ-NPR-Z0-9]{17}$/.test(bad)));
        const r = parseTelemetry(JSON.stringify({ ...t, [key]: bad }));
        expect(r.ok).toBe(false);
      }),
      { numRuns: 500 },
    );
  });

  it('never throws on arbitrary JSON values', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 8 }), (value) => {
        const r = parseTelemetry(JSON.stringify(value) ?? '');
        expect(typeof r.ok).toBe('boolean');
      }),
      { numRuns: 500 },
    );
  });
});
