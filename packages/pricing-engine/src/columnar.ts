/**
 * The columnar batch path: many opportunities priced per call from typed arrays, by one loop
 * that allocates nothing.
 *
 * Why: a Heroku worker replacing Batch Apex prices hundreds of thousands of lines per job. The
 * object API allocates a result object, a rules array and strings per line; here every input
 * and output is a column (`Float64Array` for integer minor units and hundredths, `Int32Array`
 * for indexes and basis points), so the hot loop is integer arithmetic over flat memory.
 *
 * Usage: {@link buildPricingBatch} (validates and converts objects to columns; allocation is fine
 * there), {@link priceBatch} (the hot loop; pass the output of {@link createBatchOutput} to reuse
 * it across calls), then read the columns or turn them into objects with {@link batchResults}.
 *
 * Errors: a bad opportunity does not stop the batch. The builder records its
 * {@link PricingError} in {@link PricingBatch.errors} and a non-zero
 * {@link PricingBatch.errorCode}; it gets no lines and zero totals, and {@link batchResults}
 * reports it as `{ ok: false, error }`, exactly like `priceMany`.
 */
import { formatEpochDay } from './dates.js';
import { PRICING_ERROR_CODES, PricingError } from './errors.js';
import { validateOpportunity, type OpportunityInput } from './input.js';
import { BPS_SCALE, MAX_SAFE_MINOR, effectiveDiscountBps, minorToNumber } from './money.js';
import { normalizeCountryKey } from './country-regions.js';
import type { PricedLine, PriceResult } from './price-quote.js';
import {
  DEFAULT_RULE_SET,
  RULE_FLAG_CAP,
  RULE_FLAG_FAMILY,
  RULE_FLAG_TIER,
  type RegionSource,
  type RuleSet,
} from './rules.js';

/** Opportunities and lines as columns, bound to the rule set their indexes refer to. */
export interface PricingBatch {
  /** Rules the region and family indexes refer to; {@link priceBatch} prices with these. */
  readonly ruleSet: RuleSet;
  /** Number of opportunities (valid or not). */
  readonly opportunityCount: number;
  /** Number of lines stored (lines of invalid opportunities are not stored). */
  readonly lineCount: number;
  /** The inputs, kept to echo ids and names when {@link batchResults} builds objects. */
  readonly source: readonly OpportunityInput[];
  /** Error of each invalid opportunity, by opportunity index. */
  readonly errors: ReadonlyMap<number, PricingError>;
  /** Per opportunity: 0 when valid, else 1 + the index of its code in `PRICING_ERROR_CODES`. */
  readonly errorCode: Uint8Array;
  /** Per opportunity: index into `ruleSet.regionBps`. */
  readonly regionIndex: Int32Array;
  /** Per opportunity: where the region came from (0 account, 1 country, 2 default). */
  readonly regionSource: Uint8Array;
  /** Per opportunity: CloseDate as days since 1970-01-01. */
  readonly closeEpochDay: Int32Array;
  /** Per opportunity: currency minor-unit decimals. */
  readonly currencyDecimals: Uint8Array;
  /**
   * Per opportunity, length `opportunityCount + 1`: lines of opportunity `o` are
   * `lineStart[o] .. lineStart[o + 1] - 1`.
   */
  readonly lineStart: Int32Array;
  /** Per line: list unit price, integer minor units. */
  readonly listUnitMinor: Float64Array;
  /** Per line: quantity in hundredths, integer. */
  readonly quantityHundredths: Float64Array;
  /** Per line: index into `ruleSet.familyBps`, or -1 for no family adjustment. */
  readonly familyIndex: Int32Array;
}

