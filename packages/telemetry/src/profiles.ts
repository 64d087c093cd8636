/**
 * Driving profiles as data (the eCars sample had three files differing only in numbers). Per tick
 * of the simulator: battery drain in percentage points, cruising speed, efficiency and the length
 * of a trip before the car turns back.
 */
import type { ProfileName } from './schema-v1.js';

/** One profile's parameters. */
export interface DrivingProfile {
  name: ProfileName;
  /** Battery percentage points used per tick (the sample: 0.6 / 0.5 / 0.3). */
  drainPctPerTick: number;
  /** Typical cruising speed, mph. */
  cruiseMph: number;
  /** Efficiency, miles per gallon equivalent. */
  mpge: number;
  /** Full-battery range, miles. */
  fullRangeMiles: number;
  /** Trip length before turning back, miles. */
  tripMiles: number;
}

export const PROFILES: Readonly<Record<ProfileName, DrivingProfile>> = Object.freeze({
  short: { name: 'short', drainPctPerTick: 0.6, cruiseMph: 28, mpge: 124, fullRangeMiles: 250, tripMiles: 8 },
  medium: { name: 'medium', drainPctPerTick: 0.5, cruiseMph: 45, mpge: 118, fullRangeMiles: 300, tripMiles: 40 },
  long: { name: 'long', drainPctPerTick: 0.3, cruiseMph: 65, mpge: 110, fullRangeMiles: 350, tripMiles: 180 },
});
