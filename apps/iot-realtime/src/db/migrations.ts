/**
 * Versioned migrations, applied in order inside one transaction each and recorded in
 * `schema_migrations`. Never edit a released migration: add the next one.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'credentials',
    sql: `
      -- Device tokens and service-user secrets are stored as scrypt hashes only.
      CREATE TABLE vehicles (
        vin text PRIMARY KEY,
        token_hash text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz
      );
      CREATE TABLE service_users (
        name text PRIMARY KEY,
        token_hash text NOT NULL,
        subscribe text[] NOT NULL DEFAULT '{}',
        publish text[] NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz
      );`,
  },
  {
    version: 2,
    name: 'telemetry',
    sql: `
      -- One row per message; (vin, seq) identifies a message, so redelivery inserts nothing.
      CREATE TABLE telemetry (
        vin text NOT NULL,
        seq bigint NOT NULL,
        ts timestamptz NOT NULL,
        lat double precision NOT NULL,
        lon double precision NOT NULL,
        speed_mph double precision NOT NULL,
        battery_pct double precision NOT NULL,
        range_miles double precision NOT NULL,
        mpge double precision NOT NULL,
        malfunction double precision NOT NULL,
        profile text NOT NULL,
        odometer_miles double precision,
        temp_c double precision,
        received_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (vin, seq)
      );
      -- Range reads of one car's history.
      CREATE INDEX telemetry_vin_ts ON telemetry (vin, ts);
      -- Retention deletes by age; BRIN costs almost nothing on append-mostly data.
      CREATE INDEX telemetry_ts_brin ON telemetry USING brin (ts);

      -- 1-minute rollups, updated incrementally from each batch's newly inserted rows.
      CREATE TABLE telemetry_rollup_1m (
        vin text NOT NULL,
        minute timestamptz NOT NULL,
        samples integer NOT NULL,
        battery_sum double precision NOT NULL,
        battery_min double precision NOT NULL,
        battery_max double precision NOT NULL,
        range_sum double precision NOT NULL,
        range_min double precision NOT NULL,
        range_max double precision NOT NULL,
        speed_sum double precision NOT NULL,
        speed_min double precision NOT NULL,
        speed_max double precision NOT NULL,
        PRIMARY KEY (vin, minute)
      );
      CREATE VIEW telemetry_rollup_1m_avg AS
        SELECT vin, minute, samples,
               battery_sum / samples AS battery_avg, battery_min, battery_max,
               range_sum / samples AS range_avg, range_min, range_max,
               speed_sum / samples AS speed_avg, speed_min, speed_max
          FROM telemetry_rollup_1m;

      -- A sample of refused messages, for diagnosis (bounded by the broker's sampling).
      CREATE TABLE telemetry_dead_letter (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        received_at timestamptz NOT NULL DEFAULT now(),
        username text,
        topic text NOT NULL,
        reason text NOT NULL,
        detail text NOT NULL,
        payload text NOT NULL
      );`,
  },
];
