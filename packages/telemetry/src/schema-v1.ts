/**
 * Telemetry message, schema version 1: what a car publishes on `ecars/vehicles/{VIN}/telemetry`.
 *
 * One JSON object per MQTT message. Units are fixed by the field name or documented here, so no
 * consumer ever guesses:
 *
 * | field | type | unit / range |
 * |---|---|---|
 * | `v` | `1` | schema version; a consumer refuses versions it does not know |
 * | `vin` | string | 17-character VIN (ISO 3779: digits and capitals except I, O, Q) |
 * | `seq` | integer | per-vehicle message counter, starts at 0 and increases by 1; `(vin, seq)` identifies a message, so a redelivery is detectable |
 * | `ts` | integer | time of the reading, epoch milliseconds (UTC) |
 * | `lat` / `lon` | number | WGS 84 degrees, −90…90 / −180…180 |
 * | `speedMph` | number | miles per hour, 0…250 |
 * | `batteryPct` | number | state of charge, percent 0…100 |
 * | `rangeMiles` | number | estimated remaining range, miles, ≥ 0 |
 * | `mpge` | number | miles per gallon equivalent, ≥ 0 |
 * | `malfunction` | number | malfunction likelihood, percent 0…100 |
 * | `profile` | string | driving profile: `short`, `medium` or `long` |
 * | `odometerMiles` | number, optional | total distance, miles, ≥ 0 |
 * | `tempC` | number, optional | battery temperature, degrees Celsius, −60…120 |
 *
 * Unknown properties are refused (a typo never becomes silent data loss).
 */

/** The driving profiles a car can report. */
export const PROFILE_NAMES = ['short', 'medium', 'long'] as const;
export type ProfileName = (typeof PROFILE_NAMES)[number];

/** The schema version this module produces and accepts. */
export const TELEMETRY_VERSION = 1;

/** ISO 3779 VIN: 17 characters, digits and capitals except I, O and Q. */
export const VIN_PATTERN = '^[A-HJ-NPR-Z0-9]{17}$';

/** One telemetry reading, schema v1 (units in the module comment). */
export interface TelemetryV1 {
  v: 1;
  vin: string;
  seq: number;
  ts: number;
  lat: number;
  lon: number;
  speedMph: number;
  batteryPct: number;
  rangeMiles: number;
  mpge: number;
  malfunction: number;
  profile: ProfileName;
  odometerMiles?: number;
  tempC?: number;
}

/** The JSON Schema (draft 2020-12 subset that ajv compiles) of {@link TelemetryV1}. */
export const telemetryV1Schema = {
  $id: 'https://ecars.example/schemas/telemetry/v1.json',
  type: 'object',
  additionalProperties: false,
  required: ['v', 'vin', 'seq', 'ts', 'lat', 'lon', 'speedMph', 'batteryPct', 'rangeMiles', 'mpge', 'malfunction', 'profile'],
  properties: {
    v: { const: 1 },
    vin: { type: 'string', pattern: VIN_PATTERN },
    seq: { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER },
    // 2000-01-01 … 2100-01-01: catches seconds sent instead of milliseconds.
    ts: { type: 'integer', minimum: 946_684_800_000, maximum: 4_102_444_800_000 },
    lat: { type: 'number', minimum: -90, maximum: 90 },
    lon: { type: 'number', minimum: -180, maximum: 180 },
    speedMph: { type: 'number', minimum: 0, maximum: 250 },
    batteryPct: { type: 'number', minimum: 0, maximum: 100 },
    rangeMiles: { type: 'number', minimum: 0, maximum: 2000 },
    mpge: { type: 'number', minimum: 0, maximum: 1000 },
    malfunction: { type: 'number', minimum: 0, maximum: 100 },
    profile: { enum: [...PROFILE_NAMES] },
    odometerMiles: { type: 'number', minimum: 0 },
    tempC: { type: 'number', minimum: -60, maximum: 120 },
  },
} as const;
