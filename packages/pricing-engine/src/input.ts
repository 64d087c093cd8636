/**
 * What the engine prices ({@link OpportunityInput}) and the validation both pricing paths share.
 *
 * Validation lives here, once, so the object API and the columnar batch reject exactly the same
 * inputs with exactly the same errors; only the arithmetic is written twice (readable in
 * price-quote.ts, tight in columnar.ts) and a property test keeps the two in agreement.
 */
import { MAX_EPOCH_DAY, parseEpochDay } from './dates.js';
import { PricingError, type PricingErrorCode } from './errors.js';
import {
  MAX_LINE_PRODUCT,
  MAX_SAFE_MINOR,
  MAX_UNIT_PRICE_MINOR,
  lineAmountMinor,
  toScaledInteger,
  type CurrencyDecimals,
} from './money.js';
import { resolveRegion, type RegionSource, type RuleSet } from './rules.js';

/**
 * One OpportunityLineItem. Numbers are taken as Salesforce returns them: JS numbers with at
 * most the currency's decimals (UnitPrice) and at most two decimals (Quantity).
 */
export interface OpportunityLineInput {
  /** OpportunityLineItem Id; only used to name the line in errors and results. */
  readonly id?: string | null | undefined;
  /** PricebookEntryId, copied to the QuoteLineItem. */
  readonly pricebookEntryId: string;
  /** Product2Id, copied to the QuoteLineItem. */
  readonly product2Id?: string | null | undefined;
  /** Product2.Family; selects a family adjustment when the rule set lists the family. */
  readonly productFamily?: string | null | undefined;
  /** Product2.ProductCode; carried through to the result for the caller's convenience. */
  readonly productCode?: string | null | undefined;
  /**
   * Quantity, > 0, at most two decimals (Salesforce's scale for Quantity). Zero, negative, more
   * decimals, NaN or Infinity are `INVALID_QUANTITY`.
   */
  readonly quantity: number;
  /**
   * List (sales) unit price in the opportunity's currency, >= 0, with at most as many decimals
   * as the currency has minor units: 19.99 USD and 1200 JPY are fine, 19.999 USD and 100.5 JPY
   * are `INVALID_PRICE` (the engine refuses to guess a rounding of an input price), a negative
   * price is `NEGATIVE_PRICE`.
   */
  readonly unitPrice: number;
}

/** One Opportunity with its line items and the account fields pricing depends on. */
export interface OpportunityInput {
  /** Opportunity Id. */
  readonly id: string;
  /** CloseDate, `YYYY-MM-DD` (a Salesforce Date, no time zone). */
  readonly closeDate: string;
  /** CurrencyIsoCode, e.g. `USD`, `EUR`, `JPY`, `KWD`; must be in the rule set's currency table. */
  readonly currencyIsoCode: string;
  /** Pricebook2Id for the Quote. */
  readonly pricebook2Id?: string | null | undefined;
  /** The account's sales region (e.g. `EMEA`); missing or blank falls back to the country. */
  readonly accountRegion?: string | null | undefined;
  /** The account's billing country (ISO code or name), used only when the region is missing. */
  readonly accountCountry?: string | null | undefined;
  /** The OpportunityLineItems. An opportunity with none prices to an empty quote. */
  readonly lines: readonly OpportunityLineInput[];
}

/** An opportunity after validation, in the integer units the engine computes with. */
export interface ValidatedOpportunity {
  /** Opportunity Id. */
  readonly id: string;
  /** Currency ISO code, as given. */
  readonly currencyIsoCode: string;
  /** Minor-unit decimals of the currency. */
  readonly currencyDecimals: CurrencyDecimals;
  /** CloseDate as days since 1970-01-01. */
  readonly closeEpochDay: number;
  /** CloseDate + the rule set's expiration days, as days since 1970-01-01. */
  readonly expirationEpochDay: number;
  /** Index into the rule set's `regionBps`. */
  readonly regionIndex: number;
  /** Region code, or `null` for the default discount. */
  readonly regionName: string | null;
  /** Where the region came from. */
  readonly regionSource: RegionSource;
  /** Normalised country key that gave the region, when `regionSource` is `'country'`. */
  readonly countryKey: string | null;
  /** The lines, in input order. */
  readonly lines: readonly ValidatedLine[];
}