/** Results of {@link priceBatch}, one column per field, indexed like the batch. */
export interface PricingBatchOutput {
  /** Per line: discounted unit price, minor units. */
  readonly unitPriceMinor: Float64Array;
  /** Per line: discount applied, basis points. */
  readonly discountBps: Int32Array;
  /** Per line: list unit price × quantity, minor units. */
  readonly listTotalMinor: Float64Array;
  /** Per line: discounted unit price × quantity, minor units. */
  readonly lineTotalMinor: Float64Array;
  /** Per line: `RULE_FLAG_FAMILY | RULE_FLAG_TIER | RULE_FLAG_CAP` bits of the rules that fired. */
  readonly ruleFlags: Uint8Array;
  /** Per line: index of the quantity tier applied, or -1. */
  readonly tierIndex: Int32Array;
  /** Per opportunity: subtotal before discount, minor units. */
  readonly subtotalMinor: Float64Array;
  /** Per opportunity: total discount, minor units. */
  readonly totalDiscountMinor: Float64Array;
  /** Per opportunity: total after discount, minor units. */
  readonly totalMinor: Float64Array;
  /** Per opportunity: effective discount, basis points. */
  readonly quoteDiscountBps: Int32Array;
  /** Per opportunity: 1 when the quote needs approval. */
  readonly needsApproval: Uint8Array;
  /** Per opportunity: ExpirationDate as days since 1970-01-01. */
  readonly expirationEpochDay: Int32Array;
}

const REGION_SOURCES: readonly RegionSource[] = ['account', 'country', 'default'];

/**
 * Validates opportunities and lays them out as columns for {@link priceBatch}. Never throws for
 * bad data: each invalid opportunity is recorded in `errors` / `errorCode` and skipped.
 *
 * @param ruleSet - @defaultValue {@link DEFAULT_RULE_SET}
 */
export function buildPricingBatch(
  opportunities: readonly OpportunityInput[],
  ruleSet: RuleSet = DEFAULT_RULE_SET,
): PricingBatch {
  const count = opportunities.length;
  let lineCapacity = 0;
  for (const opportunity of opportunities) {
    const lines = (opportunity as Partial<OpportunityInput> | null)?.lines;
    if (Array.isArray(lines)) lineCapacity += lines.length;
  }

  const errors = new Map<number, PricingError>();
  const errorCode = new Uint8Array(count);
  const regionIndex = new Int32Array(count);
  const regionSource = new Uint8Array(count);
  const closeEpochDay = new Int32Array(count);
  const currencyDecimals = new Uint8Array(count);
  const lineStart = new Int32Array(count + 1);
  const listUnitMinor = new Float64Array(lineCapacity);
  const quantityHundredths = new Float64Array(lineCapacity);
  const familyIndex = new Int32Array(lineCapacity);

  let line = 0;
  for (let o = 0; o < count; o++) {
    lineStart[o] = line;
    let valid;
    try {
      valid = validateOpportunity(opportunities[o], ruleSet);
    } catch (error) {
      if (!(error instanceof PricingError)) throw error;
      errors.set(o, error);
      errorCode[o] = PRICING_ERROR_CODES.indexOf(error.code) + 1;
      continue;
    }
    regionIndex[o] = valid.regionIndex;
    regionSource[o] = REGION_SOURCES.indexOf(valid.regionSource);
    closeEpochDay[o] = valid.closeEpochDay;
    currencyDecimals[o] = valid.currencyDecimals;
    for (const validLine of valid.lines) {
      listUnitMinor[line] = validLine.listUnitMinor;
      quantityHundredths[line] = validLine.quantityHundredths;
      familyIndex[line] = validLine.familyIndex;
      line++;
    }
  }
  lineStart[count] = line;

  return {
    ruleSet,
    opportunityCount: count,
    lineCount: line,
    source: opportunities,
    errors,
    errorCode,
    regionIndex,
    regionSource,
    closeEpochDay,
    currencyDecimals,
    lineStart,
    listUnitMinor,
    quantityHundredths,
    familyIndex,
  };
}

