import { describe, expect, it } from 'vitest';
import {
  PricingError,
  loadRuleSet,
  priceMany,
  priceQuote,
  type OpportunityInput,
  type OpportunityLineInput,
  type PricingErrorCode,
  type RuleSet,
} from '../src/index.js';

const base: OpportunityInput = {
  id: '006A',
  closeDate: '2024-05-10',
  currencyIsoCode: 'USD',
  accountRegion: 'NAMER',
  lines: [{ id: '00kA', pricebookEntryId: '01uA', quantity: 1, unitPrice: 100 }],
};

function withLines(...lines: Partial<OpportunityLineInput>[]): OpportunityInput {
  return {
    ...base,
    lines: lines.map((l, i) => ({ pricebookEntryId: `01u${i}`, quantity: 1, unitPrice: 100, ...l })),
  };
}

function errorOf(input: unknown, rules?: RuleSet): PricingError {
  try {
    priceQuote(input as OpportunityInput, rules);
  } catch (error) {
    expect(error).toBeInstanceOf(PricingError);
    return error as PricingError;
  }
  throw new Error('expected priceQuote to throw');
}

const promo = loadRuleSet({
  id: 'promo',
  regionDiscountsBps: { NAMER: 1000, EMEA: 1500, APAC: 800 },
  defaultRegionDiscountBps: 500,
  familyAdjustmentsBps: { Options: 200, Batteries: 1000 },
  quantityTiers: [
    { minQuantity: 10, extraBps: 100 },
    { minQuantity: 50, extraBps: 300 },
    { minQuantity: 100, extraBps: 600 },
  ],
  maxDiscountBps: 2000,
  approvalThresholdBps: 1500,
});

