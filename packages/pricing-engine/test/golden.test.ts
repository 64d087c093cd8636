/**
 * Golden tests: the engine with the default rule set reproduces the seed's pricing, exactly
 * rounded, and fixes the seed's float drift.
 */
import { describe, expect, it } from 'vitest';
import { discountedUnitMinor, priceQuote, type OpportunityInput } from '../src/index.js';
import { seedDiscountForRegion, seedUnitPrice } from '../src/seed-baseline.js';

function opportunity(region: string | null, unitPrice: number, quantity: number): OpportunityInput {
  return {
    id: '006000000000001AAA',
    closeDate: '2024-06-30',
    currencyIsoCode: 'USD',
    pricebook2Id: '01s000000000001AAA',
    accountRegion: region,
    lines: [
      {
        id: '00k000000000001AAA',
        pricebookEntryId: '01u000000000001AAA',
        product2Id: '01t000000000001AAA',
        quantity,
        unitPrice,
      },
    ],
  };
}

function firstLine(region: string | null, unitPrice: number, quantity = 1) {
  const line = priceQuote(opportunity(region, unitPrice, quantity)).lines[0];
  if (line === undefined) throw new Error('no line');
  return line;
}

describe('golden: seed region discounts', () => {
  it('prices UnitPrice 100, quantity 2 like the seed in every region', () => {
    const cases: [string | null, number, number, number][] = [
      // region, unit cents, line total cents, discount bps
      ['NAMER', 9000, 18_000, 1000],
      ['EMEA', 8500, 17_000, 1500],
      ['APAC', 9200, 18_400, 800],
      ['LATAM', 9500, 19_000, 500],
      [null, 9500, 19_000, 500],
    ];
    for (const [region, unit, total, bps] of cases) {
      const quote = priceQuote(opportunity(region, 100, 2));
      const line = quote.lines[0];
      expect(line?.unitPriceMinor, String(region)).toBe(unit);
      expect(line?.lineTotalMinor, String(region)).toBe(total);
      expect(line?.discountBps, String(region)).toBe(bps);
      expect(line?.listUnitPriceMinor).toBe(10_000);
      expect(quote.subtotalMinor).toBe(20_000);
      expect(quote.totalMinor).toBe(total);
      expect(quote.totalDiscountMinor).toBe(20_000 - total);
      expect(quote.discountBps).toBe(bps);
      expect(quote.needsApproval).toBe(false);
      // the seed's float result, for comparison: exact here
      expect(seedUnitPrice(100, region) * 100).toBeCloseTo(unit, 9);
    }
  });

  it('matches the correctly rounded seed result on sample prices', () => {
    // [unit price, region, expected cents]: exact value in the comment
    const samples: [number, string | null, number][] = [
      [19.99, 'NAMER', 1799], // 17.991
      [19.99, 'EMEA', 1699], // 16.9915
      [19.99, 'APAC', 1839], // 18.3908
      [19.99, null, 1899], // 18.9905
      [49.99, 'NAMER', 4499], // 44.991
      [49.99, 'EMEA', 4249], // 42.4915
      [49.99, 'APAC', 4599], // 45.9908
      [49.99, 'Other', 4749], // 47.4905
      [1234.56, 'NAMER', 111_110], // 1111.104
      [1234.56, 'EMEA', 104_938], // 1049.376
      [1234.56, 'APAC', 113_580], // 1135.7952
      [1234.56, null, 117_283], // 1172.832
      [0.99, 'NAMER', 89], // 0.891
      [0.99, 'EMEA', 84], // 0.8415
      [0.99, 'APAC', 91], // 0.9108
      [0.99, null, 94], // 0.9405
      [39_999.99, 'EMEA', 3_399_999], // 33999.9915
      [0.01, 'EMEA', 1], // 0.0085
    ];
    for (const [price, region, cents] of samples) {
      const line = firstLine(region, price);
      expect(line.unitPriceMinor, `${price} ${region}`).toBe(cents);
      // ...which is the seed's float result rounded to the nearest cent
      expect(Math.round(seedUnitPrice(price, region) * 100), `${price} ${region}`).toBe(cents);
    }
  });

  it('equals the seed rounded to the nearest cent for every price up to 100.00, ties to even', () => {
    let ties = 0;
    for (let cents = 0; cents <= 10_000; cents++) {
      for (const region of ['NAMER', 'EMEA', 'APAC', null]) {
        const bps = Math.round(seedDiscountForRegion(region) * 10_000);
        const exactTimes10000 = cents * (10_000 - bps); // exact value, in 1/10000 of a cent
        const ours = discountedUnitMinor(cents, bps);
        if (exactTimes10000 % 10_000 === 5_000) {
          ties++;
          expect(ours % 2).toBe(0);
          expect(Math.abs(ours * 10_000 - exactTimes10000)).toBe(5_000);
        } else {
          expect(ours).toBe(Math.round(seedUnitPrice(cents / 100, region) * 100));
        }
      }
    }
    // Exact ties are common: c × 0.90 ends in half a cent for c ≡ 5 (mod 10), c × 0.85 and c × 0.95
    // for c ≡ 10 (mod 20), c × 0.92 never: 1000 + 500 + 500 + 0.
    expect(ties).toBe(2000);
  });

  it('gets 19.99 × 3 at 15% to the same cents every time, where floats drift', () => {
    const quote = priceQuote(opportunity('EMEA', 19.99, 3));
    const line = quote.lines[0];
    expect(line?.unitPriceMinor).toBe(1699); // 16.99
    expect(line?.lineTotalMinor).toBe(5097); // 50.97
    expect(line?.listTotalMinor).toBe(5997);
    expect(line?.discountMinor).toBe(900);
    expect(quote.totalMinor).toBe(5097);
    // The seed stored the raw float, and the line total computed from it is not 50.97:
    expect(seedUnitPrice(19.99, 'EMEA')).not.toBe(16.99);
    expect(seedUnitPrice(19.99, 'EMEA') * 3).toBe(50.97449999999999);
  });

  it('rounds exact ties correctly where the seed float lands on the wrong side', () => {
    // 2.30 at 15% = 1.955 exactly; in floats 1.9549999999999998, so rounding the seed gives 1.95.
    expect(seedUnitPrice(2.3, 'EMEA')).toBe(1.9549999999999998);
    expect(Math.round(seedUnitPrice(2.3, 'EMEA') * 100)).toBe(195);
    expect(firstLine('EMEA', 2.3).unitPriceMinor).toBe(196); // 1.955 -> 1.96 (half to even, and half up)
    // 1.15 at 10% = 1.035 exactly; the float is just below, the seed would round to 1.03.
    expect(Math.round(seedUnitPrice(1.15, 'NAMER') * 100)).toBe(103);
    expect(firstLine('NAMER', 1.15).unitPriceMinor).toBe(104);
    // A tie whose even neighbour is below: 0.10 at 15% = 0.085 -> 0.08.
    expect(firstLine('EMEA', 0.1).unitPriceMinor).toBe(8);
  });

  it('keeps the seed’s quote fields: 30-day expiration, region discount for every line', () => {
    const quote = priceQuote({
      ...opportunity('APAC', 250, 4),
      lines: [
        { pricebookEntryId: '01uA', quantity: 4, unitPrice: 250, productFamily: 'Hardware' },
        { pricebookEntryId: '01uB', quantity: 1, unitPrice: 9.99, productFamily: 'Options' },
      ],
    });
    expect(quote.expirationDate).toBe('2024-07-30');
    expect(quote.lines.map((l) => l.unitPriceMinor)).toEqual([23_000, 919]); // 230.00, 9.1908
    expect(quote.lines.map((l) => l.rules)).toEqual([['region:APAC'], ['region:APAC']]);
    expect(quote.subtotalMinor).toBe(100_999);
    expect(quote.totalMinor).toBe(92_919);
    expect(quote.totalDiscountMinor).toBe(8_080);
    expect(quote.discountBps).toBe(800);
  });
});
