/**
 * Number and date formatting for documents. Amounts arrive as integers of the currency's minor
 * unit (the pricing engine's representation) and are formatted from their exact decimal string
 * (`Intl.NumberFormat#format` takes a decimal string without going through a double), so
 * 12,345,678,901,234.567 KWD prints exactly and a JPY amount shows no decimals.
 */
import { formatMinor } from '@ecars/pricing-engine';

// Formatters are costly to build (ICU data lookups) and a worker renders thousands of documents
// in a handful of locales and currencies, so each is built once.
const cache = new Map<string, Intl.NumberFormat>();

function formatter(key: string, make: () => Intl.NumberFormat): Intl.NumberFormat {
  let nf = cache.get(key);
  if (nf === undefined) {
    nf = make();
    cache.set(key, nf);
  }
  return nf;
}

/**
 * `formatMoney(169_900, 'EUR', 2, 'de-DE') === '1.699,00 €'`. The number of decimals is the
 * record's (the engine's `currencyDecimals`), not ICU's default for the currency, so a currency
 * an org configured differently still prints the amounts it stored.
 */
export function formatMoney(
  minor: number,
  currencyIsoCode: string,
  decimals: number,
  locale: string,
): string {
  const nf = formatter(
    `m|${locale}|${currencyIsoCode}|${decimals}`,
    () =>
      new Intl.NumberFormat(locale, {
        style: 'currency',
        currency: currencyIsoCode,
        minimumFractionDigits: decimals,
        maximumFractionDigits: decimals,
      }),
  );
  return nf.format(formatMinor(minor, decimals) as `${number}`);
}

/** Basis points as a percentage: `formatPercent(1250, 'en-US') === '12.5%'`. */
export function formatPercent(bps: number, locale: string): string {
  const nf = formatter(
    `p|${locale}`,
    () => new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 2 }),
  );
  return nf.format(formatMinor(bps, 4) as `${number}`);
}

/** A quantity with up to two decimals (Salesforce's scale): `formatQuantity(2.5, 'en-US') === '2.5'`. */
export function formatQuantity(quantity: number, locale: string): string {
  const nf = formatter(`q|${locale}`, () => new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }));
  return nf.format(quantity);
}

/**
 * A calendar date `YYYY-MM-DD` in the locale's medium style, without a time zone: the date a
 * record carries is a calendar day, so it is formatted as that day in UTC, never shifted.
 */
export function formatDate(isoDate: string, locale: string): string {
  const nf = dateFormatter(locale);
  return nf.format(new Date(`${isoDate}T00:00:00Z`));
}

const dateCache = new Map<string, Intl.DateTimeFormat>();
function dateFormatter(locale: string): Intl.DateTimeFormat {
  let df = dateCache.get(locale);
  if (df === undefined) {
    df = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' });
    dateCache.set(locale, df);
  }
  return df;
}
