import { describe, expect, it } from 'vitest';
import {
  PRICING_ERROR_CODES,
  RULE_FLAG_CAP,
  RULE_FLAG_FAMILY,
  RULE_FLAG_TIER,
  batchResult,
  batchResults,
  buildPricingBatch,
  createBatchOutput,
  loadRuleSet,
  priceBatch,
  priceMany,
  type OpportunityInput,
} from '../src/index.js';

const rules = loadRuleSet({
  regionDiscountsBps: { NAMER: 1000, EMEA: 1500 },
  defaultRegionDiscountBps: 500,
  countryRegions: { DE: 'EMEA' },
  familyAdjustmentsBps: { Options: 200 },
  quantityTiers: [{ minQuantity: 10, extraBps: 1000 }],
  maxDiscountBps: 2000,
  approvalThresholdBps: 1500,
});

const opportunities: OpportunityInput[] = [
  {
    id: '006A',
    closeDate: '2024-01-31',
    currencyIsoCode: 'USD',
    accountRegion: 'EMEA',
    lines: [
      { pricebookEntryId: '01uA', quantity: 3, unitPrice: 19.99 },
      { pricebookEntryId: '01uB', quantity: 10, unitPrice: 100, productFamily: 'Options' },
    ],
  },
  {
    id: '006B',
    closeDate: '2024-02-30',
    currencyIsoCode: 'USD',
    lines: [{ pricebookEntryId: '01uC', quantity: 1, unitPrice: 5 }],
  },
  {
    id: '006C',
    closeDate: '2024-12-15',
    currencyIsoCode: 'JPY',
    accountCountry: 'DE',
    lines: [{ pricebookEntryId: '01uD', quantity: 2, unitPrice: 1000 }],
  },
  { id: '006D', closeDate: '2024-12-15', currencyIsoCode: 'EUR', lines: [] },
];

describe('columnar batch', () => {
  const batch = buildPricingBatch(opportunities, rules);

  it('lays opportunities out as columns and skips invalid ones', () => {
    expect(batch.opportunityCount).toBe(4);
    expect(batch.lineCount).toBe(3); // 006B's line is not stored
    expect([...batch.lineStart]).toEqual([0, 2, 2, 3, 3]);
    expect([...batch.listUnitMinor.subarray(0, 3)]).toEqual([1999, 10_000, 1000]);
    expect([...batch.quantityHundredths.subarray(0, 3)]).toEqual([300, 1000, 200]);
    expect([...batch.familyIndex.subarray(0, 3)]).toEqual([-1, 0, -1]);
    expect([...batch.regionIndex]).toEqual([1, 0, 1, 2]);
    expect([...batch.currencyDecimals]).toEqual([2, 0, 0, 2]);
    expect([...batch.errorCode]).toEqual([0, PRICING_ERROR_CODES.indexOf('INVALID_DATE') + 1, 0, 0]);
    expect(batch.errors.get(1)?.message).toBe(
      'INVALID_DATE: opportunity 006B: close date must be a YYYY-MM-DD calendar date, got "2024-02-30"',
    );
  });

  it('prices into output columns', () => {
    const out = priceBatch(batch);
    expect([...out.unitPriceMinor]).toEqual([1699, 8000, 850]); // 16.9915; 100 × 0.80; 1000 yen × 0.85
    expect([...out.discountBps]).toEqual([1500, 2000, 1500]); // 1500 + 200 + 1000 = 2700 -> cap 2000
    expect([...out.lineTotalMinor]).toEqual([5097, 80_000, 1700]);
    expect([...out.ruleFlags]).toEqual([0, RULE_FLAG_FAMILY | RULE_FLAG_TIER | RULE_FLAG_CAP, 0]);
    expect([...out.tierIndex]).toEqual([-1, 0, -1]);
    expect([...out.subtotalMinor]).toEqual([105_997, 0, 2000, 0]);
    expect([...out.totalMinor]).toEqual([85_097, 0, 1700, 0]);
    expect([...out.totalDiscountMinor]).toEqual([20_900, 0, 300, 0]);
    expect([...out.quoteDiscountBps]).toEqual([1972, 0, 1500, 0]); // 20900 / 105997 = 19.7175%
    expect([...out.needsApproval]).toEqual([1, 0, 0, 0]);
    expect([...out.expirationEpochDay]).toEqual([19_783, 0, 20_102, 20_102]);
  });

  it('gives the same results as the object API, including per-opportunity errors', () => {
    const results = batchResults(batch, priceBatch(batch));
    expect(results).toEqual(priceMany(opportunities, rules));
    expect(results[0]?.ok === true && results[0].quote.expirationDate).toBe('2024-03-01');
    expect(results[0]?.ok === true && results[0].quote.lines[1]?.rules).toEqual([
      'region:EMEA',
      'family:Options',
      'tier:10+',
      'cap',
    ]);
    expect(results[2]?.ok === true && results[2].quote.lines[0]?.rules).toEqual([
      'region:EMEA',
      'country:DE',
    ]);
    expect(results[1]).toMatchObject({ ok: false, index: 1, opportunityId: '006B' });
    expect(batchResult(batch, priceBatch(batch), 3)).toEqual(priceMany(opportunities, rules)[3]);
  });

  it('reuses an output buffer and overwrites stale values', () => {
    const out = createBatchOutput(batch);
    out.totalMinor.fill(123);
    out.unitPriceMinor.fill(456);
    priceBatch(batch, out);
    const again = priceBatch(batch, out);
    expect(again).toBe(out);
    expect([...out.totalMinor]).toEqual([85_097, 0, 1700, 0]);
    expect([...out.unitPriceMinor]).toEqual([1699, 8000, 850]);
  });

  it('never throws for bad data, whatever the batch holds', () => {
    const junk = [
      null,
      7,
      { id: 'X' },
      { id: 'Y', closeDate: '2024-01-01', currencyIsoCode: 'USD', lines: [null] },
    ];
    const bad = buildPricingBatch(junk as unknown as OpportunityInput[], rules);
    expect(bad.errors.size).toBe(4);
    expect(batchResults(bad, priceBatch(bad)).map((r) => (r.ok ? 'ok' : r.error.code))).toEqual([
      'INVALID_INPUT',
      'INVALID_INPUT',
      'UNKNOWN_CURRENCY',
      'INVALID_INPUT',
    ]);
  });

  it('handles an empty batch', () => {
    const empty = buildPricingBatch([], rules);
    expect(batchResults(empty, priceBatch(empty))).toEqual([]);
  });
});