/** Allocates output columns sized for `batch`; reuse them across {@link priceBatch} calls. */
export function createBatchOutput(batch: PricingBatch): PricingBatchOutput {
  const lines = batch.lineCount;
  const quotes = batch.opportunityCount;
  return {
    unitPriceMinor: new Float64Array(lines),
    discountBps: new Int32Array(lines),
    listTotalMinor: new Float64Array(lines),
    lineTotalMinor: new Float64Array(lines),
    ruleFlags: new Uint8Array(lines),
    tierIndex: new Int32Array(lines),
    subtotalMinor: new Float64Array(quotes),
    totalDiscountMinor: new Float64Array(quotes),
    totalMinor: new Float64Array(quotes),
    quoteDiscountBps: new Int32Array(quotes),
    needsApproval: new Uint8Array(quotes),
    expirationEpochDay: new Int32Array(quotes),
  };
}

/**
 * Prices every valid opportunity of `batch` into `out` (allocated when omitted) and returns it.
 *
 * The loop allocates nothing (the only exception: a quote whose total discount exceeds about
 * 9 × 10^11 minor units takes the `bigint` path of `effectiveDiscountBps`). Rounding works on
 * integers (a floored reciprocal product corrected by the exact remainder, then an explicit
 * half-to-even tie rule), never `Math.round` on a fractional float, so results are identical to
 * `priceQuote`, which property tests check.
 */
export function priceBatch(
  batch: PricingBatch,
  out: PricingBatchOutput = createBatchOutput(batch),
): PricingBatchOutput {
  // Chunks rather than one loop over everything: V8 optimises a function that is called often
  // better than one long-running loop it can only on-stack-replace (about 10% faster here).
  const count = batch.opportunityCount;
  for (let from = 0; from < count; from += CHUNK) priceRange(batch, out, from, Math.min(count, from + CHUNK));
  return out;
}

/** Opportunities per {@link priceRange} call. */
const CHUNK = 1024;

/** Discounts up to this many minor units take the `number` path of the quote percentage. */
const MAX_NUMBER_DISCOUNT = Math.floor(MAX_SAFE_MINOR / BPS_SCALE);

