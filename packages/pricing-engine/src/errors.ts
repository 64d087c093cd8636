/**
 * The one error type the engine throws for bad input or a bad rule set.
 *
 * A batch worker prices thousands of opportunities per job, so an error has to say *which*
 * opportunity and *which* line is wrong, in fields a program can read (`code`, `opportunityId`,
 * `lineIndex`, `lineId`) and in a message a human can act on. Anything else that escapes the
 * engine (a `TypeError`, say) is a bug in the engine, not a data problem.
 */

/**
 * Machine-readable reason for a {@link PricingError}.
 *
 * - `INVALID_INPUT`: the opportunity or line is structurally wrong (not an object, missing Id,
 *   missing PricebookEntryId, `lines` not an array, region/country/family not a string...).
 * - `INVALID_QUANTITY`: quantity is not a finite number, is zero or negative, or has more than
 *   two decimals (Salesforce's Quantity scale).
 * - `NEGATIVE_PRICE`: UnitPrice below zero.
 * - `INVALID_PRICE`: UnitPrice is not a finite number or has more decimals than the currency has
 *   minor units (e.g. 100.5 JPY, 1.234 USD).
 * - `AMOUNT_OUT_OF_RANGE`: an amount is too large to be priced exactly with integer arithmetic
 *   (see `MAX_UNIT_PRICE_MINOR` and `MAX_SAFE_MINOR` in money.ts).
 * - `UNKNOWN_CURRENCY`: the ISO code is not in the engine's currency table.
 * - `INVALID_DATE`: CloseDate is not a real calendar date in `YYYY-MM-DD` form (or the expiration
 *   date would fall after 9999-12-31).
 * - `INVALID_RULE_SET`: {@link PricingError.issues} lists every problem found in the rule set.
 * - `UNKNOWN_CATALOG_OPTION`: a car configuration names a range or colour code that is not in the
 *   car catalogue (see catalog.ts).
 */
export type PricingErrorCode =
  | 'INVALID_INPUT'
  | 'INVALID_QUANTITY'
  | 'NEGATIVE_PRICE'
  | 'INVALID_PRICE'
  | 'AMOUNT_OUT_OF_RANGE'
  | 'UNKNOWN_CURRENCY'
  | 'INVALID_DATE'
  | 'INVALID_RULE_SET'
  | 'UNKNOWN_CATALOG_OPTION';

/**
 * Every code, in a fixed order. The columnar batch stores an opportunity's error as a small
 * integer (index + 1 into this list, 0 meaning "no error") so the hot loop can skip it cheaply.
 */
export const PRICING_ERROR_CODES: readonly PricingErrorCode[] = [
  'INVALID_INPUT',
  'INVALID_QUANTITY',
  'NEGATIVE_PRICE',
  'INVALID_PRICE',
  'AMOUNT_OUT_OF_RANGE',
  'UNKNOWN_CURRENCY',
  'INVALID_DATE',
  'INVALID_RULE_SET',
  'UNKNOWN_CATALOG_OPTION',
];

/** One problem found while validating a rule set. */
export interface RuleSetIssue {
  /** Where the problem is, in JavaScript accessor notation, e.g. `quantityTiers[1].extraBps`. */
  readonly path: string;
  /** What is wrong there and what is expected instead. */
  readonly message: string;
}

/** Where an error happened; every field is optional because rule-set errors have none of them. */
export interface PricingErrorContext {
  /** Salesforce Id of the opportunity being priced. */
  readonly opportunityId?: string | undefined;
  /** Zero-based position of the offending line in the opportunity's `lines`. */
  readonly lineIndex?: number | undefined;
  /** Salesforce Id of the offending OpportunityLineItem, when the input had one. */
  readonly lineId?: string | undefined;
  /** For `INVALID_RULE_SET`: every problem found, not just the first. */
  readonly issues?: readonly RuleSetIssue[] | undefined;
}

/** Thrown (or, from the batch APIs, returned per opportunity) for bad input or a bad rule set. */
export class PricingError extends Error {
  override readonly name = 'PricingError';
  /** Why pricing failed; stable, switch on it. */
  readonly code: PricingErrorCode;
  /** Opportunity that failed, when known. */
  readonly opportunityId: string | undefined;
  /** Zero-based index of the failing line, when a line is at fault. */
  readonly lineIndex: number | undefined;
  /** Id of the failing line, when a line is at fault and has an Id. */
  readonly lineId: string | undefined;
  /** Rule-set problems (only for `INVALID_RULE_SET`). */
  readonly issues: readonly RuleSetIssue[];
  /** The problem alone, without the location prefix that {@link Error.message} carries. */
  readonly detail: string;

  constructor(code: PricingErrorCode, detail: string, context: PricingErrorContext = {}) {
    super(`${code}: ${describeLocation(context)}${detail}`);
    this.code = code;
    this.detail = detail;
    this.opportunityId = context.opportunityId;
    this.lineIndex = context.lineIndex;
    this.lineId = context.lineId;
    this.issues = context.issues ?? [];
  }
}

function describeLocation(context: PricingErrorContext): string {
  const parts: string[] = [];
  if (context.opportunityId !== undefined) parts.push(`opportunity ${context.opportunityId}`);
  if (context.lineIndex !== undefined) {
    parts.push(
      context.lineId !== undefined
        ? `line ${context.lineIndex} (${context.lineId})`
        : `line ${context.lineIndex}`,
    );
  }
  return parts.length > 0 ? `${parts.join(', ')}: ` : '';
}

/** `true` for a {@link PricingError}, so callers can tell data problems from engine bugs. */
export function isPricingError(value: unknown): value is PricingError {
  return value instanceof PricingError;
}
