/**
 * Writes telemetry batches, idempotent on `(vin, seq)`, and updates the 1-minute rollups from the
 * rows that were new — in the same transaction, so a redelivered batch changes nothing.
 *
 * PostgreSQL: COPY (pg-copy-streams) into a per-connection temporary staging table, then
 * `INSERT … SELECT … ON CONFLICT (vin, seq) DO NOTHING` (a COPY straight into `telemetry` would
 * abort the whole batch on one duplicate). PGlite has no COPY FROM STDIN stream: one multi-row
 * `INSERT … SELECT FROM jsonb_to_recordset($1)` with the same conflict rule.
 */
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import type pg from 'pg';
import copyStreams from 'pg-copy-streams';
import type { TelemetryV1 } from '@ecars/telemetry';
import type { Database, Queryable } from '../db/database.js';

const COLUMNS = ['vin', 'seq', 'ts', 'lat', 'lon', 'speed_mph', 'battery_pct', 'range_miles', 'mpge', 'malfunction', 'profile', 'odometer_miles', 'temp_c'] as const;
const COLUMN_LIST = COLUMNS.join(', ');

/** Inserts the new rows of `src` and folds them into the rollups; returns how many were new. */
function upsertFrom(src: string): string {
  return `
    WITH ins AS (
      INSERT INTO telemetry (${COLUMN_LIST})
      SELECT ${COLUMN_LIST} FROM ${src}
      ON CONFLICT (vin, seq) DO NOTHING
      RETURNING vin, ts, battery_pct, range_miles, speed_mph
    ), agg AS (
      SELECT vin, date_trunc('minute', ts) AS minute, count(*)::int AS samples,
             sum(battery_pct) AS battery_sum, min(battery_pct) AS battery_min, max(battery_pct) AS battery_max,
             sum(range_miles) AS range_sum, min(range_miles) AS range_min, max(range_miles) AS range_max,
             sum(speed_mph) AS speed_sum, min(speed_mph) AS speed_min, max(speed_mph) AS speed_max
        FROM ins GROUP BY 1, 2
    ), up AS (
      INSERT INTO telemetry_rollup_1m AS r
      SELECT * FROM agg ORDER BY vin, minute
      ON CONFLICT (vin, minute) DO UPDATE SET
        samples = r.samples + excluded.samples,
        battery_sum = r.battery_sum + excluded.battery_sum, battery_min = least(r.battery_min, excluded.battery_min), battery_max = greatest(r.battery_max, excluded.battery_max),
        range_sum = r.range_sum + excluded.range_sum, range_min = least(r.range_min, excluded.range_min), range_max = greatest(r.range_max, excluded.range_max),
        speed_sum = r.speed_sum + excluded.speed_sum, speed_min = least(r.speed_min, excluded.speed_min), speed_max = greatest(r.speed_max, excluded.speed_max)
      RETURNING 1
    )
    SELECT coalesce(sum(samples), 0)::int AS inserted FROM agg`;
}

const RECORDSET = `jsonb_to_recordset($1::jsonb) AS r(vin text, seq bigint, ts timestamptz, lat double precision, lon double precision, speed_mph double precision, battery_pct double precision, range_miles double precision, mpge double precision, malfunction double precision, profile text, odometer_miles double precision, temp_c double precision)`;

/** One COPY text-format line (tab-separated, `\N` for null). Values are schema-validated: no tabs or newlines can occur. */
function copyLine(t: TelemetryV1): string {
  return `${t.vin}\t${t.seq}\t${new Date(t.ts).toISOString()}\t${t.lat}\t${t.lon}\t${t.speedMph}\t${t.batteryPct}\t${t.rangeMiles}\t${t.mpge}\t${t.malfunction}\t${t.profile}\t${t.odometerMiles ?? '\\N'}\t${t.tempC ?? '\\N'}\n`;
}

function jsonRow(t: TelemetryV1): object {
  return {
    vin: t.vin,
    seq: t.seq,
    ts: new Date(t.ts).toISOString(),
    lat: t.lat,
    lon: t.lon,
    speed_mph: t.speedMph,
    battery_pct: t.batteryPct,
    range_miles: t.rangeMiles,
    mpge: t.mpge,
    malfunction: t.malfunction,
    profile: t.profile,
    odometer_miles: t.odometerMiles ?? null,
    temp_c: t.tempC ?? null,
  };
}

export class TelemetryWriter {
  /** Connections that already have their staging table (it lives as long as the connection). */
  readonly #staged = new WeakSet<pg.PoolClient>();

  constructor(private readonly db: Database) {}

  /** Writes `rows` in one transaction; resolves after COMMIT with the number of new rows. */
  async write(rows: readonly TelemetryV1[]): Promise<number> {
    if (rows.length === 0) return 0;
    return this.db.transaction(async (tx) => (tx.client ? this.#copy(tx.client, rows) : this.#insertJson(tx, rows)));
  }

  async #copy(client: pg.PoolClient, rows: readonly TelemetryV1[]): Promise<number> {
    if (!this.#staged.has(client)) {
      await client.query(`CREATE TEMP TABLE IF NOT EXISTS telemetry_staging (LIKE telemetry INCLUDING DEFAULTS) ON COMMIT DELETE ROWS`);
      this.#staged.add(client);
    }
    const sink = client.query(copyStreams.from(`COPY telemetry_staging (${COLUMN_LIST}) FROM STDIN`));
    // Chunks of ~500 lines: few writes, no giant string for big batches.
    await pipeline(
      Readable.from(
        (function* () {
          for (let i = 0; i < rows.length; i += 500) yield rows.slice(i, i + 500).map(copyLine).join('');
        })(),
      ),
      sink,
    );
    const r = await client.query<{ inserted: number }>(upsertFrom('telemetry_staging'));
    return r.rows[0]?.inserted ?? 0;
  }

  async #insertJson(tx: Queryable, rows: readonly TelemetryV1[]): Promise<number> {
    const [r] = await tx.query<{ inserted: number }>(upsertFrom(RECORDSET), [JSON.stringify(rows.map(jsonRow))]);
    return r?.inserted ?? 0;
  }

  /** The baseline of the benchmark: one INSERT per row, as the eCars sample did through Sequelize. */
  async writeRowByRow(rows: readonly TelemetryV1[]): Promise<void> {
    for (const t of rows) {
      const r = jsonRow(t) as Record<string, unknown>;
      await this.db.query(`INSERT INTO telemetry (${COLUMN_LIST}) VALUES (${COLUMNS.map((_, i) => `$${i + 1}`).join(', ')}) ON CONFLICT (vin, seq) DO NOTHING`, COLUMNS.map((c) => r[c]));
    }
  }

  /** Deletes raw rows older than `rawDays` and rollups older than `rollupDays`. */
  async prune(rawDays: number, rollupDays: number): Promise<{ raw: number; rollups: number }> {
    const count = async (sql: string, days: number) => (await this.db.query<{ n: number }>(`WITH d AS (${sql} RETURNING 1) SELECT count(*)::int AS n FROM d`, [days]))[0]?.n ?? 0;
    const raw = await count(`DELETE FROM telemetry WHERE ts < now() - make_interval(days => $1)`, rawDays);
    const rollups = await count(`DELETE FROM telemetry_rollup_1m WHERE minute < now() - make_interval(days => $1)`, rollupDays);
    return { raw, rollups };
  }
}
