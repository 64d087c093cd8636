/**
 * The edges to Salesforce, both directions, still without I/O:
 * - {@link opportunityReadFields} and {@link opportunityFromRecord}: which fields to read, and from query rows (plain REST
 *   JSON / jsforce, or `@heroku/applink` DataApi records) to {@link OpportunityInput};
 * - {@link toSalesforceRecords}: from a {@link PricedQuote} to Quote and QuoteLineItem field
 *   maps ready for a Unit of Work / Composite request.
 */
import { PricingError } from './errors.js';
import type { OpportunityInput, OpportunityLineInput } from './input.js';
import { bpsToPercent, formatMinor, minorToNumber } from './money.js';
import type { PricedQuote } from './price-quote.js';

/** Standard Quote.Status picklist values the engine emits. */
export type QuoteStatus = 'Draft' | 'Needs Review';

/** Fields of a Quote to create. */
export interface SalesforceQuoteFields {
  /** Quote name, at most 80 characters (Salesforce's limit). */
  Name: string;
  /** The opportunity the quote belongs to. */
  OpportunityId: string;
  /** Omitted when the opportunity had no price book (QuoteLineItems then cannot be created). */
  Pricebook2Id?: string;
  /** `YYYY-MM-DD`. */
  ExpirationDate: string;
  /** `Needs Review` when the quote's discount is above the approval threshold, else `Draft`. */
  Status: QuoteStatus;
  /** Human-readable pricing summary (rule set, region, totals, approval reason). */
  Description?: string;
}

/** Fields of a QuoteLineItem to create. */
export interface SalesforceQuoteLineItemFields {
  /** Set when {@link SalesforceMappingOptions.quoteId} was given. */
  QuoteId?: string;
  /** The price book entry of the product (required by Salesforce). */
  PricebookEntryId: string;
  /** Omitted when the line had no Product2Id (Salesforce derives it from the PricebookEntry). */
  Product2Id?: string;
  /** Quantity, as on the opportunity line. */
  Quantity: number;
  /** Net (discounted) unit price, or the list price in `'list-with-discount'` mode. */
  UnitPrice: number;
  /** Discount percent; only in `'list-with-discount'` mode. */
  Discount?: number;
}

/** A quote and its lines as Salesforce field maps. */
export interface SalesforceQuoteRecords {
  /** Fields of the Quote. */
  Quote: SalesforceQuoteFields;
  /** Fields of its QuoteLineItems, in the order of the opportunity's lines. */
  lines: SalesforceQuoteLineItemFields[];
}

/**
 * How the discount is expressed on QuoteLineItem.
 * - `'net'`: `UnitPrice` is the discounted unit price and `Discount` is not set (what the seed
 *   did). Salesforce's TotalPrice = UnitPrice × Quantity then matches the engine's line total.
 * - `'list-with-discount'`: `UnitPrice` is the list price and `Discount` the percent, so the
 *   discount is visible on the record. Salesforce then computes TotalPrice itself with its own
 *   rounding, which can differ from the engine's line total by a minor unit.
 * Never both at once: Salesforce would apply the discount twice.
 */
export type UnitPriceMode = 'net' | 'list-with-discount';

/** Options of {@link toSalesforceRecords}. */
export interface SalesforceMappingOptions {
  /**
   * Quote.Name (cut to 80 characters).
   * @defaultValue `'New Quote'` (as the seed)
   */
  readonly quoteName?: string;
  /**
   * Quote Id, or a Unit of Work reference such as `quoteRef.toApiString()`, to set as each
   * line's QuoteId. Without it the lines have no QuoteId and the caller sets it.
   */
  readonly quoteId?: string;
  /** @defaultValue `'net'` */
  readonly unitPriceMode?: UnitPriceMode;
  /**
   * Whether to fill Quote.Description with a pricing summary.
   * @defaultValue `true`
   */
  readonly description?: boolean;
}

/**
 * Maps a priced quote to Quote / QuoteLineItem fields. Amounts become JS numbers from exact
 * minor units (1699 cents → 16.99), which serialise to JSON without float noise.
 */
export function toSalesforceRecords(
  quote: PricedQuote,
  options: SalesforceMappingOptions = {},
): SalesforceQuoteRecords {
  const mode = options.unitPriceMode ?? 'net';
  const decimals = quote.currencyDecimals;
  const Quote: SalesforceQuoteFields = {
    Name: (options.quoteName ?? 'New Quote').slice(0, 80),
    OpportunityId: quote.opportunityId,
    ExpirationDate: quote.expirationDate,
    Status: quote.needsApproval ? 'Needs Review' : 'Draft',
  };
  if (quote.pricebook2Id !== null) Quote.Pricebook2Id = quote.pricebook2Id;
  if (options.description ?? true) Quote.Description = describeQuote(quote);

  const lines = quote.lines.map((line): SalesforceQuoteLineItemFields => {
    const record: SalesforceQuoteLineItemFields = {
      PricebookEntryId: line.pricebookEntryId,
      Quantity: line.quantity,
      UnitPrice: minorToNumber(mode === 'net' ? line.unitPriceMinor : line.listUnitPriceMinor, decimals),
    };
    if (options.quoteId !== undefined) record.QuoteId = options.quoteId;
    if (line.product2Id !== null) record.Product2Id = line.product2Id;
    if (mode === 'list-with-discount') record.Discount = bpsToPercent(line.discountBps);
    return record;
  });
  return { Quote, lines };
}

