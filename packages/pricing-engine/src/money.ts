/**
 * Exact money: amounts are integers of a currency's minor unit (cents, fils, yen), percentages
 * are integer basis points, and every division rounds once, half-to-even.
 *
 * Why integers in JS `number`s rather than `bigint`: every product the engine forms is bounded
 * (see {@link MAX_UNIT_PRICE_MINOR}) so it stays below 2^53, where double arithmetic on integers
 * is exact, and the columnar path can keep them in `Float64Array`s with no boxing. The one place
 * that can exceed the bound (a quote-level percentage of a gigantic subtotal) falls back to
 * `bigint`.
 *
 * Why half-to-even ("banker's rounding"):
 * - it is what Apex's `Decimal.setScale(2)` and `Decimal.round()` do by default, i.e. what the
 *   Batch Apex this engine replaces would have produced;
 * - basis-point discounts hit exact ties often (0.30 at 15% off is exactly 0.255), and rounding
 *   every tie up would bias millions of lines upward by half a minor unit each; half-even is
 *   unbiased on average.
 * Salesforce formula `ROUND()` rounds half up, so a formula field recomputing our numbers can
 * differ by one minor unit on an exact tie; nothing else differs.
 */

/** Minor-unit decimals the engine supports. */
export type CurrencyDecimals = 0 | 1 | 2 | 3;

/**
 * ISO 4217 minor units for the currencies the engine knows out of the box. A rule set can add
 * or override entries (`currencyDecimals`), e.g. when an org configured a currency differently
 * in Setup > Manage Currencies.
 */
export const CURRENCY_DECIMALS: Readonly<Record<string, CurrencyDecimals>> = Object.freeze({
  // zero-decimal currencies
  JPY: 0,
  KRW: 0,
  CLP: 0,
  ISK: 0,
  VND: 0,
  PYG: 0,
  UGX: 0,
  XAF: 0,
  XOF: 0,
  // three-decimal currencies
  KWD: 3,
  BHD: 3,
  OMR: 3,
  JOD: 3,
  TND: 3,
  LYD: 3,
  IQD: 3,
  // two-decimal currencies
  USD: 2,
  EUR: 2,
  GBP: 2,
  CAD: 2,
  AUD: 2,
  NZD: 2,
  CHF: 2,
  SEK: 2,
  NOK: 2,
  DKK: 2,
  PLN: 2,
  CZK: 2,
  HUF: 2,
  RON: 2,
  TRY: 2,
  ILS: 2,
  AED: 2,
  SAR: 2,
  QAR: 2,
  EGP: 2,
  ZAR: 2,
  NGN: 2,
  KES: 2,
  INR: 2,
  CNY: 2,
  HKD: 2,
  TWD: 2,
  SGD: 2,
  MYR: 2,
  THB: 2,
  IDR: 2,
  PHP: 2,
  MXN: 2,
  BRL: 2,
  ARS: 2,
  COP: 2,
  PEN: 2,
});

/** Basis points in 100%: discounts are integers in [0, 10000]. */
export const BPS_SCALE = 10_000;

/** Quantities are integers of hundredths (Salesforce stores Quantity with two decimals). */
export const QUANTITY_SCALE = 100;

/** Largest integer every intermediate result may reach (2^53 - 1). */
export const MAX_SAFE_MINOR = Number.MAX_SAFE_INTEGER;

/**
 * Largest list unit price, in minor units, the engine accepts: `price × (10000 - bps) + 5000`
 * (the rounding step of the columnar path) must stay below 2^53 to be exact.
 * 900,719,925,473 minor units is about 9 billion USD per unit, far beyond any price book.
 */
export const MAX_UNIT_PRICE_MINOR = Math.floor((MAX_SAFE_MINOR - BPS_SCALE) / BPS_SCALE);

/**
 * Largest `unit price × quantity in hundredths` the engine accepts, for the same reason
 * (headroom for the `+ 50` of the rounding step).
 */
export const MAX_LINE_PRODUCT = MAX_SAFE_MINOR - QUANTITY_SCALE;

/**
 * Converts a decimal JS number to an integer of `10^-decimals` units, or `NaN` when the number
 * is not (the nearest double to) a decimal with at most `decimals` digits after the point.
 *
 * Why this is exact: if `value` is the double nearest to `m / 10^d`, then `value × 10^d` is within
 * a tiny fraction of `m` and rounds to it, and the IEEE division `m / 10^d` (correctly rounded)
 * gives back exactly `value`. If `value` has more decimals, no integer `m` survives the round
 * trip, so 19.99 is accepted as 1999 cents while 19.995 and the float artefact
 * 0.30000000000000004 are rejected. The caller checks sign and magnitude first.
 */