describe('errors name the opportunity, the line and the problem', () => {
  const cases: [string, unknown, PricingErrorCode, string][] = [
    [
      'zero quantity',
      withLines({ quantity: 0 }),
      'INVALID_QUANTITY',
      'INVALID_QUANTITY: opportunity 006A, line 0: quantity must be a number greater than 0, got 0',
    ],
    [
      'negative quantity',
      withLines({}, { quantity: -3, id: '00kB' }),
      'INVALID_QUANTITY',
      'INVALID_QUANTITY: opportunity 006A, line 1 (00kB): quantity must be a number greater than 0, got -3',
    ],
    [
      '3-decimal quantity',
      withLines({ quantity: 1.125 }),
      'INVALID_QUANTITY',
      'INVALID_QUANTITY: opportunity 006A, line 0: quantity must have at most 2 decimals, got 1.125',
    ],
    [
      'NaN quantity',
      withLines({ quantity: Number.NaN }),
      'INVALID_QUANTITY',
      'INVALID_QUANTITY: opportunity 006A, line 0: quantity must be a number greater than 0, got NaN',
    ],
    [
      'string quantity',
      withLines({ quantity: '2' as unknown as number }),
      'INVALID_QUANTITY',
      'INVALID_QUANTITY: opportunity 006A, line 0: quantity must be a number greater than 0, got "2"',
    ],
    [
      'negative price',
      withLines({ unitPrice: -0.01 }),
      'NEGATIVE_PRICE',
      'NEGATIVE_PRICE: opportunity 006A, line 0: unit price must not be negative, got -0.01',
    ],
    [
      'too many decimals',
      withLines({ unitPrice: 19.999 }),
      'INVALID_PRICE',
      'INVALID_PRICE: opportunity 006A, line 0: unit price 19.999 has more decimals than the currency allows (2)',
    ],
    [
      'infinite price',
      withLines({ unitPrice: Number.POSITIVE_INFINITY }),
      'INVALID_PRICE',
      'INVALID_PRICE: opportunity 006A, line 0: unit price must be a finite number, got Infinity',
    ],
    [
      'missing price',
      withLines({ unitPrice: undefined as unknown as number }),
      'INVALID_PRICE',
      'INVALID_PRICE: opportunity 006A, line 0: unit price must be a finite number, got undefined',
    ],
    [
      'huge price',
      withLines({ unitPrice: 1e10 }),
      'AMOUNT_OUT_OF_RANGE',
      'AMOUNT_OUT_OF_RANGE: opportunity 006A, line 0: unit price 10000000000 is above the supported maximum of 900719925473 minor units',
    ],
    [
      'huge line',
      withLines({ unitPrice: 1e9, quantity: 1e6 }),
      'AMOUNT_OUT_OF_RANGE',
      'AMOUNT_OUT_OF_RANGE: opportunity 006A, line 0: unit price × quantity is too large to be priced exactly',
    ],
    [
      'unknown currency',
      { ...base, currencyIsoCode: 'XYZ' },
      'UNKNOWN_CURRENCY',
      'UNKNOWN_CURRENCY: opportunity 006A: unknown currency "XYZ" (add it to the rule set\'s currencyDecimals)',
    ],
    [
      'lower-case currency',
      { ...base, currencyIsoCode: 'usd' },
      'UNKNOWN_CURRENCY',
      'UNKNOWN_CURRENCY: opportunity 006A: unknown currency "usd" (add it to the rule set\'s currencyDecimals)',
    ],
    [
      'no leap day',
      { ...base, closeDate: '2023-02-29' },
      'INVALID_DATE',
      'INVALID_DATE: opportunity 006A: close date must be a YYYY-MM-DD calendar date, got "2023-02-29"',
    ],
    [
      'datetime',
      { ...base, closeDate: '2024-05-10T00:00:00.000Z' },
      'INVALID_DATE',
      'INVALID_DATE: opportunity 006A: close date must be a YYYY-MM-DD calendar date, got "2024-05-10T00:00:00.000Z"',
    ],
    [
      'missing date',
      { ...base, closeDate: undefined },
      'INVALID_DATE',
      'INVALID_DATE: opportunity 006A: close date must be a YYYY-MM-DD calendar date, got undefined',
    ],
    [
      'expiry past 9999',
      { ...base, closeDate: '9999-12-15' },
      'INVALID_DATE',
      'INVALID_DATE: opportunity 006A: close date 9999-12-15 + 30 days is after 9999-12-31',
    ],
    [
      'no id',
      { ...base, id: '' },
      'INVALID_INPUT',
      'INVALID_INPUT: opportunity id must be a non-empty string, got ""',
    ],
    ['not an object', null, 'INVALID_INPUT', 'INVALID_INPUT: opportunity must be an object, got null'],
    [
      'lines missing',
      { ...base, lines: undefined },
      'INVALID_INPUT',
      'INVALID_INPUT: opportunity 006A: lines must be an array, got undefined',
    ],
    [
      'line not an object',
      { ...base, lines: [7] },
      'INVALID_INPUT',
      'INVALID_INPUT: opportunity 006A, line 0: line must be an object, got number',
    ],
    [
      'no pricebook entry',
      withLines({ pricebookEntryId: '' }),
      'INVALID_INPUT',
      'INVALID_INPUT: opportunity 006A, line 0: pricebookEntryId must be a non-empty string, got ""',
    ],
    [
      'numeric region',
      { ...base, accountRegion: 3 },
      'INVALID_INPUT',
      'INVALID_INPUT: opportunity 006A: accountRegion must be a string, null or undefined, got 3',
    ],
  ];
  for (const [name, input, code, message] of cases) {
    it(name, () => {
      const error = errorOf(input);
      expect(error.code).toBe(code);
      expect(error.message).toBe(message);
      expect(error.name).toBe('PricingError');
    });
  }

  it('carries the location as fields', () => {
    const error = errorOf(withLines({}, {}, { id: '00kC', quantity: -1 }));
    expect(error.opportunityId).toBe('006A');
    expect(error.lineIndex).toBe(2);
    expect(error.lineId).toBe('00kC');
    expect(error.detail).toBe('quantity must be a number greater than 0, got -1');
  });

  it('reports the first bad line in input order', () => {
    expect(errorOf(withLines({}, { unitPrice: -1 }, { quantity: 0 })).lineIndex).toBe(1);
  });

  it('accepts a zero price and prices it to zero', () => {
    const quote = priceQuote(withLines({ unitPrice: 0 }));
    expect(quote.totalMinor).toBe(0);
    expect(quote.subtotalMinor).toBe(0);
    expect(quote.discountBps).toBe(0);
  });
});

