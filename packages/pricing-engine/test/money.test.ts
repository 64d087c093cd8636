import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CURRENCY_DECIMALS,
  MAX_UNIT_PRICE_MINOR,
  bpsToPercent,
  discountedUnitMinor,
  divRoundHalfEven,
  effectiveDiscountBps,
  formatMinor,
  lineAmountMinor,
  minorToNumber,
  toScaledInteger,
} from '../src/index.js';

/** Reference: round(n / d) half-to-even in bigint, no floats anywhere. */
function referenceDiv(n: bigint, d: bigint): bigint {
  const q = n / d;
  const twice = (n - q * d) * 2n;
  return twice > d || (twice === d && q % 2n === 1n) ? q + 1n : q;
}

describe('currency table', () => {
  it('has 0, 2 and 3 decimal currencies', () => {
    expect(CURRENCY_DECIMALS.JPY).toBe(0);
    expect(CURRENCY_DECIMALS.USD).toBe(2);
    expect(CURRENCY_DECIMALS.EUR).toBe(2);
    expect(CURRENCY_DECIMALS.KWD).toBe(3);
    expect(CURRENCY_DECIMALS.BHD).toBe(3);
    expect(CURRENCY_DECIMALS.XYZ).toBeUndefined();
  });
});

describe('toScaledInteger', () => {
  it('converts decimals that fit the scale exactly', () => {
    expect(toScaledInteger(19.99, 2)).toBe(1999);
    expect(toScaledInteger(0.1, 2)).toBe(10);
    expect(toScaledInteger(1.005, 3)).toBe(1005);
    expect(toScaledInteger(1200, 0)).toBe(1200);
    expect(toScaledInteger(4.35, 2)).toBe(435); // 4.35 * 100 = 434.99999999999994 in floats
    expect(toScaledInteger(1.1, 2)).toBe(110); // 1.1 * 100 = 110.00000000000001 in floats
    expect(toScaledInteger(-0, 2)).toBe(0);
    expect(Object.is(toScaledInteger(-0, 2), 0)).toBe(true);
  });

  it('rejects values with more decimals than the scale', () => {
    expect(toScaledInteger(19.995, 2)).toBeNaN();
    expect(toScaledInteger(100.5, 0)).toBeNaN();
    expect(toScaledInteger(1.2345, 3)).toBeNaN();
    expect(toScaledInteger(0.1 + 0.2, 2)).toBeNaN(); // 0.30000000000000004
    expect(toScaledInteger(Number.NaN, 2)).toBeNaN();
    expect(toScaledInteger(Number.POSITIVE_INFINITY, 2)).toBeNaN();
  });

  it('round-trips every 2-decimal amount up to 10 billion', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000_000_000 }), (cents) => {
        expect(toScaledInteger(Number(formatMinor(cents, 2)), 2)).toBe(cents);
      }),
    );
  });

  it('round-trips every 3-decimal amount and rejects a fourth decimal', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 100_000_000_000 }),
        fc.integer({ min: 1, max: 9 }),
        (fils, extra) => {
          const text = formatMinor(fils, 3);
          expect(toScaledInteger(Number(text), 3)).toBe(fils);
          expect(toScaledInteger(Number(`${text}${extra}`), 3)).toBeNaN();
        },
      ),
    );
  });
});

describe('divRoundHalfEven', () => {
  it('rounds ties to even and everything else to nearest', () => {
    expect(divRoundHalfEven(5, 10)).toBe(0); // 0.5 -> 0
    expect(divRoundHalfEven(15, 10)).toBe(2); // 1.5 -> 2
    expect(divRoundHalfEven(25, 10)).toBe(2); // 2.5 -> 2
    expect(divRoundHalfEven(35, 10)).toBe(4); // 3.5 -> 4
    expect(divRoundHalfEven(14, 10)).toBe(1);
    expect(divRoundHalfEven(16, 10)).toBe(2);
    expect(divRoundHalfEven(0, 7)).toBe(0);
    expect(divRoundHalfEven(Number.MAX_SAFE_INTEGER, 1)).toBe(Number.MAX_SAFE_INTEGER);
    expect(divRoundHalfEven(Number.MAX_SAFE_INTEGER, 10_000)).toBe(900_719_925_474); // .0991 rounds down
  });

  it('agrees with a bigint reference over the whole safe range', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
        fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
        (n, d) => {
          expect(BigInt(divRoundHalfEven(n, d))).toBe(referenceDiv(BigInt(n), BigInt(d)));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('agrees with the reference near integer quotients, where a float floor is off by one', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2 ** 40 }),
        fc.constantFrom(100, 10_000),
        fc.integer({ min: -3, max: 3 }),
        (q, d, delta) => {
          const n = q * d + delta;
          if (n < 0 || n > Number.MAX_SAFE_INTEGER) return;
          expect(BigInt(divRoundHalfEven(n, d))).toBe(referenceDiv(BigInt(n), BigInt(d)));
        },
      ),
    );
  });
});

