/** fast-check generators of opportunities and rule sets, shared by the property tests. */
import fc from 'fast-check';
import {
  DEFAULT_COUNTRY_REGIONS,
  MAX_EPOCH_DAY,
  MIN_EPOCH_DAY,
  formatEpochDay,
  loadRuleSet,
  type OpportunityInput,
  type OpportunityLineInput,
  type RuleSet,
} from '../../src/index.js';

/** A Salesforce-looking id with a given key prefix (cheaper to generate than fc.stringMatching). */
function idArb(prefix: string): fc.Arbitrary<string> {
  return fc
    .integer({ min: 0, max: 0xfffff })
    .map((n) => `${prefix}${n.toString(36).toUpperCase().padStart(4, '0')}`);
}

const CURRENCIES = [
  ['USD', 2],
  ['EUR', 2],
  ['JPY', 0],
  ['KWD', 3],
  ['BHD', 3],
] as const;

export const bpsArb = fc.integer({ min: 0, max: 10_000 });

/** Quantities in hundredths: mostly whole units, sometimes fractional. */
export const quantityHundredthsArb = fc.oneof(
  fc.integer({ min: 1, max: 1_000 }).map((units) => units * 100),
  fc.integer({ min: 1, max: 100_000 }),
);

function lineArb(decimals: number): fc.Arbitrary<OpportunityLineInput> {
  return fc.record({
    id: fc.option(idArb('00k'), { nil: undefined }),
    pricebookEntryId: idArb('01u'),
    product2Id: fc.option(idArb('01t'), { nil: null }),
    productFamily: fc.constantFrom('Options', 'Hardware', 'Services', 'Batteries', null, undefined),
    productCode: fc.option(fc.constantFrom('EC-1', 'EC-2', 'EC-3'), { nil: undefined }),
    quantity: quantityHundredthsArb.map((h) => h / 100),
    unitPrice: fc
      .oneof(fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 0, max: 1_000_000_000 }))
      .map((minor) => minor / 10 ** decimals),
  });
}

/** A valid opportunity (valid for every rule set from {@link ruleSetArb}). */
export const opportunityArb: fc.Arbitrary<OpportunityInput> = fc
  .constantFrom(...CURRENCIES)
  .chain(([currency, decimals]) =>
    fc.record({
      id: idArb('006'),
      closeDate: fc.integer({ min: MIN_EPOCH_DAY, max: MAX_EPOCH_DAY - 3650 }).map(formatEpochDay),
      currencyIsoCode: fc.constant(currency),
      pricebook2Id: fc.option(fc.constant('01s000000000001'), { nil: undefined }),
      accountRegion: fc.constantFrom('NAMER', 'EMEA', 'APAC', 'LATAM', '', '  ', null, undefined),
      accountCountry: fc.constantFrom('US', 'Germany', 'japan', 'u.s.a.', 'Atlantis', null, undefined),
      lines: fc.array(lineArb(decimals), { maxLength: 6 }),
    }),
  );

/** Ways to break an opportunity, each producing a known error code. */
const corruptions: ((opp: OpportunityInput) => unknown)[] = [
  (opp) => ({ ...opp, id: '' }),
  (opp) => ({ ...opp, currencyIsoCode: 'XXX' }),
  (opp) => ({ ...opp, closeDate: '2023-02-29' }),
  (opp) => ({ ...opp, closeDate: '2024-1-05' }),
  (opp) => ({ ...opp, lines: 'nope' }),
  (opp) => withLine(opp, { quantity: 0 }),
  (opp) => withLine(opp, { quantity: -2 }),
  (opp) => withLine(opp, { quantity: 1.234 }),
  (opp) => withLine(opp, { unitPrice: -5 }),
  (opp) => withLine(opp, { unitPrice: Number.NaN }),
  (opp) => withLine(opp, { unitPrice: 1.23456 }),
];

function withLine(opp: OpportunityInput, patch: Partial<OpportunityLineInput>): OpportunityInput {
  const bad = { pricebookEntryId: '01uBAD', quantity: 1, unitPrice: 1, ...patch };
  return { ...opp, lines: [...opp.lines, bad] };
}

/** Mostly valid opportunities, some broken in one of several ways. */
export const maybeInvalidOpportunityArb: fc.Arbitrary<OpportunityInput> = fc.oneof(
  { weight: 4, arbitrary: opportunityArb },
  {
    weight: 1,
    arbitrary: fc
      .tuple(opportunityArb, fc.integer({ min: 0, max: corruptions.length - 1 }))
      .map(
        ([opp, which]) => (corruptions[which] as (o: OpportunityInput) => unknown)(opp) as OpportunityInput,
      ),
  },
);

/** Quantity tiers: ascending thresholds with non-decreasing extras. */
export const tiersArb = fc.uniqueArray(fc.integer({ min: 1, max: 200_000 }), { maxLength: 4 }).chain((mins) =>
  fc
    .array(fc.integer({ min: 0, max: 1_000 }), { minLength: mins.length, maxLength: mins.length })
    .map((steps) => {
      const sorted = [...mins].sort((a, b) => a - b);
      let extra = 0;
      return sorted.map((min, i) => {
        extra += steps[i] as number;
        return { minQuantity: min / 100, extraBps: extra };
      });
    }),
);

/** Random valid rule sets over the regions and families the opportunities use. */
export const ruleSetArb: fc.Arbitrary<RuleSet> = fc
  .record({
    regionDiscountsBps: fc.record({
      NAMER: fc.integer({ min: 0, max: 5_000 }),
      EMEA: fc.integer({ min: 0, max: 5_000 }),
      APAC: fc.integer({ min: 0, max: 5_000 }),
    }),
    defaultRegionDiscountBps: fc.integer({ min: 0, max: 5_000 }),
    familyAdjustmentsBps: fc.record(
      { Options: fc.integer({ min: 0, max: 2_000 }), Hardware: fc.integer({ min: 0, max: 2_000 }) },
      { requiredKeys: [] },
    ),
    quantityTiers: tiersArb,
    maxDiscountBps: bpsArb,
    approvalThresholdBps: bpsArb,
    expirationDays: fc.integer({ min: 0, max: 3650 }),
  })
  .map((definition) => loadRuleSet({ ...definition, id: 'prop', countryRegions: DEFAULT_COUNTRY_REGIONS }));