/** One-paragraph, human-readable summary of how a quote was priced (for Quote.Description). */
export function describeQuote(quote: PricedQuote): string {
  const money = (minor: number): string =>
    `${formatMinor(minor, quote.currencyDecimals)} ${quote.currencyIsoCode}`;
  const region =
    quote.regionSource === 'default'
      ? 'default region discount'
      : `region ${quote.region}${quote.regionSource === 'country' ? ' (from account country)' : ''}`;
  const approval = quote.needsApproval ? ' Discount is above the approval threshold: needs review.' : '';
  return (
    `Priced by @ecars/pricing-engine with rule set ${quote.ruleSetId}, ${region}. ` +
    `Subtotal ${money(quote.subtotalMinor)}, discount ${money(quote.totalDiscountMinor)} ` +
    `(${formatMinor(quote.discountBps, 2)}%), total ${money(quote.totalMinor)}.${approval}`
  );
}

/** Where the engine's inputs live on the queried Opportunity rows. Paths may cross lookups (`Account.BillingCountry`). */
export interface SalesforceFieldMapping {
  /**
   * Field holding the region; `null` to not read one.
   * @defaultValue `'Billing_Region__c'` (the seed's custom field on Opportunity)
   */
  readonly regionField?: string | null;
  /**
   * Field holding the country, used when the region is blank; `null` to not read one.
   * @defaultValue `'Account.BillingCountry'`
   */
  readonly countryField?: string | null;
  /**
   * Currency field; `null` in orgs without multi-currency, which have no CurrencyIsoCode.
   * @defaultValue `'CurrencyIsoCode'`
   */
  readonly currencyField?: string | null;
  /**
   * Currency used when the currency field is `null` or empty on a row.
   * @defaultValue `'USD'`
   */
  readonly defaultCurrencyIsoCode?: string;
  /**
   * Price book field; `null` to always use {@link SalesforceFieldMapping.defaultPricebook2Id}.
   * @defaultValue `'Pricebook2Id'`
   */
  readonly pricebookField?: string | null;
  /**
   * Price book used when the row has none (the seed looked up the standard price book).
   * @defaultValue `null`
   */
  readonly defaultPricebook2Id?: string | null;
  /**
   * Child relationship of the line items.
   * @defaultValue `'OpportunityLineItems'`
   */
  readonly lineItemsRelationship?: string;
  /**
   * Product family field on the line; `null` to not read one.
   * @defaultValue `'Product2.Family'`
   */
  readonly familyField?: string | null;
  /**
   * Product code field on the line; `null` to not read one.
   * @defaultValue `'Product2.ProductCode'`
   */
  readonly productCodeField?: string | null;
}

const DEFAULT_MAPPING: Required<SalesforceFieldMapping> = {
  regionField: 'Billing_Region__c',
  countryField: 'Account.BillingCountry',
  currencyField: 'CurrencyIsoCode',
  defaultCurrencyIsoCode: 'USD',
  pricebookField: 'Pricebook2Id',
  defaultPricebook2Id: null,
  lineItemsRelationship: 'OpportunityLineItems',
  familyField: 'Product2.Family',
  productCodeField: 'Product2.ProductCode',
};

const SALESFORCE_ID = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;
const FIELD_PATH = /^[A-Za-z][A-Za-z0-9_]*(?:\.[A-Za-z][A-Za-z0-9_]*)*$/;

/**
 * What {@link opportunityFromRecord} reads from an Opportunity row: its own field paths, and the
 * child relationship of its lines with their field paths. The engine says WHAT it needs; the
 * caller's Salesforce client builds and runs the query (the engine writes no SOQL).
 */
export interface OpportunityReadFields {
  /** Field paths of Opportunity (`Id`, `CloseDate`, `Account.Region__c`, …). */
  readonly fields: readonly string[];
  readonly lineItems: {
    /** Child relationship name (`OpportunityLineItems`). */
    readonly relationship: string;
    /** Field paths of the line (`Quantity`, `Product2.Family`, …). */
    readonly fields: readonly string[];
  };
}

/** Whether `value` has the form of a 15- or 18-character Salesforce Id. */
export function isSalesforceId(value: string): boolean {
  return SALESFORCE_ID.test(value);
}

/**
 * The fields pricing reads under `mapping`: select them (the lines as a child subquery) to get
 * rows {@link opportunityFromRecord} accepts. Paths are checked to be field paths (letters, digits,
 * `_`, dots), so a mapping typo fails here rather than in the org.
 */
