/**
 * Opt-in SQL accounting (`BENCH_SQL_PROFILE=1`): wraps the org's `Database` so every statement,
 * inside transactions too, is counted and timed by its text. It answers "how many statements per
 * record, and which ones cost" without a profiler. Off by default: the headline figures are taken
 * on the unwrapped database.
 */
import type { Database, Sql } from '../src/storage/database.js';

interface Tally {
  count: number;
  ms: number;
}

export interface SqlProfile {
  /** Counts what follows under `label` (a measurement's runs call it first: they interleave). */
  use(label: string): void;
  /** Prints the statements counted under `label`: total and the `top` costliest shapes, per `perItems` items. */
  report(label: string, perItems: number, unit: string, top?: number): void;
}

export function profileSql(db: Database): SqlProfile {
  const buckets = new Map<string, Map<string, Tally>>();
  let tallies = new Map<string, Tally>(); // statements outside any labelled measurement
  const count = (sql: string, ms: number) => {
    const key = sql.replace(/\s+/g, ' ').trim().slice(0, 100);
    const t = tallies.get(key) ?? { count: 0, ms: 0 };
    t.count++;
    t.ms += ms;
    tallies.set(key, t);
  };
  const wrap = (inner: Sql['query']): Sql['query'] =>
    async function query<T>(sql: string, params?: unknown[]) {
      const start = performance.now();
      try {
        return await inner<T>(sql, params);
      } finally {
        count(sql, performance.now() - start);
      }
    };
  const query = db.query.bind(db);
  const transaction = db.transaction.bind(db);
  db.query = wrap(query);
  db.transaction = (fn) => transaction((tx) => fn({ query: wrap(tx.query.bind(tx)), exec: tx.exec.bind(tx) }));

  return {
    use(label) {
      tallies = buckets.get(label) ?? new Map<string, Tally>();
      buckets.set(label, tallies);
    },
    report(label, perItems, unit, top = 8) {
      const tallies = buckets.get(label) ?? new Map<string, Tally>();
      const all = [...tallies.values()].reduce((a, t) => ({ count: a.count + t.count, ms: a.ms + t.ms }), { count: 0, ms: 0 });
      console.log(
        `    SQL (${label}): ${all.count.toLocaleString('en-US')} statements, ${all.ms.toFixed(0)} ms; ` +
          `${(all.count / perItems).toFixed(2)} statements and ${(all.ms / perItems).toFixed(3)} ms per ${unit}`,
      );
      for (const [sql, t] of [...tallies].sort((a, b) => b[1].ms - a[1].ms).slice(0, top)) {
        console.log(
          `      ${t.ms.toFixed(0).padStart(6)} ms ${String(t.count).padStart(6)}× ${(t.ms / t.count).toFixed(2).padStart(6)} ms  ${sql}`,
        );
      }
    },
  };
}
