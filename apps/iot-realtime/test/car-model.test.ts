import { describe, expect, it } from 'vitest';
import { parseTelemetry, PROFILES } from '@ecars/telemetry';
import { ANOMALY_DRAIN_FACTOR, createCar, tick } from '../src/services/car-model.js';
import { fleet } from '../src/services/simulator.js';

describe('car model', () => {
  it('is deterministic for a seed and differs across seeds', () => {
    const run = (seed: number) => {
      const car = createCar(seed, 3, 0.5);
      return Array.from({ length: 50 }, (_, i) => tick(car, 1_767_225_600_000 + i * 1000));
    };
    expect(run(42)).toEqual(run(42));
    expect(run(42)).not.toEqual(run(43));
  });

  it('produces readings the telemetry schema accepts, with increasing seq and plausible motion', () => {
    for (const car of fleet(30, 9, 0.2)) {
      let prev: ReturnType<typeof tick> | null = null;
      for (let i = 0; i < 300; i++) {
        const r = tick(car, 1_767_225_600_000 + i * 1000);
        expect(parseTelemetry(JSON.stringify(r), { expectedVin: car.vin })).toMatchObject({ ok: true });
        if (prev) {
          expect(r.seq).toBe(prev.seq + 1);
          // At most ~1.5 cruise speeds for one simulated minute of driving, in degrees.
          expect(Math.abs(r.lat - prev.lat)).toBeLessThan(0.05);
        }
        prev = r;
      }
    }
  });

  it('drains an anomalous car ANOMALY_DRAIN_FACTOR times faster than its profile', () => {
    const [normal, anomalous] = [createCar(5, 0, 0), createCar(5, 0, 1)];
    expect(anomalous.anomalous).toBe(true);
    expect(normal.anomalous).toBe(false);
    const start = normal.batteryPct;
    const n = 5;
    let a = 0;
    let b = 0;
    for (let i = 0; i < n; i++) {
      a = tick(normal, 0 + 1_767_225_600_000).batteryPct;
      b = tick(anomalous, 0 + 1_767_225_600_000).batteryPct;
    }
    const drain = PROFILES[normal.profile.name].drainPctPerTick;
    const moving = (x: number) => (start - x) / drain; // ticks spent draining (stops drain nothing)
    expect(moving(b) / Math.max(moving(a), 1)).toBeCloseTo(ANOMALY_DRAIN_FACTOR, 0);
  });
});
