/**
 * A simulated car: pure and deterministic (seeded PRNG, time passed in), so `--seed` reproduces a
 * run and tests can assert on the motion. Profiles are data (`@ecars/telemetry` PROFILES).
 *
 * Motion: the car leaves its home city on a heading that wanders a little each tick, cruises at
 * about its profile's speed with stops, turns back after the profile's trip length, and charges
 * (speed 0) when the battery is low. An anomalous car drains its battery `anomalyDrainFactor`
 * times faster and its malfunction figure climbs — the signal the next issue's detector looks for.
 */
import { PROFILE_NAMES, PROFILES, type DrivingProfile, type ProfileName, type TelemetryV1 } from '@ecars/telemetry';

/** mulberry32: tiny, fast, good enough for simulation; deterministic for a seed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const VIN_CHARS = 'ABCDEFGHJKLMNPRSTUVWXYZ0123456789';
const CITIES: ReadonlyArray<readonly [number, number]> = [
  [37.7749, -122.4194], // San Francisco
  [34.0522, -118.2437], // Los Angeles
  [47.6062, -122.3321], // Seattle
  [40.7128, -74.006], // New York
  [41.8781, -87.6298], // Chicago
  [30.2672, -97.7431], // Austin
];
const MILES_PER_DEG_LAT = 69.0;

/** How many times faster an anomalous car drains its battery. */
export const ANOMALY_DRAIN_FACTOR = 4;

export interface CarState {
  vin: string;
  profile: DrivingProfile;
  anomalous: boolean;
  seq: number;
  lat: number;
  lon: number;
  headingDeg: number;
  speedMph: number;
  batteryPct: number;
  odometerMiles: number;
  tripMiles: number;
  malfunction: number;
  chargingTicks: number;
  stopTicks: number;
  rand: () => number;
}

/** Creates car number `index` of a fleet; the same (seed, index, anomalyRate) gives the same car. */
export function createCar(seed: number, index: number, anomalyRate: number): CarState {
  const rand = prng((seed * 1_000_003 + index * 7919) >>> 0);
  const vin = 'ECS' + Array.from({ length: 14 }, () => VIN_CHARS[Math.floor(rand() * VIN_CHARS.length)]).join('');
  const profileName: ProfileName = PROFILE_NAMES[Math.floor(rand() * PROFILE_NAMES.length)]!;
  const [lat, lon] = CITIES[Math.floor(rand() * CITIES.length)]!;
  return {
    vin,
    profile: PROFILES[profileName],
    anomalous: rand() < anomalyRate,
    seq: 0,
    lat: lat + (rand() - 0.5) * 0.1,
    lon: lon + (rand() - 0.5) * 0.1,
    headingDeg: rand() * 360,
    speedMph: 0,
    batteryPct: 60 + rand() * 40,
    odometerMiles: Math.round(rand() * 40_000),
    tripMiles: 0,
    malfunction: rand() * 2,
    chargingTicks: 0,
    stopTicks: 0,
    rand,
  };
}

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

/** Advances the car by one tick and returns the reading it publishes at `now` (epoch ms). */
export function tick(car: CarState, now: number): TelemetryV1 {
  const p = car.profile;
  const r = car.rand;
  if (car.chargingTicks > 0) {
    car.chargingTicks--;
    car.speedMph = 0;
    car.batteryPct = Math.min(100, car.batteryPct + 100 / 20);
  } else if (car.batteryPct < 8) {
    car.chargingTicks = 20; // pull over and charge
    car.speedMph = 0;
  } else if (car.stopTicks > 0) {
    car.stopTicks--;
    car.speedMph = 0;
  } else {
    if (r() < 0.03) car.stopTicks = 1 + Math.floor(r() * 3); // lights, traffic
    const target = p.cruiseMph * (0.8 + r() * 0.4);
    car.speedMph = Math.max(0, car.speedMph + (target - car.speedMph) * 0.5);
    car.batteryPct = Math.max(0, car.batteryPct - p.drainPctPerTick * (car.anomalous ? ANOMALY_DRAIN_FACTOR : 1));
  }
  // Simulated time runs faster than the wall clock (one tick ~ one minute of driving) so that
  // profiles' drain figures per tick give realistic trips.
  const miles = car.speedMph / 60;
  car.headingDeg = (car.headingDeg + (r() - 0.5) * 20 + 360) % 360;
  const rad = (car.headingDeg * Math.PI) / 180;
  car.lat = Math.max(-89.9, Math.min(89.9, car.lat + (miles * Math.cos(rad)) / MILES_PER_DEG_LAT));
  car.lon = car.lon + (miles * Math.sin(rad)) / (MILES_PER_DEG_LAT * Math.max(0.1, Math.cos((car.lat * Math.PI) / 180)));
  if (car.lon > 180) car.lon -= 360;
  if (car.lon < -180) car.lon += 360;
  car.odometerMiles += miles;
  car.tripMiles += miles;
  if (car.tripMiles >= p.tripMiles) {
    car.tripMiles = 0;
    car.headingDeg = (car.headingDeg + 180) % 360; // head home
  }
  car.malfunction = car.anomalous ? Math.min(100, car.malfunction + 0.5 + r()) : Math.max(0, Math.min(5, car.malfunction + (r() - 0.5) * 0.2));
  return {
    v: 1,
    vin: car.vin,
    seq: car.seq++,
    ts: now,
    lat: round(car.lat, 6),
    lon: round(car.lon, 6),
    speedMph: round(car.speedMph, 1),
    batteryPct: round(car.batteryPct, 2),
    rangeMiles: round((p.fullRangeMiles * car.batteryPct) / 100, 1),
    mpge: round(p.mpge * (0.95 + r() * 0.1), 1),
    malfunction: round(car.malfunction, 2),
    profile: p.name,
    odometerMiles: round(car.odometerMiles, 1),
    tempC: round(20 + car.speedMph * 0.1 + (r() - 0.5) * 2, 1),
  };
}
