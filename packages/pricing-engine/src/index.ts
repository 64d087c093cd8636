/**
 * @ecars/pricing-engine: exact, deterministic pricing of Salesforce Opportunities into Quotes.
 * Pure TypeScript, no I/O. See README.md for the rules, the rounding mode and examples.
 */
export {
  PRICING_ERROR_CODES,
  PricingError,
  isPricingError,
  type PricingErrorCode,
  type PricingErrorContext,
  type RuleSetIssue,
} from './errors.js';
export {
  BPS_SCALE,
  CURRENCY_DECIMALS,
  MAX_LINE_PRODUCT,
  MAX_SAFE_MINOR,
  MAX_UNIT_PRICE_MINOR,
  QUANTITY_SCALE,
  bpsToPercent,
  discountedUnitMinor,
  divRoundHalfEven,
  effectiveDiscountBps,
  formatMinor,
  lineAmountMinor,
  minorToNumber,
  toScaledInteger,
  type CurrencyDecimals,
} from './money.js';
export {
  MAX_EPOCH_DAY,
  MIN_EPOCH_DAY,
  addDays,
  daysInMonth,
  epochDayFromCivil,
  formatEpochDay,
  isLeapYear,
  parseEpochDay,
} from './dates.js';
export { DEFAULT_COUNTRY_REGIONS, normalizeCountryKey } from './country-regions.js';
export {
  DEFAULT_RULE_SET,
  DEFAULT_RULE_SET_DEFINITION,
  RULE_FLAG_CAP,
  RULE_FLAG_FAMILY,
  RULE_FLAG_TIER,
  loadRuleSet,
  resolveRegion,
  type QuantityTierDefinition,
  type RegionSource,
  type ResolvedRegion,
  type RuleSet,
  type RuleSetDefinition,
} from './rules.js';
export {
  CAR_CATALOG,
  CATALOG_GROUPS,
  catalogOptions,
  catalogProblems,
  findCatalogOption,
  priceConfiguration,
  type CarCatalog,
  type CarSelection,
  type CatalogGroup,
  type CatalogOption,
  type ColorOption,
  type PricedConfiguration,
  type PricedOption,
  type RangeOption,
} from './catalog.js';
export {
  validateOpportunity,
  type OpportunityInput,
  type OpportunityLineInput,
  type ValidatedLine,
  type ValidatedOpportunity,
} from './input.js';
export { priceMany, priceQuote, type PriceResult, type PricedLine, type PricedQuote } from './price-quote.js';
export {
  batchResult,
  batchResults,
  buildPricingBatch,
  createBatchOutput,
  priceBatch,
  type PricingBatch,
  type PricingBatchOutput,
} from './columnar.js';
export {
  describeQuote,
  opportunityFromRecord,
  opportunityReadFields,
  isSalesforceId,
  toSalesforceRecords,
  type OpportunityReadFields,
  type QuoteStatus,
  type SalesforceFieldMapping,
  type SalesforceMappingOptions,
  type SalesforceQuoteFields,
  type SalesforceQuoteLineItemFields,
  type SalesforceQuoteRecords,
  type UnitPriceMode,
} from './salesforce.js';