export function toScaledInteger(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  const scaled = Math.round(value * factor);
  if (!Number.isSafeInteger(scaled) || scaled / factor !== value) return Number.NaN;
  return scaled + 0; // -0 becomes 0
}

/**
 * `n / d` rounded half-to-even, for an integer `0 <= n <= 2^53 - 1` and an integer `d >= 1`.
 *
 * Only integer-valued doubles are involved: the floor of the float quotient can be off by one
 * when the quotient is within an ulp of an integer, so the remainder is corrected explicitly
 * rather than trusting `Math.round` on a float.
 */
export function divRoundHalfEven(n: number, d: number): number {
  let q = Math.floor(n / d);
  let r = n - q * d;
  if (r < 0) {
    q -= 1;
    r += d;
  } else if (r >= d) {
    q += 1;
    r -= d;
  }
  const twice = r * 2;
  if (twice > d || (twice === d && q % 2 === 1)) q += 1;
  return q;
}

/**
 * Discounted unit price: `listMinor × (1 - bps/10000)`, rounded once, half-to-even.
 * E.g. 1999 cents at 1500 bps: 1999 × 8500 / 10000 = 1699.15, so 1699 cents.
 */
export function discountedUnitMinor(listMinor: number, discountBps: number): number {
  return divRoundHalfEven(listMinor * (BPS_SCALE - discountBps), BPS_SCALE);
}

/**
 * Line amount: `unitMinor × quantity`, with the quantity in hundredths, rounded once,
 * half-to-even. E.g. 1699 cents × 3 (300 hundredths) = 5097 cents.
 */
export function lineAmountMinor(unitMinor: number, quantityHundredths: number): number {
  return divRoundHalfEven(unitMinor * quantityHundredths, QUANTITY_SCALE);
}

const MAX_SAFE_DIVIDEND_BPS = Math.floor(MAX_SAFE_MINOR / BPS_SCALE);

/**
 * Effective discount of a quote in basis points, `discount / subtotal × 10000`, rounded
 * half-to-even; 0 for an empty (zero) subtotal.
 *
 * Exact in `number`s while `discountMinor × 10000` stays below 2^53 (discounts up to about
 * 9 billion USD); beyond that it takes a `bigint` path, the only place the engine allocates
 * per quote.
 */
export function effectiveDiscountBps(discountMinor: number, subtotalMinor: number): number {
  if (subtotalMinor <= 0) return 0;
  if (discountMinor <= MAX_SAFE_DIVIDEND_BPS) {
    return divRoundHalfEven(discountMinor * BPS_SCALE, subtotalMinor);
  }
  const n = BigInt(discountMinor) * BigInt(BPS_SCALE);
  const d = BigInt(subtotalMinor);
  let q = n / d;
  const twice = (n - q * d) * 2n;
  if (twice > d || (twice === d && q % 2n === 1n)) q += 1n;
  return Number(q);
}

/**
 * Exact decimal string of a minor-unit amount: `formatMinor(1699, 2) === '16.99'`,
 * `formatMinor(5, 3) === '0.005'`, `formatMinor(1200, 0) === '1200'`.
 */
export function formatMinor(minor: number, decimals: number): string {
  const negative = minor < 0;
  const digits = String(Math.abs(minor));
  if (decimals === 0) return negative ? `-${digits}` : digits;
  const padded = digits.padStart(decimals + 1, '0');
  const point = padded.length - decimals;
  return `${negative ? '-' : ''}${padded.slice(0, point)}.${padded.slice(point)}`;
}

/**
 * A minor-unit amount as the JS number Salesforce expects: `minorToNumber(1699, 2) === 16.99`.
 *
 * The IEEE division `minor / 10^decimals` is correctly rounded, so it yields the same double as
 * parsing the exact decimal string {@link formatMinor} would (the double nearest to 16.99), with
 * no float drift: JSON.stringify prints it back as `16.99`.
 */
export function minorToNumber(minor: number, decimals: number): number {
  return minor / 10 ** decimals;
}

/** Basis points as a percent number: `bpsToPercent(1250) === 12.5`. */
export function bpsToPercent(bps: number): number {
  return bps / 100;
}