/** The hot loop: prices opportunities `from` (inclusive) to `to` (exclusive). */
function priceRange(batch: PricingBatch, out: PricingBatchOutput, from: number, to: number): void {
  const rules = batch.ruleSet;
  const regionBps = rules.regionBps;
  const familyBps = rules.familyBps;
  const tierMin = rules.tierMinHundredths;
  const tierExtra = rules.tierExtraBps;
  const tierCount = tierMin.length;
  const cap = rules.maxDiscountBps;
  const threshold = rules.approvalThresholdBps;
  const expirationDays = rules.expirationDays;

  const { errorCode, regionIndex, closeEpochDay, lineStart, listUnitMinor, quantityHundredths, familyIndex } =
    batch;
  const { unitPriceMinor, discountBps, listTotalMinor, lineTotalMinor, ruleFlags, tierIndex } = out;
  const {
    subtotalMinor,
    totalDiscountMinor,
    totalMinor,
    quoteDiscountBps,
    needsApproval,
    expirationEpochDay,
  } = out;

  for (let o = from; o < to; o++) {
    if (errorCode[o] !== 0) {
      subtotalMinor[o] = 0;
      totalDiscountMinor[o] = 0;
      totalMinor[o] = 0;
      quoteDiscountBps[o] = 0;
      needsApproval[o] = 0;
      expirationEpochDay[o] = 0;
      continue;
    }
    const baseBps = regionBps[regionIndex[o]!]!;
    const end = lineStart[o + 1]!;
    let subtotal = 0;
    let total = 0;
    for (let l = lineStart[o]!; l < end; l++) {
      let bps = baseBps;
      let flags = 0;
      const family = familyIndex[l]!;
      if (family >= 0) {
        bps += familyBps[family]!;
        flags = RULE_FLAG_FAMILY;
      }
      const quantity = quantityHundredths[l]!;
      let tier = tierCount - 1;
      while (tier >= 0 && quantity < tierMin[tier]!) tier--;
      if (tier >= 0) {
        bps += tierExtra[tier]!;
        flags |= RULE_FLAG_TIER;
      }
      if (bps > cap) {
        bps = cap;
        flags |= RULE_FLAG_CAP;
      }
      const list = listUnitMinor[l]!;

      // Each rounding is round_half_even(n / d) on integers n < 2^53, written so the common path
      // has no unpredictable branch: add d/2 and floor (round half up), then step back by one on
      // an exact tie whose result is odd. The floor uses a multiply by the reciprocal instead of
      // a division; its float error is far below 1, and the remainder check fixes the off-by-one
      // it can cause next to an integer (ties sit exactly on integers, so the tie test comes after
      // the fix-up). Everything stays exact: validation keeps n + d/2 below 2^53.

      // unit = round_half_even(list × (10000 - bps) / 10000)
      let scaled = list * (10000 - bps) + 5000;
      let unit = Math.floor(scaled * 0.0001);
      let rem = scaled - unit * 10000;
      if (rem < 0) {
        unit -= 1;
        rem += 10000;
      } else if (rem >= 10000) {
        unit += 1;
        rem -= 10000;
      }
      if (rem === 0 && unit * 0.5 !== Math.floor(unit * 0.5)) unit -= 1;

      // line total = round_half_even(unit × quantityHundredths / 100)
      scaled = unit * quantity + 50;
      let lineTotal = Math.floor(scaled * 0.01);
      rem = scaled - lineTotal * 100;
      if (rem < 0) {
        lineTotal -= 1;
        rem += 100;
      } else if (rem >= 100) {
        lineTotal += 1;
        rem -= 100;
      }
      if (rem === 0 && lineTotal * 0.5 !== Math.floor(lineTotal * 0.5)) lineTotal -= 1;

      // list total = round_half_even(list × quantityHundredths / 100)
      scaled = list * quantity + 50;
      let listTotal = Math.floor(scaled * 0.01);
      rem = scaled - listTotal * 100;
      if (rem < 0) {
        listTotal -= 1;
        rem += 100;
      } else if (rem >= 100) {
        listTotal += 1;
        rem -= 100;
      }
      if (rem === 0 && listTotal * 0.5 !== Math.floor(listTotal * 0.5)) listTotal -= 1;

      unitPriceMinor[l] = unit;
      discountBps[l] = bps;
      lineTotalMinor[l] = lineTotal;
      listTotalMinor[l] = listTotal;
      ruleFlags[l] = flags;
      tierIndex[l] = tier;
      subtotal += listTotal;
      total += lineTotal;
    }
    const discount = subtotal - total;
    // quote percentage = round_half_even(discount × 10000 / subtotal), inlined (the division by a
    // variable is the costliest step per quote); gigantic discounts go through bigint.
    let quoteBps = 0;
    if (subtotal > 0) {
      if (discount <= MAX_NUMBER_DISCOUNT) {
        const scaledDiscount = discount * 10000;
        quoteBps = Math.floor(scaledDiscount / subtotal);
        let quoteRem = scaledDiscount - quoteBps * subtotal;
        if (quoteRem < 0) {
          quoteBps -= 1;
          quoteRem += subtotal;
        } else if (quoteRem >= subtotal) {
          quoteBps += 1;
          quoteRem -= subtotal;
        }
        const twice = quoteRem * 2;
        if (twice > subtotal || (twice === subtotal && quoteBps * 0.5 !== Math.floor(quoteBps * 0.5)))
          quoteBps += 1;
      } else {
        quoteBps = effectiveDiscountBps(discount, subtotal);
      }
    }
    subtotalMinor[o] = subtotal;
    totalDiscountMinor[o] = discount;
    totalMinor[o] = total;
    quoteDiscountBps[o] = quoteBps;
    needsApproval[o] = quoteBps > threshold ? 1 : 0;
    expirationEpochDay[o] = closeEpochDay[o]! + expirationDays;
  }
}

