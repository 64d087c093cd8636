/** Property tests: invariants that must hold for any valid input and rule set. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_RULE_SET,
  MAX_LINE_PRODUCT,
  MAX_UNIT_PRICE_MINOR,
  batchResults,
  buildPricingBatch,
  loadRuleSet,
  priceBatch,
  priceMany,
  priceQuote,
  type OpportunityInput,
} from '../src/index.js';
import {
  maybeInvalidOpportunityArb,
  opportunityArb,
  quantityHundredthsArb,
  ruleSetArb,
  tiersArb,
} from './helpers/arbitraries.js';

const sum = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0);

describe('quote invariants', () => {
  it('total = Σ line totals, subtotal = Σ list totals, subtotal − total discount = total', () => {
    fc.assert(
      fc.property(opportunityArb, ruleSetArb, (opp, rules) => {
        const quote = priceQuote(opp, rules);
        expect(quote.totalMinor).toBe(sum(quote.lines.map((l) => l.lineTotalMinor)));
        expect(quote.subtotalMinor).toBe(sum(quote.lines.map((l) => l.listTotalMinor)));
        expect(quote.subtotalMinor - quote.totalDiscountMinor).toBe(quote.totalMinor);
        expect(quote.totalDiscountMinor).toBe(sum(quote.lines.map((l) => l.discountMinor)));
        for (const line of quote.lines) {
          expect(Number.isSafeInteger(line.unitPriceMinor)).toBe(true);
          expect(Number.isSafeInteger(line.lineTotalMinor)).toBe(true);
          expect(line.quantity).toBe(opp.lines[line.lineIndex]?.quantity);
        }
        expect(quote.needsApproval).toBe(quote.discountBps > rules.approvalThresholdBps);
      }),
      { numRuns: 500 },
    );
  });

  it('never discounts a line beyond the cap, nor prices it above list', () => {
    fc.assert(
      fc.property(opportunityArb, ruleSetArb, (opp, rules) => {
        for (const line of priceQuote(opp, rules).lines) {
          expect(line.discountBps).toBeLessThanOrEqual(rules.maxDiscountBps);
          expect(line.discountBps).toBeGreaterThanOrEqual(0);
          expect(line.unitPriceMinor).toBeLessThanOrEqual(line.listUnitPriceMinor);
          // within half a minor unit of the exactly capped price
          expect(line.unitPriceMinor * 10_000).toBeGreaterThanOrEqual(
            line.listUnitPriceMinor * (10_000 - rules.maxDiscountBps) - 5_000,
          );
          expect(line.rules.includes('cap')).toBe(
            line.discountBps === rules.maxDiscountBps && line.rules.length > 1 && line.rules.at(-1) === 'cap',
          );
        }
      }),
      { numRuns: 500 },
    );
  });

  it('is deterministic: same input twice, or a deep copy, gives deep-equal quotes', () => {
    fc.assert(
      fc.property(opportunityArb, ruleSetArb, (opp, rules) => {
        const first = priceQuote(opp, rules);
        expect(priceQuote(opp, rules)).toEqual(first);
        expect(priceQuote(structuredClone(opp), rules)).toEqual(first);
        expect(JSON.parse(JSON.stringify(first))).toEqual(first);
      }),
      { numRuns: 300 },
    );
  });

  it('never lowers the price when the quantity grows (tiers are monotone)', () => {
    fc.assert(
      fc.property(
        tiersArb,
        fc.integer({ min: 0, max: 1_000_000 }),
        quantityHundredthsArb,
        quantityHundredthsArb,
        fc.constantFrom('NAMER', 'EMEA', null),
        fc.integer({ min: 0, max: 10_000 }),
        (quantityTiers, cents, q1, q2, region, cap) => {
          const rules = loadRuleSet({
            regionDiscountsBps: { NAMER: 1000, EMEA: 1500 },
            defaultRegionDiscountBps: 500,
            quantityTiers,
            maxDiscountBps: cap,
            approvalThresholdBps: 10_000,
          });
          const [small, large] = q1 <= q2 ? [q1, q2] : [q2, q1];
          const price = (hundredths: number) =>
            priceQuote(
              {
                id: '006T',
                closeDate: '2024-01-01',
                currencyIsoCode: 'USD',
                accountRegion: region,
                lines: [{ pricebookEntryId: '01u', quantity: hundredths / 100, unitPrice: cents / 100 }],
              },
              rules,
            ).lines[0];
          const a = price(small);
          const b = price(large);
          expect(b?.unitPriceMinor).toBeLessThanOrEqual(a?.unitPriceMinor as number);
          expect(b?.discountBps).toBeGreaterThanOrEqual(a?.discountBps as number);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('columnar ≡ object API', () => {
  it('gives identical results, errors included, for random batches and rule sets', () => {
    fc.assert(
      fc.property(fc.array(maybeInvalidOpportunityArb, { maxLength: 25 }), ruleSetArb, (opps, rules) => {
        const batch = buildPricingBatch(opps, rules);
        expect(batchResults(batch, priceBatch(batch))).toEqual(priceMany(opps, rules));
      }),
      { numRuns: 300 },
    );
  });

  it('agrees at the extremes: prices near the maximum, huge quantities, exact ties', () => {
    const listArb = fc.oneof(
      fc.integer({ min: MAX_UNIT_PRICE_MINOR - 100_000, max: MAX_UNIT_PRICE_MINOR }),
      fc.integer({ min: 1, max: 2 ** 40 }).map((n) => n * 20), // multiples of 20 tie at 15% off
      fc.integer({ min: 0, max: 10_000 }),
    );
    const lineArb = fc.tuple(listArb, fc.integer({ min: 1, max: 2 ** 31 })).map(([list, wanted]) => {
      const maxQuantity = Math.max(1, Math.floor(MAX_LINE_PRODUCT / Math.max(list, 1)));
      return {
        pricebookEntryId: '01u',
        unitPrice: list / 100,
        quantity: Math.min(wanted, maxQuantity) / 100,
      };
    });
    fc.assert(
      fc.property(fc.array(lineArb, { minLength: 1, maxLength: 3 }), ruleSetArb, (lines, rules) => {
        const opp = {
          id: '006X',
          closeDate: '2024-01-01',
          currencyIsoCode: 'USD',
          accountRegion: 'EMEA',
          lines,
        };
        const expected = priceMany([opp], rules);
        const batch = buildPricingBatch([opp], rules);
        expect(batchResults(batch, priceBatch(batch))).toEqual(expected);
      }),
      { numRuns: 2000 },
    );
  });

  it('agrees with the default rules too', () => {
    fc.assert(
      fc.property(fc.array(opportunityArb, { minLength: 1, maxLength: 25 }), (opps: OpportunityInput[]) => {
        const batch = buildPricingBatch(opps);
        expect(batch.ruleSet).toBe(DEFAULT_RULE_SET);
        expect(batchResults(batch, priceBatch(batch))).toEqual(priceMany(opps));
      }),
      { numRuns: 200 },
    );
  });
});
