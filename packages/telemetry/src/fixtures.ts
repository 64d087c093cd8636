/**
 * A valid reading to start fixtures from (tests of this package, the broker, the sinks and the
 * next issue's anomaly detector), so every suite builds on the same realistic message.
 */
import type { TelemetryV1 } from './schema-v1.js';

export function sampleTelemetry(overrides: Partial<TelemetryV1> = {}): TelemetryV1 {
  return {
    v: 1,
    vin: '5YJ3E1EA7KF000001',
    seq: 0,
    ts: 1_767_225_600_000,
    lat: 37.7897,
    lon: -122.3972,
    speedMph: 42.5,
    batteryPct: 87.4,
    rangeMiles: 262.2,
    mpge: 118,
    malfunction: 1.5,
    profile: 'medium',
    odometerMiles: 12_345.6,
    tempC: 24.1,
    ...overrides,
  };
}