/**
 * Turns batch columns back into the object API's results (same shapes, same values as
 * `priceMany` on the same input), e.g. to map them to Salesforce records. This allocates; call
 * it per chunk you are about to send, not inside a hot loop.
 */
export function batchResults(batch: PricingBatch, out: PricingBatchOutput): PriceResult[] {
  const results: PriceResult[] = [];
  for (let o = 0; o < batch.opportunityCount; o++) results.push(batchResult(batch, out, o));
  return results;
}

/** {@link batchResults} for one opportunity index. */
export function batchResult(batch: PricingBatch, out: PricingBatchOutput, o: number): PriceResult {
  const error = batch.errors.get(o);
  if (error !== undefined) return { ok: false, index: o, opportunityId: error.opportunityId ?? null, error };

  const rules = batch.ruleSet;
  const source = batch.source[o] as OpportunityInput;
  const region = batch.regionIndex[o]!;
  const regionSource = REGION_SOURCES[batch.regionSource[o]!]!;
  const regionName = region === rules.defaultRegionIndex ? null : (rules.regionNames[region] ?? null);
  const regionRules: string[] = [regionName === null ? 'region:default' : `region:${regionName}`];
  if (regionSource === 'country' && typeof source.accountCountry === 'string') {
    regionRules.push(`country:${normalizeCountryKey(source.accountCountry)}`);
  }

  const decimals = batch.currencyDecimals[o]!;
  const first = batch.lineStart[o]!;
  const lines: PricedLine[] = [];
  for (let l = first; l < batch.lineStart[o + 1]!; l++) {
    const lineIndex = l - first;
    const input = source.lines[lineIndex] as OpportunityInput['lines'][number];
    const flags = out.ruleFlags[l]!;
    const lineRules = [...regionRules];
    const family = batch.familyIndex[l]!;
    if ((flags & RULE_FLAG_FAMILY) !== 0) lineRules.push(`family:${rules.familyNames[family]}`);
    const tier = out.tierIndex[l]!;
    if ((flags & RULE_FLAG_TIER) !== 0) lineRules.push(rules.tierRuleIds[tier] ?? `tier:${tier}`);
    if ((flags & RULE_FLAG_CAP) !== 0) lineRules.push('cap');
    const quantityHundredths = batch.quantityHundredths[l]!;
    lines.push({
      lineIndex,
      lineId: orNull(input.id),
      pricebookEntryId: input.pricebookEntryId,
      product2Id: orNull(input.product2Id),
      productFamily: input.productFamily ?? null,
      productCode: input.productCode ?? null,
      quantity: minorToNumber(quantityHundredths, 2),
      quantityHundredths,
      listUnitPriceMinor: batch.listUnitMinor[l]!,
      unitPriceMinor: out.unitPriceMinor[l]!,
      discountBps: out.discountBps[l]!,
      listTotalMinor: out.listTotalMinor[l]!,
      lineTotalMinor: out.lineTotalMinor[l]!,
      discountMinor: out.listTotalMinor[l]! - out.lineTotalMinor[l]!,
      rules: lineRules,
    });
  }

  return {
    ok: true,
    index: o,
    opportunityId: source.id,
    quote: {
      opportunityId: source.id,
      pricebook2Id: orNull(source.pricebook2Id),
      currencyIsoCode: source.currencyIsoCode,
      currencyDecimals: decimals as 0 | 1 | 2 | 3,
      ruleSetId: rules.id,
      region: regionName,
      regionSource,
      closeDate: formatEpochDay(batch.closeEpochDay[o]!),
      expirationDate: formatEpochDay(out.expirationEpochDay[o]!),
      subtotalMinor: out.subtotalMinor[o]!,
      totalDiscountMinor: out.totalDiscountMinor[o]!,
      totalMinor: out.totalMinor[o]!,
      discountBps: out.quoteDiscountBps[o]!,
      needsApproval: out.needsApproval[o] === 1,
      lines,
    },
  };
}

function orNull(value: string | null | undefined): string | null {
  return value === undefined || value === null || value === '' ? null : value;
}
