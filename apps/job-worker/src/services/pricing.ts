/**
 * Turns Opportunity query rows into Quote units: the pricing engine's columnar path prices the
 * whole chunk in one call, and each priced opportunity becomes one unit (Quote + its lines) for
 * the Unit of Work, keyed by `<batchId>:<opportunityId>` so a rerun never writes it twice.
 */
import {
  batchResults,
  buildPricingBatch,
  createBatchOutput,
  DEFAULT_RULE_SET,
  opportunityFromRecord,
  isSalesforceId,
  opportunitySelect,
  priceBatch,
  toSalesforceRecords,
  type RuleSet,
  type SalesforceFieldMapping,
} from '@ecars/pricing-engine';
import { ref, type Unit } from '@ecars/sf-client';
import type { RecordError } from '@ecars/job-queue';

/** Where this project's org keeps what pricing reads (Account.Region__c from force-app). */
export const FIELD_MAPPING: SalesforceFieldMapping = {
  regionField: 'Account.Region__c',
  countryField: 'Account.BillingCountry',
  // Single-currency orgs have no CurrencyIsoCode; the engine's default (USD) applies.
  currencyField: null,
};

/**
 * A chunk's query for one of its Id ranges: the batch's clause (validated and re-composed by
 * `validateWhereClause`) within `first`..`last`, with the lines, product family and account
 * region pricing reads. The bounds are checked to be Ids, so nothing can be injected through them.
 */
export function rangeQuery(normalizedWhereClause: string, range: { first: string; last: string }): string {
  for (const id of [range.first, range.last]) {
    if (!isSalesforceId(id)) throw new TypeError(`not a Salesforce Id: ${JSON.stringify(id)}`);
  }
  return `${opportunitySelect(FIELD_MAPPING)} WHERE (${normalizedWhereClause}) AND Id >= '${range.first}' AND Id <= '${range.last}' ORDER BY Id`;
}

/** The unit key of an opportunity's quote in one batch (also `Quote.Batch_Key__c`). */
export function unitKey(batchId: string, opportunityId: string): string {
  return `${batchId}:${opportunityId}`;
}

/** What pricing a chunk produced. */
export interface PricedChunk {
  units: Unit[];
  /** Opportunities priced into a quote with lines. */
  priced: number;
  /** Opportunities without line items (no quote, as in Salesforce's own behaviour for empty quotes). */
  skipped: number;
  /** Opportunities the engine refused (bad quantity, price, date…), with the reason. */
  failures: RecordError[];
}

/** Prices query rows and builds one unit per opportunity that has lines. */
export function priceChunk(batchId: string, rows: readonly unknown[], ruleSet: RuleSet = DEFAULT_RULE_SET): PricedChunk {
  const inputs = rows.map((r) => opportunityFromRecord(r, FIELD_MAPPING));
  const withLines = inputs.filter((o) => o.lines.length > 0);
  const batch = buildPricingBatch(withLines, ruleSet);
  const out = createBatchOutput(batch);
  priceBatch(batch, out);
  const units: Unit[] = [];
  const failures: RecordError[] = [];
  for (const result of batchResults(batch, out)) {
    if (!result.ok) {
      failures.push({ recordId: result.opportunityId ?? null, errorCode: `PRICING_${result.error.code}`, message: result.error.message });
      continue;
    }
    const { Quote, lines } = toSalesforceRecords(result.quote, { quoteId: ref('quote'), quoteName: 'eCars Quote' });
    units.push({
      key: unitKey(batchId, result.quote.opportunityId),
      records: [
        { ref: 'quote', type: 'Quote', fields: { ...Quote } },
        ...lines.map((line, i) => ({ ref: `line${i}`, type: 'QuoteLineItem', fields: { ...line } })),
      ],
    });
  }
  return { units, priced: units.length, skipped: inputs.length - withLines.length, failures };
}
