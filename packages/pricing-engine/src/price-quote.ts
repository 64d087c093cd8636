/**
 * The object API: one opportunity in, one priced quote out ({@link priceQuote}), or many with
 * per-opportunity errors ({@link priceMany}).
 *
 * This is the reference implementation: plain code, one helper per arithmetic step, easy to
 * audit. The columnar path (columnar.ts) does the same arithmetic in a tight loop and a property
 * test asserts both give identical results.
 */
import { formatEpochDay } from './dates.js';
import { PricingError } from './errors.js';
import { validateOpportunity, type OpportunityInput, type ValidatedLine } from './input.js';
import {
  discountedUnitMinor,
  effectiveDiscountBps,
  lineAmountMinor,
  minorToNumber,
  type CurrencyDecimals,
} from './money.js';
import { DEFAULT_RULE_SET, type RegionSource, type RuleSet } from './rules.js';

/** A priced line: what becomes a QuoteLineItem. Amounts are integers of the currency's minor unit. */
export interface PricedLine {
  /** Position of the line in the opportunity's `lines`. */
  readonly lineIndex: number;
  /** OpportunityLineItem Id, when the input had one. */
  readonly lineId: string | null;
  /** PricebookEntryId (→ QuoteLineItem.PricebookEntryId). */
  readonly pricebookEntryId: string;
  /** Product2Id (→ QuoteLineItem.Product2Id), when known. */
  readonly product2Id: string | null;
  /** Product family as given. */
  readonly productFamily: string | null;
  /** Product code as given. */
  readonly productCode: string | null;
  /** Quantity (→ QuoteLineItem.Quantity), exactly as given. */
  readonly quantity: number;
  /** Quantity in hundredths of a unit (2.5 → 250). */
  readonly quantityHundredths: number;
  /** List (original) unit price from the opportunity line, minor units. */
  readonly listUnitPriceMinor: number;
  /** Discounted unit price, rounded half-to-even once (→ QuoteLineItem.UnitPrice). */
  readonly unitPriceMinor: number;
  /** Discount applied, in basis points (→ QuoteLineItem.Discount as percent). */
  readonly discountBps: number;
  /** List unit price × quantity, rounded once. */
  readonly listTotalMinor: number;
  /** Discounted unit price × quantity, rounded once. */
  readonly lineTotalMinor: number;
  /** `listTotalMinor - lineTotalMinor`. */
  readonly discountMinor: number;
  /**
   * Rules that fired, in order: `region:<code>` or `region:default`, then `country:<key>` when
   * the region came from the account country, `family:<family>`, `tier:<minQuantity>+`, `cap`.
   */
  readonly rules: readonly string[];
}

/** A priced quote: what becomes a Quote. Amounts are integers of the currency's minor unit. */
export interface PricedQuote {
  /** Opportunity Id (→ Quote.OpportunityId). */
  readonly opportunityId: string;
  /** Pricebook2Id (→ Quote.Pricebook2Id), when known. */
  readonly pricebook2Id: string | null;
  /** Currency of every amount. */
  readonly currencyIsoCode: string;
  /** Minor-unit decimals of the currency (0, 2, 3...). */
  readonly currencyDecimals: CurrencyDecimals;
  /** {@link RuleSet.id} of the rules used. */
  readonly ruleSetId: string;
  /** Region whose discount applied, or `null` for the default discount. */
  readonly region: string | null;
  /** Where the region came from. */
  readonly regionSource: RegionSource;
  /** The opportunity's CloseDate. */
  readonly closeDate: string;
  /** CloseDate + the rule set's expiration days (→ Quote.ExpirationDate). */
  readonly expirationDate: string;
  /** Sum of the lines' list totals (before discount). */
  readonly subtotalMinor: number;
  /** `subtotalMinor - totalMinor`, i.e. the sum of the lines' discounts. */
  readonly totalDiscountMinor: number;
  /** Sum of the lines' totals (after discount). */
  readonly totalMinor: number;
  /** Effective discount, `totalDiscount / subtotal` in basis points, rounded half-to-even. */
  readonly discountBps: number;
  /** `discountBps > approvalThresholdBps` of the rule set. */
  readonly needsApproval: boolean;
  /** One entry per input line, in input order. */
  readonly lines: readonly PricedLine[];
}

/**
 * Outcome of pricing one opportunity in a batch: a quote, or the error that kept it from being
 * priced. Switch on `ok`.
 */
export type PriceResult =
  | {
      /** Priced. */
      readonly ok: true;
      /** Position of the opportunity in the input. */
      readonly index: number;
      /** Opportunity Id. */
      readonly opportunityId: string;
      /** The priced quote. */
      readonly quote: PricedQuote;
    }
  | {
      /** Not priced. */
      readonly ok: false;
      /** Position of the opportunity in the input. */
      readonly index: number;
      /** Id of the opportunity when it had a usable one. */
      readonly opportunityId: string | null;
      /** Why not; `error.code` says what kind of problem, `error.message` says where and what. */
      readonly error: PricingError;
    };