export function opportunityReadFields(mapping: SalesforceFieldMapping = {}): OpportunityReadFields {
  const m = { ...DEFAULT_MAPPING, ...mapping };
  const opportunityFields = ['Id', 'CloseDate', m.currencyField, m.pricebookField, m.regionField, m.countryField];
  const lineFields = ['Id', 'PricebookEntryId', 'Product2Id', m.familyField, m.productCodeField, 'Quantity', 'UnitPrice'];
  const check = (fields: readonly (string | null)[]): string[] =>
    fields
      .filter((f): f is string => f !== null)
      .map((f) => {
        if (!FIELD_PATH.test(f))
          throw new PricingError('INVALID_INPUT', `not a field path: ${JSON.stringify(f)}`);
        return f;
      });
  if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(m.lineItemsRelationship)) {
    throw new PricingError(
      'INVALID_INPUT',
      `not a relationship name: ${JSON.stringify(m.lineItemsRelationship)}`,
    );
  }
  return {
    fields: check(opportunityFields),
    lineItems: { relationship: m.lineItemsRelationship, fields: check(lineFields) },
  };
}

/**
 * Reads an Opportunity query row into an {@link OpportunityInput}. Accepts both shapes a
 * worker sees:
 * - REST / jsforce JSON: `{ Id, CloseDate, Account: { BillingCountry }, OpportunityLineItems: { records: [...] } }`;
 * - `@heroku/applink` DataApi records: `{ type, fields: {...}, subQueryResults: { OpportunityLineItems: { records: [{ fields }] } } }`.
 *
 * Field names match case-insensitively. Values are passed through without checks; pricing
 * validates them and reports bad ones as {@link PricingError}s naming the opportunity and line.
 * AppLink drops falsy field values from its records, so on AppLink rows a missing UnitPrice is
 * read as 0 (UnitPrice is a required field on OpportunityLineItem, so absent means zero).
 */
export function opportunityFromRecord(
  record: unknown,
  mapping: SalesforceFieldMapping = {},
): OpportunityInput {
  if (typeof record !== 'object' || record === null) {
    throw new PricingError(
      'INVALID_INPUT',
      `query row must be an object, got ${record === null ? 'null' : typeof record}`,
    );
  }
  const m = { ...DEFAULT_MAPPING, ...mapping };
  const optional = (path: string | null): string | null | undefined =>
    path === null ? undefined : (readPath(record, path) as string | null | undefined);
  const currency = optional(m.currencyField);
  const pricebook = optional(m.pricebookField);

  const lines = childRecords(record, m.lineItemsRelationship).map((row): OpportunityLineInput => {
    const appLink = isAppLinkRecord(row);
    const unitPrice = readPath(row, 'UnitPrice');
    return {
      id: readPath(row, 'Id') as string | undefined,
      pricebookEntryId: readPath(row, 'PricebookEntryId') as string,
      product2Id: readPath(row, 'Product2Id') as string | undefined,
      productFamily:
        m.familyField === null ? undefined : (readPath(row, m.familyField) as string | undefined),
      productCode:
        m.productCodeField === null ? undefined : (readPath(row, m.productCodeField) as string | undefined),
      quantity: readPath(row, 'Quantity') as number,
      unitPrice: (unitPrice === undefined && appLink ? 0 : unitPrice) as number,
    };
  });

  return {
    id: readPath(record, 'Id') as string,
    closeDate: readPath(record, 'CloseDate') as string,
    currencyIsoCode:
      currency === null || currency === undefined || currency === '' ? m.defaultCurrencyIsoCode : currency,
    pricebook2Id:
      pricebook === null || pricebook === undefined || pricebook === '' ? m.defaultPricebook2Id : pricebook,
    accountRegion: optional(m.regionField),
    accountCountry: optional(m.countryField),
    lines,
  };
}

interface AppLinkRecord {
  readonly fields: Record<string, unknown>;
  readonly subQueryResults?: Record<string, unknown>;
}

function isAppLinkRecord(value: unknown): value is AppLinkRecord {
  return (
    typeof value === 'object' &&
    value !== null &&
    'fields' in value &&
    typeof value.fields === 'object' &&
    value.fields !== null
  );
}

/** Value at a dotted path, descending through AppLink `fields` wrappers, keys matched ignoring case. */
function readPath(record: unknown, path: string): unknown {
  let node: unknown = record;
  for (const segment of path.split('.')) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = getIgnoringCase(isAppLinkRecord(node) ? node.fields : (node as Record<string, unknown>), segment);
  }
  return node;
}

function getIgnoringCase(container: Record<string, unknown>, key: string): unknown {
  if (Object.hasOwn(container, key)) return container[key];
  const lower = key.toLowerCase();
  for (const candidate of Object.keys(container)) {
    if (candidate.toLowerCase() === lower) return container[candidate];
  }
  return undefined;
}

function childRecords(record: object, relationship: string): unknown[] {
  const result = isAppLinkRecord(record)
    ? record.subQueryResults === undefined
      ? undefined
      : getIgnoringCase(record.subQueryResults, relationship)
    : readPath(record, relationship);
  if (typeof result !== 'object' || result === null) return [];
  const records = getIgnoringCase(result as Record<string, unknown>, 'records');
  return Array.isArray(records) ? records : [];
}