/** A line after validation. */
export interface ValidatedLine {
  /** List unit price in minor units. */
  readonly listUnitMinor: number;
  /** Quantity in hundredths of a unit. */
  readonly quantityHundredths: number;
  /** Index into the rule set's family table, or -1 when no family adjustment applies. */
  readonly familyIndex: number;
}

/**
 * Checks an opportunity and converts its numbers to integers; throws the first problem found as
 * a {@link PricingError} naming the opportunity (and line).
 */
export function validateOpportunity(raw: unknown, ruleSet: RuleSet): ValidatedOpportunity {
  if (typeof raw !== 'object' || raw === null) {
    throw new PricingError(
      'INVALID_INPUT',
      `opportunity must be an object, got ${raw === null ? 'null' : typeof raw}`,
    );
  }
  const opp = raw as Partial<Record<keyof OpportunityInput, unknown>>;
  const id = opp.id;
  if (typeof id !== 'string' || id === '') {
    throw new PricingError('INVALID_INPUT', `opportunity id must be a non-empty string, got ${show(id)}`);
  }
  const currencyIsoCode = opp.currencyIsoCode;
  const currencyDecimals =
    typeof currencyIsoCode === 'string' ? ruleSet.currencyDecimals.get(currencyIsoCode) : undefined;
  if (typeof currencyIsoCode !== 'string' || currencyDecimals === undefined) {
    throw opportunityError(
      id,
      'UNKNOWN_CURRENCY',
      `unknown currency ${show(currencyIsoCode)} (add it to the rule set's currencyDecimals)`,
    );
  }

  const closeDate = opp.closeDate;
  const closeEpochDay = typeof closeDate === 'string' ? parseEpochDay(closeDate) : Number.NaN;
  if (Number.isNaN(closeEpochDay)) {
    throw opportunityError(
      id,
      'INVALID_DATE',
      `close date must be a YYYY-MM-DD calendar date, got ${show(closeDate)}`,
    );
  }
  const expirationEpochDay = closeEpochDay + ruleSet.expirationDays;
  if (expirationEpochDay > MAX_EPOCH_DAY) {
    throw opportunityError(
      id,
      'INVALID_DATE',
      `close date ${String(closeDate)} + ${ruleSet.expirationDays} days is after 9999-12-31`,
    );
  }

  for (const field of OPTIONAL_OPPORTUNITY_STRINGS) {
    const value = opp[field];
    if (value !== undefined && value !== null && typeof value !== 'string') {
      throw opportunityError(
        id,
        'INVALID_INPUT',
        `${field} must be a string, null or undefined, got ${show(value)}`,
      );
    }
  }
  const region = resolveRegion(
    ruleSet,
    opp.accountRegion as string | null | undefined,
    opp.accountCountry as string | null | undefined,
  );

  const rawLines = opp.lines;
  if (!Array.isArray(rawLines)) {
    throw opportunityError(id, 'INVALID_INPUT', `lines must be an array, got ${show(rawLines)}`);
  }
  const lines: ValidatedLine[] = [];
  let subtotal = 0;
  for (let lineIndex = 0; lineIndex < rawLines.length; lineIndex++) {
    const line = validateLine(rawLines[lineIndex] as unknown, lineIndex, id, currencyDecimals, ruleSet);
    subtotal += lineAmountMinor(line.listUnitMinor, line.quantityHundredths);
    lines.push(line);
  }
  // Float addition of integers is exact below 2^53 and monotone above, so this catches overflow.
  if (subtotal > MAX_SAFE_MINOR) {
    throw opportunityError(
      id,
      'AMOUNT_OUT_OF_RANGE',
      `subtotal exceeds ${MAX_SAFE_MINOR} minor units and cannot be priced exactly`,
    );
  }

  return {
    id,
    currencyIsoCode,
    currencyDecimals,
    closeEpochDay,
    expirationEpochDay,
    regionIndex: region.index,
    regionName: region.name,
    regionSource: region.source,
    countryKey: region.countryKey,
    lines,
  };
}