/**
 * Prices one opportunity. Throws a {@link PricingError} naming the opportunity (and line) when
 * the input is bad.
 *
 * @param opportunity - The opportunity and its lines, e.g. from `opportunityFromRecord`.
 * @param ruleSet - Rules from {@link loadRuleSet}. @defaultValue {@link DEFAULT_RULE_SET}
 */
export function priceQuote(opportunity: OpportunityInput, ruleSet: RuleSet = DEFAULT_RULE_SET): PricedQuote {
  const valid = validateOpportunity(opportunity, ruleSet);
  const regionRules =
    valid.regionSource === 'country'
      ? [`region:${valid.regionName}`, `country:${valid.countryKey}`]
      : [valid.regionName === null ? 'region:default' : `region:${valid.regionName}`];
  const regionBps = ruleSet.regionBps[valid.regionIndex] ?? 0;

  const lines: PricedLine[] = [];
  let subtotalMinor = 0;
  let totalMinor = 0;
  valid.lines.forEach((line, lineIndex) => {
    const source = opportunity.lines[lineIndex] as OpportunityInput['lines'][number];
    const { discountBps, rules } = lineDiscount(ruleSet, regionBps, regionRules, line);
    const unitPriceMinor = discountedUnitMinor(line.listUnitMinor, discountBps);
    const listTotalMinor = lineAmountMinor(line.listUnitMinor, line.quantityHundredths);
    const lineTotalMinor = lineAmountMinor(unitPriceMinor, line.quantityHundredths);
    subtotalMinor += listTotalMinor;
    totalMinor += lineTotalMinor;
    lines.push({
      lineIndex,
      lineId: nonEmpty(source.id),
      pricebookEntryId: source.pricebookEntryId,
      product2Id: nonEmpty(source.product2Id),
      productFamily: source.productFamily ?? null,
      productCode: source.productCode ?? null,
      quantity: minorToNumber(line.quantityHundredths, 2),
      quantityHundredths: line.quantityHundredths,
      listUnitPriceMinor: line.listUnitMinor,
      unitPriceMinor,
      discountBps,
      listTotalMinor,
      lineTotalMinor,
      discountMinor: listTotalMinor - lineTotalMinor,
      rules,
    });
  });

  const totalDiscountMinor = subtotalMinor - totalMinor;
  const discountBps = effectiveDiscountBps(totalDiscountMinor, subtotalMinor);
  return {
    opportunityId: valid.id,
    pricebook2Id: nonEmpty(opportunity.pricebook2Id),
    currencyIsoCode: valid.currencyIsoCode,
    currencyDecimals: valid.currencyDecimals,
    ruleSetId: ruleSet.id,
    region: valid.regionName,
    regionSource: valid.regionSource,
    closeDate: formatEpochDay(valid.closeEpochDay),
    expirationDate: formatEpochDay(valid.expirationEpochDay),
    subtotalMinor,
    totalDiscountMinor,
    totalMinor,
    discountBps,
    needsApproval: discountBps > ruleSet.approvalThresholdBps,
    lines,
  };
}

/**
 * Prices many opportunities; a bad one yields `{ ok: false, error }` in its slot instead of
 * failing the call, so one malformed record cannot sink a 10,000-opportunity job. Results are in
 * input order. Only {@link PricingError}s are caught: anything else is an engine bug and throws.
 *
 * @param ruleSet - @defaultValue {@link DEFAULT_RULE_SET}
 */
export function priceMany(
  opportunities: readonly OpportunityInput[],
  ruleSet: RuleSet = DEFAULT_RULE_SET,
): PriceResult[] {
  return opportunities.map((opportunity, index): PriceResult => {
    try {
      const quote = priceQuote(opportunity, ruleSet);
      return { ok: true, index, opportunityId: quote.opportunityId, quote };
    } catch (error) {
      if (!(error instanceof PricingError)) throw error;
      return { ok: false, index, opportunityId: error.opportunityId ?? null, error };
    }
  });
}

/** Region + family + tier, capped; with the ids of the rules that fired. */
function lineDiscount(
  ruleSet: RuleSet,
  regionBps: number,
  regionRules: readonly string[],
  line: ValidatedLine,
): { discountBps: number; rules: string[] } {
  const rules = [...regionRules];
  let bps = regionBps;
  if (line.familyIndex >= 0) {
    bps += ruleSet.familyBps[line.familyIndex] ?? 0;
    rules.push(`family:${ruleSet.familyNames[line.familyIndex]}`);
  }
  // Highest tier reached wins; tiers are ascending with non-decreasing extras (checked at load),
  // which is what makes a larger quantity never cost more per unit.
  let tier = -1;
  ruleSet.tierMinHundredths.forEach((min, index) => {
    if (line.quantityHundredths >= min) tier = index;
  });
  if (tier >= 0) {
    bps += ruleSet.tierExtraBps[tier] ?? 0;
    rules.push(ruleSet.tierRuleIds[tier] ?? `tier:${tier}`);
  }
  if (bps > ruleSet.maxDiscountBps) {
    bps = ruleSet.maxDiscountBps;
    rules.push('cap');
  }
  return { discountBps: bps, rules };
}

function nonEmpty(value: string | null | undefined): string | null {
  return value === undefined || value === null || value === '' ? null : value;
}
