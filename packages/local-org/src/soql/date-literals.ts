/**
 * SOQL date literals (`TODAY`, `LAST_N_DAYS:30`, `THIS_QUARTER`, …) as half-open UTC ranges
 * `[start, end)` of calendar days, following Salesforce's documented definitions:
 * - weeks start on Sunday (the en_US locale), quarters on Jan/Apr/Jul/Oct;
 * - fiscal literals use the default fiscal year (starting in January), i.e. the calendar ones;
 * - `LAST_N_DAYS:n` (and `LAST_90_DAYS`) runs from n days ago through today;
 *   `NEXT_N_DAYS:n` (and `NEXT_90_DAYS`) from tomorrow for n days;
 * - `LAST_N_WEEKS/MONTHS/QUARTERS/YEARS:n` are the n whole units before the current one,
 *   `NEXT_N_…:n` the n whole units after it, `N_…_AGO:n` the single unit n units ago.
 * The org runs in UTC, so "today" is the UTC date of the context's clock.
 */

/** A day as a UTC midnight `Date`. */
type Day = Date;

/** Half-open range of days. */
export interface DayRange {
  start: Day;
  end: Day;
}

type Unit = 'day' | 'week' | 'month' | 'quarter' | 'year';

function utcDay(d: Date): Day {
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
}

function startOf(unit: Unit, d: Day): Day {
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth();
  switch (unit) {
    case 'day':
      return d;
    case 'week':
      return new Date(Date.UTC(y, m, d.getUTCDate() - d.getUTCDay()));
    case 'month':
      return new Date(Date.UTC(y, m, 1));
    case 'quarter':
      return new Date(Date.UTC(y, m - (m % 3), 1));
    case 'year':
      return new Date(Date.UTC(y, 0, 1));
  }
}

function add(unit: Unit, d: Day, n: number): Day {
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth();
  const day = d.getUTCDate();
  switch (unit) {
    case 'day':
      return new Date(Date.UTC(y, m, day + n));
    case 'week':
      return new Date(Date.UTC(y, m, day + 7 * n));
    case 'month':
      return new Date(Date.UTC(y, m + n, day));
    case 'quarter':
      return new Date(Date.UTC(y, m + 3 * n, day));
    case 'year':
      return new Date(Date.UTC(y + n, m, day));
  }
}

/** The range of `unit` that is `offset` units from the current one (0 = this unit). */
function unitRange(unit: Unit, today: Day, offset: number, count = 1): DayRange {
  const start = add(unit, startOf(unit, today), offset);
  return { start, end: add(unit, start, count) };
}

const FIXED: Record<string, (today: Day) => DayRange> = {
  YESTERDAY: (t) => unitRange('day', t, -1),
  TODAY: (t) => unitRange('day', t, 0),
  TOMORROW: (t) => unitRange('day', t, 1),
  LAST_WEEK: (t) => unitRange('week', t, -1),
  THIS_WEEK: (t) => unitRange('week', t, 0),
  NEXT_WEEK: (t) => unitRange('week', t, 1),
  LAST_MONTH: (t) => unitRange('month', t, -1),
  THIS_MONTH: (t) => unitRange('month', t, 0),
  NEXT_MONTH: (t) => unitRange('month', t, 1),
  LAST_90_DAYS: (t) => ({ start: add('day', t, -90), end: add('day', t, 1) }),
  NEXT_90_DAYS: (t) => ({ start: add('day', t, 1), end: add('day', t, 91) }),
  LAST_QUARTER: (t) => unitRange('quarter', t, -1),
  THIS_QUARTER: (t) => unitRange('quarter', t, 0),
  NEXT_QUARTER: (t) => unitRange('quarter', t, 1),
  LAST_YEAR: (t) => unitRange('year', t, -1),
  THIS_YEAR: (t) => unitRange('year', t, 0),
  NEXT_YEAR: (t) => unitRange('year', t, 1),
  LAST_FISCAL_QUARTER: (t) => unitRange('quarter', t, -1),
  THIS_FISCAL_QUARTER: (t) => unitRange('quarter', t, 0),
  NEXT_FISCAL_QUARTER: (t) => unitRange('quarter', t, 1),
  LAST_FISCAL_YEAR: (t) => unitRange('year', t, -1),
  THIS_FISCAL_YEAR: (t) => unitRange('year', t, 0),
  NEXT_FISCAL_YEAR: (t) => unitRange('year', t, 1),
};

const UNITS: Record<string, Unit> = {
  DAYS: 'day',
  WEEKS: 'week',
  MONTHS: 'month',
  QUARTERS: 'quarter',
  YEARS: 'year',
  FISCAL_QUARTERS: 'quarter',
  FISCAL_YEARS: 'year',
};

function parameterised(name: string, n: number, today: Day): DayRange | undefined {
  const m = /^(LAST_N|NEXT_N|N)_(DAYS|WEEKS|MONTHS|QUARTERS|YEARS|FISCAL_QUARTERS|FISCAL_YEARS)(_AGO)?$/.exec(name);
  if (!m) return undefined;
  const [, kind, unitName, ago] = m;
  const unit = UNITS[unitName ?? ''];
  if (!unit) return undefined;
  if (kind === 'N' && ago) return unitRange(unit, today, -n);
  if (ago) return undefined;
  if (unit === 'day') {
    return kind === 'LAST_N' ? { start: add('day', today, -n), end: add('day', today, 1) } : { start: add('day', today, 1), end: add('day', today, n + 1) };
  }
  return kind === 'LAST_N' ? unitRange(unit, today, -n, n) : unitRange(unit, today, 1, n);
}

/**
 * The range of a date literal (`THIS_MONTH`, `LAST_N_DAYS:7`) at instant `now`, or undefined for
 * a name that is not a date literal.
 */
export function dateLiteralRange(literal: string, now: Date): DayRange | undefined {
  const today = utcDay(now);
  const [name = '', arg] = literal.toUpperCase().split(':');
  if (arg === undefined) return FIXED[name]?.(today);
  if (!/^\d+$/.test(arg)) return undefined;
  return parameterised(name, Number(arg), today);
}

/** `YYYY-MM-DD` of a UTC-midnight day. */
export function isoDay(d: Day): string {
  return d.toISOString().slice(0, 10);
}