function validateLine(
  raw: unknown,
  lineIndex: number,
  opportunityId: string,
  decimals: CurrencyDecimals,
  ruleSet: RuleSet,
): ValidatedLine {
  if (typeof raw !== 'object' || raw === null) {
    throw new PricingError(
      'INVALID_INPUT',
      `line must be an object, got ${raw === null ? 'null' : typeof raw}`,
      {
        opportunityId,
        lineIndex,
      },
    );
  }
  const line = raw as Partial<Record<keyof OpportunityLineInput, unknown>>;
  const lineId = typeof line.id === 'string' && line.id !== '' ? line.id : undefined;
  for (const field of OPTIONAL_LINE_STRINGS) {
    const value = line[field];
    if (value !== undefined && value !== null && typeof value !== 'string') {
      throw lineError(
        opportunityId,
        lineIndex,
        lineId,
        'INVALID_INPUT',
        `${field} must be a string, null or undefined, got ${show(value)}`,
      );
    }
  }
  if (typeof line.pricebookEntryId !== 'string' || line.pricebookEntryId === '') {
    throw lineError(
      opportunityId,
      lineIndex,
      lineId,
      'INVALID_INPUT',
      `pricebookEntryId must be a non-empty string, got ${show(line.pricebookEntryId)}`,
    );
  }

  const quantity = line.quantity;
  if (typeof quantity !== 'number' || !Number.isFinite(quantity) || quantity <= 0) {
    throw lineError(
      opportunityId,
      lineIndex,
      lineId,
      'INVALID_QUANTITY',
      `quantity must be a number greater than 0, got ${show(quantity)}`,
    );
  }
  const quantityHundredths = toScaledInteger(quantity, 2);
  if (Number.isNaN(quantityHundredths)) {
    throw lineError(
      opportunityId,
      lineIndex,
      lineId,
      'INVALID_QUANTITY',
      `quantity must have at most 2 decimals, got ${show(quantity)}`,
    );
  }

  const unitPrice = line.unitPrice;
  if (typeof unitPrice !== 'number' || !Number.isFinite(unitPrice)) {
    throw lineError(
      opportunityId,
      lineIndex,
      lineId,
      'INVALID_PRICE',
      `unit price must be a finite number, got ${show(unitPrice)}`,
    );
  }
  if (unitPrice < 0) {
    throw lineError(
      opportunityId,
      lineIndex,
      lineId,
      'NEGATIVE_PRICE',
      `unit price must not be negative, got ${show(unitPrice)}`,
    );
  }
  if (unitPrice * 10 ** decimals > MAX_UNIT_PRICE_MINOR) {
    throw lineError(
      opportunityId,
      lineIndex,
      lineId,
      'AMOUNT_OUT_OF_RANGE',
      `unit price ${show(unitPrice)} is above the supported maximum of ${MAX_UNIT_PRICE_MINOR} minor units`,
    );
  }
  const listUnitMinor = toScaledInteger(unitPrice, decimals);
  if (Number.isNaN(listUnitMinor)) {
    throw lineError(
      opportunityId,
      lineIndex,
      lineId,
      'INVALID_PRICE',
      `unit price ${show(unitPrice)} has more decimals than the currency allows (${decimals})`,
    );
  }
  if (listUnitMinor * quantityHundredths > MAX_LINE_PRODUCT) {
    throw lineError(
      opportunityId,
      lineIndex,
      lineId,
      'AMOUNT_OUT_OF_RANGE',
      `unit price × quantity is too large to be priced exactly`,
    );
  }

  const family = line.productFamily;
  const familyIndex = typeof family === 'string' ? (ruleSet.familyIndexByName.get(family) ?? -1) : -1;
  return { listUnitMinor, quantityHundredths, familyIndex };
}

const OPTIONAL_OPPORTUNITY_STRINGS = ['pricebook2Id', 'accountRegion', 'accountCountry'] as const;
const OPTIONAL_LINE_STRINGS = ['id', 'product2Id', 'productFamily', 'productCode'] as const;

// Plain functions rather than closures: validation runs once per opportunity in the batch
// builder, and a closure per call is measurable there.
function opportunityError(opportunityId: string, code: PricingErrorCode, detail: string): PricingError {
  return new PricingError(code, detail, { opportunityId });
}

function lineError(
  opportunityId: string,
  lineIndex: number,
  lineId: string | undefined,
  code: PricingErrorCode,
  detail: string,
): PricingError {
  return new PricingError(code, detail, { opportunityId, lineIndex, lineId });
}

function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined) {
    return String(value);
  }
  return Array.isArray(value) ? 'an array' : typeof value;
}
