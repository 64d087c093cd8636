/**
 * Calendar dates as plain `YYYY-MM-DD` strings and integer day numbers, with no `Date` object.
 *
 * Why: the seed did `new Date('2024-03-31')` (UTC midnight) and then `setDate(getDate() + 30)`
 * (local time). West of Greenwich the local date of UTC midnight is the previous day, so the
 * quote expired a day early, and the result depended on the worker's TZ. Salesforce Date fields
 * have no time zone at all, so the engine treats them as proleptic-Gregorian calendar dates and
 * does integer arithmetic on days since 1970-01-01 (Howard Hinnant's `days_from_civil` /
 * `civil_from_days` algorithms). Nothing here reads the clock or the time zone.
 */

/** First day the engine accepts (0001-01-01), as a day number. */
export const MIN_EPOCH_DAY = -719_162;
/** Last day the engine accepts or produces (9999-12-31), as a day number. */
export const MAX_EPOCH_DAY = 2_932_896;

/** `true` for leap years of the Gregorian calendar (2000 and 2024 yes, 1900 and 2100 no). */
export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** Days in `month` (1-12) of `year`. */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Day number (days since 1970-01-01) of a valid Gregorian date. */
export function epochDayFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const shiftedMonth = month > 2 ? month - 3 : month + 9; // March = 0, so Feb 29 is last
  const dayOfYear = Math.floor((153 * shiftedMonth + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

/**
 * Parses a strict `YYYY-MM-DD` date (years 0001-9999, real month/day, leap years honoured) into
 * a day number, or returns `NaN` for anything else (`2023-02-29`, `2024-1-5`,
 * `2024-01-05T00:00:00Z`...).
 */
export function parseEpochDay(text: string): number {
  // Hand-rolled rather than a RegExp: the batch builder parses one date per opportunity.
  if (text.length !== 10 || text.charCodeAt(4) !== DASH || text.charCodeAt(7) !== DASH) return Number.NaN;
  const year = readDigits(text, 0, 4);
  const month = readDigits(text, 5, 2);
  const day = readDigits(text, 8, 2);
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    return Number.NaN;
  }
  return epochDayFromCivil(year, month, day);
}

const DASH = 45;
const ZERO = 48;

/** Decimal value of `count` ASCII digits at `start`, or -1 if any is not a digit. */
function readDigits(text: string, start: number, count: number): number {
  let value = 0;
  for (let i = start; i < start + count; i++) {
    const digit = text.charCodeAt(i) - ZERO;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

/** `YYYY-MM-DD` of a day number in [{@link MIN_EPOCH_DAY}, {@link MAX_EPOCH_DAY}]. */
export function formatEpochDay(epochDay: number): string {
  const z = epochDay + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor(
    (dayOfEra -
      Math.floor(dayOfEra / 1460) +
      Math.floor(dayOfEra / 36_524) -
      Math.floor(dayOfEra / 146_096)) /
      365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const shiftedMonth = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * shiftedMonth + 2) / 5) + 1;
  const month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/**
 * `date` plus `days` calendar days, e.g. `addDays('2024-01-31', 30) === '2024-03-01'`.
 * Throws a `RangeError` for a malformed date or a result outside 0001-01-01..9999-12-31; the
 * pricing APIs turn those into `INVALID_DATE` errors that name the opportunity.
 */
export function addDays(date: string, days: number): string {
  const start = parseEpochDay(date);
  if (Number.isNaN(start)) throw new RangeError(`not a YYYY-MM-DD calendar date: ${JSON.stringify(date)}`);
  if (!Number.isSafeInteger(days)) throw new RangeError(`days must be an integer, got ${days}`);
  const end = start + days;
  if (end < MIN_EPOCH_DAY || end > MAX_EPOCH_DAY) {
    throw new RangeError(`${date} + ${days} days is outside 0001-01-01..9999-12-31`);
  }
  return formatEpochDay(end);
}
