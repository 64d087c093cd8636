/**
 * SOQL functions over fields: date functions (`CALENDAR_YEAR(CloseDate)`, usable in SELECT of
 * aggregate queries, WHERE, GROUP BY, ORDER BY, HAVING) and aggregates (`COUNT`, `SUM`, …).
 * Dates are evaluated in UTC (the org's time zone); fiscal functions use the default fiscal year
 * (starting in January), so they equal the calendar ones.
 */
import type { Operand } from './scope.js';
import { soqlErrors } from './soql-errors.js';

const INT = (expr: string): string => `CAST(${expr} AS integer)`;

const DATE_FUNCTIONS: Record<string, (e: string) => string> = {
  CALENDAR_YEAR: (e) => INT(`EXTRACT(YEAR FROM ${e})`),
  CALENDAR_QUARTER: (e) => INT(`EXTRACT(QUARTER FROM ${e})`),
  CALENDAR_MONTH: (e) => INT(`EXTRACT(MONTH FROM ${e})`),
  FISCAL_YEAR: (e) => INT(`EXTRACT(YEAR FROM ${e})`),
  FISCAL_QUARTER: (e) => INT(`EXTRACT(QUARTER FROM ${e})`),
  FISCAL_MONTH: (e) => INT(`EXTRACT(MONTH FROM ${e})`),
  DAY_IN_MONTH: (e) => INT(`EXTRACT(DAY FROM ${e})`),
  // Salesforce numbers weekdays 1 (Sunday) … 7 (Saturday); PostgreSQL's DOW is 0 … 6.
  DAY_IN_WEEK: (e) => INT(`EXTRACT(DOW FROM ${e}) + 1`),
  DAY_IN_YEAR: (e) => INT(`EXTRACT(DOY FROM ${e})`),
  WEEK_IN_MONTH: (e) => INT(`FLOOR((EXTRACT(DAY FROM ${e}) - 1) / 7) + 1`),
  WEEK_IN_YEAR: (e) => INT(`FLOOR((EXTRACT(DOY FROM ${e}) - 1) / 7) + 1`),
  HOUR_IN_DAY: (e) => INT(`EXTRACT(HOUR FROM ${e})`),
};

/** True when `name` is a SOQL date function. */
export function isDateFunction(name: string): boolean {
  return name.toUpperCase() in DATE_FUNCTIONS || name.toUpperCase() === 'DAY_ONLY';
}

/** The operand of date function `name` applied to `arg`. */
export function dateFunction(soql: string, name: string, arg: Operand, text: string): Operand {
  const upper = name.toUpperCase();
  if (arg.kind !== 'date' && arg.kind !== 'datetime') {
    throw soqlErrors.malformed(soql, `${upper} can only be used with date or dateTime fields: ${arg.name}`, text);
  }
  if (upper === 'DAY_ONLY') {
    if (arg.kind !== 'datetime') throw soqlErrors.malformed(soql, `DAY_ONLY can only be used with dateTime fields: ${arg.name}`, text);
    return { expr: `CAST(${arg.expr} AS date)`, kind: 'date', name: arg.name, text, typeName: 'date' };
  }
  const build = DATE_FUNCTIONS[upper];
  if (!build) throw soqlErrors.malformed(soql, `Unknown function ${name}`, text);
  if (upper === 'HOUR_IN_DAY' && arg.kind !== 'datetime') {
    throw soqlErrors.malformed(soql, `HOUR_IN_DAY can only be used with dateTime fields: ${arg.name}`, text);
  }
  return { expr: build(arg.expr), kind: 'number', name: arg.name, text, typeName: 'integer' };
}

/** The aggregate functions of SOQL. */
export const AGGREGATES = new Set(['COUNT', 'COUNT_DISTINCT', 'SUM', 'AVG', 'MIN', 'MAX']);

/** True when `name` is an aggregate function. */
export function isAggregate(name: string | undefined): boolean {
  return name !== undefined && AGGREGATES.has(name.toUpperCase());
}

/** The operand of aggregate `name` over `arg` (undefined `arg` = `COUNT()`/`COUNT(*)`-style row count). */
export function aggregate(soql: string, name: string, arg: Operand | undefined, text: string): Operand {
  const upper = name.toUpperCase();
  if (!arg) return { expr: 'COUNT(*)', kind: 'number', name: upper, text, typeName: 'integer' };
  switch (upper) {
    case 'COUNT':
      return { expr: `COUNT(${arg.expr})`, kind: 'number', name: upper, text, typeName: 'integer' };
    case 'COUNT_DISTINCT':
      return { expr: `COUNT(DISTINCT ${arg.expr})`, kind: 'number', name: upper, text, typeName: 'integer' };
    case 'SUM':
    case 'AVG':
      if (arg.kind !== 'number') throw soqlErrors.aggregateNotSupported(soql, text, arg.name, upper);
      return { expr: `${upper}(${arg.expr})`, kind: 'number', name: upper, text, typeName: 'double' };
    case 'MIN':
    case 'MAX':
      if (arg.kind === 'boolean' || arg.kind === 'multi') throw soqlErrors.aggregateNotSupported(soql, text, arg.name, upper);
      return { expr: `${upper}(${arg.expr})`, kind: arg.kind, name: upper, text, typeName: arg.typeName };
    default:
      throw soqlErrors.malformed(soql, `Unknown aggregate function ${name}`, text);
  }
}