describe('currencies', () => {
  it('prices JPY in whole yen', () => {
    const quote = priceQuote({
      ...withLines({ unitPrice: 1999, quantity: 3 }),
      currencyIsoCode: 'JPY',
      accountRegion: 'EMEA',
    });
    expect(quote.currencyDecimals).toBe(0);
    expect(quote.lines[0]?.unitPriceMinor).toBe(1699); // 1699.15 -> 1699 yen
    expect(quote.totalMinor).toBe(5097);
    expect(errorOf({ ...withLines({ unitPrice: 100.5 }), currencyIsoCode: 'JPY' }).message).toBe(
      'INVALID_PRICE: opportunity 006A, line 0: unit price 100.5 has more decimals than the currency allows (0)',
    );
  });

  it('prices KWD and BHD in fils (3 decimals)', () => {
    const quote = priceQuote({
      ...withLines({ unitPrice: 12.345, quantity: 2 }),
      currencyIsoCode: 'KWD',
      accountRegion: 'EMEA',
    });
    expect(quote.currencyDecimals).toBe(3);
    expect(quote.lines[0]?.listUnitPriceMinor).toBe(12_345);
    expect(quote.lines[0]?.unitPriceMinor).toBe(10_493); // 10.49325 -> 10.493
    expect(quote.lines[0]?.lineTotalMinor).toBe(20_986);
    const bhd = priceQuote({
      ...withLines({ unitPrice: 0.005, quantity: 1 }),
      currencyIsoCode: 'BHD',
      accountRegion: 'NAMER',
    });
    expect(bhd.lines[0]?.unitPriceMinor).toBe(4); // 4.5 fils -> 4 (even)
  });

  it('uses currency overrides from the rule set', () => {
    const rules = loadRuleSet({ ...promo.definition, currencyDecimals: { HUF: 0 } });
    const quote = priceQuote({ ...withLines({ unitPrice: 1000 }), currencyIsoCode: 'HUF' }, rules);
    expect(quote.lines[0]?.unitPriceMinor).toBe(900);
    expect(errorOf({ ...withLines({ unitPrice: 1000.5 }), currencyIsoCode: 'HUF' }, rules).code).toBe(
      'INVALID_PRICE',
    );
  });
});

describe('rules', () => {
  it('adds family points on top of the region', () => {
    const quote = priceQuote(
      withLines({ productFamily: 'Options' }, { productFamily: 'Hardware' }, { productFamily: null }),
      promo,
    );
    expect(quote.lines.map((l) => l.discountBps)).toEqual([1200, 1000, 1000]);
    expect(quote.lines.map((l) => l.unitPriceMinor)).toEqual([8800, 9000, 9000]);
    expect(quote.lines[0]?.rules).toEqual(['region:NAMER', 'family:Options']);
    expect(quote.lines[1]?.rules).toEqual(['region:NAMER']);
  });

  it('applies the highest quantity tier reached', () => {
    const quote = priceQuote(
      withLines(
        { quantity: 9.99 },
        { quantity: 10 },
        { quantity: 49 },
        { quantity: 50 },
        { quantity: 100 },
        { quantity: 250.5 },
      ),
      promo,
    );
    expect(quote.lines.map((l) => l.discountBps)).toEqual([1000, 1100, 1100, 1300, 1600, 1600]);
    expect(quote.lines.map((l) => l.rules.at(-1))).toEqual([
      'region:NAMER',
      'tier:10+',
      'tier:10+',
      'tier:50+',
      'tier:100+',
      'tier:100+',
    ]);
    expect(quote.lines[5]?.lineTotalMinor).toBe(2_104_200); // 84.00 × 250.5
  });

  it('caps the total discount and says so', () => {
    const quote = priceQuote(
      {
        ...withLines(
          { productFamily: 'Batteries', quantity: 100 },
          { productFamily: 'Batteries', quantity: 1 },
        ),
        accountRegion: 'EMEA',
      },
      promo,
    );
    // EMEA 15% + Batteries 10% + tier 6% = 31%, capped at 20%; EMEA 15% + 10% = 25%, capped too
    expect(quote.lines.map((l) => l.discountBps)).toEqual([2000, 2000]);
    expect(quote.lines[0]?.rules).toEqual(['region:EMEA', 'family:Batteries', 'tier:100+', 'cap']);
    expect(quote.lines[0]?.unitPriceMinor).toBe(8000);
  });

  it('does not fire the cap at exactly the cap', () => {
    const quote = priceQuote(
      { ...withLines({ productFamily: 'Options', quantity: 50 }), accountRegion: 'EMEA' },
      promo,
    );
    expect(quote.lines[0]?.discountBps).toBe(2000); // 1500 + 200 + 300
    expect(quote.lines[0]?.rules).toEqual(['region:EMEA', 'family:Options', 'tier:50+']);
  });

  it('needs approval strictly above the threshold', () => {
    const at = priceQuote({ ...withLines({}), accountRegion: 'EMEA' }, promo); // exactly 15%
    expect(at.discountBps).toBe(1500);
    expect(at.needsApproval).toBe(false);
    const above = priceQuote({ ...withLines({ quantity: 10 }), accountRegion: 'EMEA' }, promo); // 16%
    expect(above.discountBps).toBe(1600);
    expect(above.needsApproval).toBe(true);
  });

  it('computes the quote discount from amounts, weighted by line value', () => {
    // 100.00 at 10% and 300.00 at 11% (NAMER + tier:10+): (10 + 33) / 400 = 10.75%
    const quote = priceQuote(withLines({ unitPrice: 100 }, { unitPrice: 30, quantity: 10 }), promo);
    expect(quote.subtotalMinor).toBe(40_000);
    expect(quote.totalDiscountMinor).toBe(4_300);
    expect(quote.discountBps).toBe(1075);
    expect(quote.needsApproval).toBe(false);
  });

  it('falls back to the account country when the region is missing', () => {
    const germany = priceQuote({ ...base, accountRegion: null, accountCountry: 'Germany' });
    expect(germany.region).toBe('EMEA');
    expect(germany.regionSource).toBe('country');
    expect(germany.lines[0]?.discountBps).toBe(1500);
    expect(germany.lines[0]?.rules).toEqual(['region:EMEA', 'country:GERMANY']);
    const japan = priceQuote({ ...base, accountRegion: undefined, accountCountry: 'JP' });
    expect(japan.lines[0]?.unitPriceMinor).toBe(9200);
  });

  it('gives a missing region without a known country the default 5%', () => {
    for (const opp of [
      { ...base, accountRegion: undefined },
      { ...base, accountRegion: null, accountCountry: null },
      { ...base, accountRegion: '', accountCountry: 'Atlantis' },
    ]) {
      const quote = priceQuote(opp);
      expect(quote.region).toBeNull();
      expect(quote.regionSource).toBe('default');
      expect(quote.lines[0]?.discountBps).toBe(500);
      expect(quote.lines[0]?.unitPriceMinor).toBe(9500);
      expect(quote.lines[0]?.rules).toEqual(['region:default']);
    }
  });

  it('uses the rule set expiration days', () => {
    const rules = loadRuleSet({ ...promo.definition, expirationDays: 0 });
    expect(priceQuote(base, rules).expirationDate).toBe('2024-05-10');
  });
});

