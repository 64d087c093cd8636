/**
 * Opt-in SQL accounting of the in-process org (`BENCH_SQL_PROFILE=1`): wraps the org's database
 * object so every statement, inside transactions too, is counted and timed by its shape. It shows
 * how many statements each opportunity costs the org and which ones. Off by default: the wrapper
 * itself costs a little, and the headline figures are taken without it.
 */
import type { LocalOrg } from '@ecars/local-org';

type Query = (sql: string, params?: unknown[]) => Promise<unknown>;
interface SqlLike {
  query: Query;
  exec(sql: string): Promise<void>;
}
interface DatabaseLike extends SqlLike {
  transaction<T>(fn: (tx: SqlLike) => Promise<T>): Promise<T>;
}

export interface SqlProfile {
  reset(): void;
  /** Lines: statements and their time per `unit`, then the `top` costliest statement shapes. */
  report(perItems: number, unit: string, top?: number): string[];
}

export function profileSql(org: LocalOrg): SqlProfile {
  const tallies = new Map<string, { count: number; ms: number }>();
  const wrap =
    (inner: Query): Query =>
    async (sql, params) => {
      const start = performance.now();
      try {
        return await inner(sql, params);
      } finally {
        const key = sql.replace(/\s+/g, ' ').trim().slice(0, 90);
        const t = tallies.get(key) ?? { count: 0, ms: 0 };
        t.count++;
        t.ms += performance.now() - start;
        tallies.set(key, t);
      }
    };
  const db = org.runtime.db as unknown as DatabaseLike;
  const query = db.query.bind(db);
  const transaction = db.transaction.bind(db);
  db.query = wrap(query);
  db.transaction = (fn) =>
    transaction((tx) => fn({ query: wrap(tx.query.bind(tx)), exec: tx.exec.bind(tx) }));
  return {
    reset: () => tallies.clear(),
    report(perItems, unit, top = 12) {
      const all = [...tallies.values()].reduce((a, t) => ({ count: a.count + t.count, ms: a.ms + t.ms }), {
        count: 0,
        ms: 0,
      });
      return [
        `    org SQL: ${all.count.toLocaleString('en-US')} statements, ${(all.ms / 1000).toFixed(1)} s; ` +
          `${(all.count / perItems).toFixed(1)} statements and ${(all.ms / perItems).toFixed(2)} ms per ${unit}`,
        ...[...tallies]
          .sort((a, b) => b[1].ms - a[1].ms)
          .slice(0, top)
          .map(
            ([sql, t]) =>
              `      ${(t.ms / 1000).toFixed(2).padStart(6)} s ${String(t.count).padStart(7)}× ${(t.ms / t.count).toFixed(2).padStart(5)} ms  ${sql}`,
          ),
      ];
    },
  };
}