describe('discounts and line amounts', () => {
  it('prices 19.99 at 15% off, 3 units, to exact cents every time', () => {
    // 19.99 × 0.85 = 16.9915 -> 16.99; 16.99 × 3 = 50.97. In floats the seed got 16.991499999999998.
    expect(discountedUnitMinor(1999, 1500)).toBe(1699);
    expect(lineAmountMinor(1699, 300)).toBe(5097);
    expect(lineAmountMinor(1999, 300)).toBe(5997);
  });

  it('rounds a discounted unit price once, half to even', () => {
    expect(discountedUnitMinor(10, 1500)).toBe(8); // 8.5 -> 8
    expect(discountedUnitMinor(30, 1500)).toBe(26); // 25.5 -> 26
    expect(discountedUnitMinor(230, 1500)).toBe(196); // 195.5 -> 196
    expect(discountedUnitMinor(10_000, 0)).toBe(10_000);
    expect(discountedUnitMinor(10_000, 10_000)).toBe(0);
    expect(MAX_UNIT_PRICE_MINOR).toBe(900_719_925_473);
    expect(discountedUnitMinor(MAX_UNIT_PRICE_MINOR, 1)).toBe(900_629_853_480); // × 0.9999 = 900,629,853,480.4527
  });

  it('rounds fractional quantities once', () => {
    expect(lineAmountMinor(1699, 250)).toBe(4248); // 42.475 -> 42.48 (7 is odd)
    expect(lineAmountMinor(1701, 250)).toBe(4252); // 42.525 -> 42.52 (2 is even)
    expect(lineAmountMinor(333, 1)).toBe(3); // 3.33 × 0.01 = 0.0333
    expect(lineAmountMinor(1, 50)).toBe(0); // 0.5 -> 0
    expect(lineAmountMinor(3, 50)).toBe(2); // 1.5 -> 2
  });
});

describe('effectiveDiscountBps', () => {
  it('is the discount share of the subtotal in basis points, rounded half to even', () => {
    expect(effectiveDiscountBps(3900, 25_997)).toBe(1500); // 1500.17...
    expect(effectiveDiscountBps(1, 3)).toBe(3333);
    expect(effectiveDiscountBps(1, 20_000)).toBe(0); // 0.5 bps -> 0
    expect(effectiveDiscountBps(3, 20_000)).toBe(2); // 1.5 bps -> 2
    expect(effectiveDiscountBps(0, 0)).toBe(0);
  });

  it('takes the bigint path for huge amounts and stays exact', () => {
    const subtotal = 9_000_000_000_000_000; // > 9e11 discount needs bigint
    expect(effectiveDiscountBps(1_350_000_000_000_000, subtotal)).toBe(1500);
    expect(effectiveDiscountBps(4_500_000_000_000_450, 9_000_000_000_000_000)).toBe(5000); // 5000.0005 -> 5000
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (s, share) => {
          const discount = Math.floor(s * share);
          expect(BigInt(effectiveDiscountBps(discount, s))).toBe(
            referenceDiv(BigInt(discount) * 10_000n, BigInt(s)),
          );
        },
      ),
    );
  });
});

describe('formatting', () => {
  it('prints exact decimal strings', () => {
    expect(formatMinor(1699, 2)).toBe('16.99');
    expect(formatMinor(5, 2)).toBe('0.05');
    expect(formatMinor(5, 3)).toBe('0.005');
    expect(formatMinor(1235, 3)).toBe('1.235');
    expect(formatMinor(1200, 0)).toBe('1200');
    expect(formatMinor(-1699, 2)).toBe('-16.99');
    expect(formatMinor(0, 2)).toBe('0.00');
  });

  it('turns minor units into the JS number Salesforce expects, without float noise', () => {
    expect(minorToNumber(1699, 2)).toBe(16.99);
    expect(minorToNumber(5097, 2)).toBe(50.97);
    expect(minorToNumber(1235, 3)).toBe(1.235);
    expect(minorToNumber(1200, 0)).toBe(1200);
    expect(JSON.stringify({ UnitPrice: minorToNumber(1699, 2) })).toBe('{"UnitPrice":16.99}');
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
        fc.constantFrom(0, 2, 3),
        (minor, decimals) => {
          expect(minorToNumber(minor, decimals)).toBe(Number(formatMinor(minor, decimals)));
        },
      ),
    );
    expect(bpsToPercent(1250)).toBe(12.5);
  });
});