describe('quote shape', () => {
  it('echoes ids and carries every amount in minor units', () => {
    const quote = priceQuote({
      ...base,
      pricebook2Id: '01sP',
      lines: [
        {
          id: '00kA',
          pricebookEntryId: '01uA',
          product2Id: '01tA',
          productFamily: 'Options',
          productCode: 'EC-OPT',
          quantity: 2.5,
          unitPrice: 16.99,
        },
      ],
    });
    expect(quote).toEqual({
      opportunityId: '006A',
      pricebook2Id: '01sP',
      currencyIsoCode: 'USD',
      currencyDecimals: 2,
      ruleSetId: 'seed-default-v1',
      region: 'NAMER',
      regionSource: 'account',
      closeDate: '2024-05-10',
      expirationDate: '2024-06-09',
      subtotalMinor: 4248, // 16.99 × 2.5 = 42.475 -> 42.48
      totalDiscountMinor: 426,
      totalMinor: 3822, // 15.29 × 2.5 = 38.225 -> 38.22 (even)
      discountBps: 1003, // 426 / 4248 = 10.028%: the rounding of two amounts shows
      needsApproval: false,
      lines: [
        {
          lineIndex: 0,
          lineId: '00kA',
          pricebookEntryId: '01uA',
          product2Id: '01tA',
          productFamily: 'Options',
          productCode: 'EC-OPT',
          quantity: 2.5,
          quantityHundredths: 250,
          listUnitPriceMinor: 1699,
          unitPriceMinor: 1529, // 15.291 -> 15.29
          discountBps: 1000,
          listTotalMinor: 4248,
          lineTotalMinor: 3822,
          discountMinor: 426,
          rules: ['region:NAMER'],
        },
      ],
    });
  });

  it('prices an opportunity without lines to an empty quote', () => {
    const quote = priceQuote({ ...base, lines: [] });
    expect(quote.lines).toEqual([]);
    expect([quote.subtotalMinor, quote.totalMinor, quote.totalDiscountMinor, quote.discountBps]).toEqual([
      0, 0, 0, 0,
    ]);
  });
});

describe('priceMany', () => {
  it('returns per-opportunity errors instead of failing the batch', () => {
    const results = priceMany([
      base,
      { ...base, id: '006B', currencyIsoCode: 'ABC' },
      { ...base, id: '006C' },
    ]);
    expect(results.map((r) => r.ok)).toEqual([true, false, true]);
    const failed = results[1];
    expect(failed?.ok === false && failed.error.code).toBe('UNKNOWN_CURRENCY');
    expect(failed?.opportunityId).toBe('006B');
    expect(failed?.index).toBe(1);
    const last = results[2];
    expect(last?.ok === true && last.quote.totalMinor).toBe(9000);
  });

  it('reports a null id for an opportunity without a usable id', () => {
    const [result] = priceMany([{ ...base, id: 42 as unknown as string }]);
    expect(result).toMatchObject({ ok: false, index: 0, opportunityId: null });
  });
});
