import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_RULE_SET,
  MAX_EPOCH_DAY,
  MIN_EPOCH_DAY,
  addDays,
  daysInMonth,
  formatEpochDay,
  isLeapYear,
  parseEpochDay,
  priceQuote,
} from '../src/index.js';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

describe('calendar basics', () => {
  it('knows Gregorian leap years', () => {
    expect([2000, 2004, 2024, 2400].map(isLeapYear)).toEqual([true, true, true, true]);
    expect([1900, 2023, 2100, 2200].map(isLeapYear)).toEqual([false, false, false, false]);
    expect(daysInMonth(2024, 2)).toBe(29);
    expect(daysInMonth(2023, 2)).toBe(28);
    expect(daysInMonth(1900, 2)).toBe(28);
    expect(daysInMonth(2000, 2)).toBe(29);
    expect(daysInMonth(2024, 4)).toBe(30);
    expect(daysInMonth(2024, 12)).toBe(31);
  });

  it('numbers days from 1970-01-01 and back', () => {
    expect(parseEpochDay('1970-01-01')).toBe(0);
    expect(parseEpochDay('2000-03-01')).toBe(11_017);
    expect(parseEpochDay('1969-12-31')).toBe(-1);
    expect(parseEpochDay('0001-01-01')).toBe(MIN_EPOCH_DAY);
    expect(parseEpochDay('9999-12-31')).toBe(MAX_EPOCH_DAY);
    expect(formatEpochDay(0)).toBe('1970-01-01');
    expect(formatEpochDay(MIN_EPOCH_DAY)).toBe('0001-01-01');
    expect(formatEpochDay(MAX_EPOCH_DAY)).toBe('9999-12-31');
  });

  it('rejects anything but a real YYYY-MM-DD date', () => {
    for (const bad of [
      '2023-02-29',
      '2100-02-29',
      '2024-04-31',
      '2024-13-01',
      '2024-00-10',
      '2024-01-00',
      '0000-01-01',
      '2024-1-05',
      '24-01-05',
      '2024/01/05',
      '2024-01-05T00:00:00Z',
      ' 2024-01-05',
      '',
    ]) {
      expect(parseEpochDay(bad), bad).toBeNaN();
    }
    expect(parseEpochDay('2024-02-29')).not.toBeNaN();
    expect(parseEpochDay('2000-02-29')).not.toBeNaN();
  });

  it('agrees with Date.UTC on every day from 0001 to 9999', () => {
    fc.assert(
      fc.property(fc.integer({ min: MIN_EPOCH_DAY, max: MAX_EPOCH_DAY }), (day) => {
        const text = formatEpochDay(day);
        expect(new Date(day * 86_400_000).toISOString().slice(0, 10)).toBe(text);
        expect(parseEpochDay(text)).toBe(day);
      }),
      { numRuns: 5000 },
    );
  });
});

describe('addDays (quote expiration)', () => {
  it('crosses month ends', () => {
    expect(addDays('2024-01-31', 30)).toBe('2024-03-01'); // leap February
    expect(addDays('2023-01-31', 30)).toBe('2023-03-02'); // common February
    expect(addDays('2024-04-30', 30)).toBe('2024-05-30');
    expect(addDays('2024-05-31', 30)).toBe('2024-06-30');
    expect(addDays('2024-06-30', 1)).toBe('2024-07-01');
  });

  it('crosses year ends', () => {
    expect(addDays('2024-12-15', 30)).toBe('2025-01-14');
    expect(addDays('2024-12-31', 1)).toBe('2025-01-01');
    expect(addDays('1999-12-02', 30)).toBe('2000-01-01');
  });

  it('handles leap days', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2024-02-29', 30)).toBe('2024-03-30');
    expect(addDays('2024-01-30', 30)).toBe('2024-02-29');
    expect(addDays('2023-01-30', 30)).toBe('2023-03-01');
    expect(addDays('2000-01-30', 30)).toBe('2000-02-29'); // 2000 is a leap year
    expect(addDays('2100-01-30', 30)).toBe('2100-03-01'); // 2100 is not
    expect(addDays('2024-02-29', 366)).toBe('2025-03-01');
  });

  it('handles DST dates like any other day (the seed did not)', () => {
    expect(addDays('2024-03-01', 30)).toBe('2024-03-31'); // US DST starts 2024-03-10
    expect(addDays('2024-03-15', 30)).toBe('2024-04-14'); // EU DST starts 2024-03-31
    expect(addDays('2024-10-15', 30)).toBe('2024-11-14');
  });

  it('refuses malformed dates and results outside years 1-9999', () => {
    expect(() => addDays('2023-02-29', 30)).toThrow(RangeError);
    expect(() => addDays('9999-12-31', 1)).toThrow(/outside/);
    expect(() => addDays('0001-01-01', -1)).toThrow(/outside/);
    expect(() => addDays('2024-01-01', 1.5)).toThrow(/integer/);
    expect(addDays('9999-12-01', 30)).toBe('9999-12-31');
  });

  it('gives the same expiration dates in every time zone (child processes with TZ set)', () => {
    const script = `
      const { addDays } = await import(${JSON.stringify(`${packageDir}src/dates.ts`)});
      const seed = (d) => { const e = new Date(d); e.setDate(e.getDate() + 30); return e.toISOString().split('T')[0]; };
      const dates = ['2024-01-31', '2024-02-29', '2024-03-01', '2024-03-15', '2024-10-15', '2024-12-15'];
      console.log(JSON.stringify({ engine: dates.map((d) => addDays(d, 30)), seed: dates.map(seed) }));
    `;
    const run = (tz: string): { engine: string[]; seed: string[] } => {
      const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
        cwd: packageDir,
        env: { ...process.env, TZ: tz },
        encoding: 'utf8',
      });
      expect(child.stderr).toBe('');
      expect(child.status).toBe(0);
      return JSON.parse(child.stdout) as { engine: string[]; seed: string[] };
    };
    const expected = ['2024-03-01', '2024-03-30', '2024-03-31', '2024-04-14', '2024-11-14', '2025-01-14'];
    const utc = run('UTC');
    const losAngeles = run('America/Los_Angeles');
    const berlin = run('Europe/Berlin');
    const kiritimati = run('Pacific/Kiritimati');
    for (const result of [utc, losAngeles, berlin, kiritimati]) expect(result.engine).toEqual(expected);
    // The seed's local-time setDate is right in UTC but a day early across a DST change:
    expect(utc.seed).toEqual(expected);
    expect(losAngeles.seed[2]).toBe('2024-03-30'); // should be 2024-03-31
    expect(berlin.seed[3]).toBe('2024-04-13'); // should be 2024-04-14
  });

  it('is what priceQuote puts on the quote, with the rule set’s number of days', () => {
    const quote = priceQuote({ id: '006X', closeDate: '2024-12-15', currencyIsoCode: 'USD', lines: [] });
    expect(DEFAULT_RULE_SET.expirationDays).toBe(30);
    expect(quote.expirationDate).toBe('2025-01-14');
    expect(quote.closeDate).toBe('2024-12-15');
  });
});
