/**
 * Turns Opportunity query rows into Quote units: the pricing engine's columnar path prices the
 * whole chunk in one call, and each priced opportunity becomes one unit (Quote + its lines) for
 * the Unit of Work, keyed by `<batchKey>:<opportunityId>` (job-queue's `unitKey`) so a rerun never writes it twice.
 */
import {
  batchResults,
  buildPricingBatch,
  createBatchOutput,
  DEFAULT_RULE_SET,
  opportunityFromRecord,
  opportunityReadFields,
  priceBatch,
  toSalesforceRecords,
  type RuleSet,
  type SalesforceFieldMapping,
} from '@ecars/pricing-engine';
import { ref, soql, type SoqlQuery, type Unit, type ValidWhereClause } from '@ecars/sf-client';
import { unitKey, type IdRange, type RecordError } from '@ecars/job-queue';

/** Where this project's org keeps what pricing reads (Account.Region__c from force-app). */
export const FIELD_MAPPING: SalesforceFieldMapping = {
  regionField: 'Account.Region__c',
  countryField: 'Account.BillingCountry',
  // Single-currency orgs have no CurrencyIsoCode; the engine's default (USD) applies.
  currencyField: null,
};

/** What pricing reads, per {@link FIELD_MAPPING}. */
const READ = opportunityReadFields(FIELD_MAPPING);

/**
 * A chunk's query for one of its Id ranges: the batch's validated clause within `first`..`last`,
 * with the lines, product family and account region pricing reads. Built by sf-client's builder:
 * fields are checked against the schema and the bounds are typed literals.
 */
export function rangeQuery(where: ValidWhereClause, range: Pick<IdRange, 'first' | 'last'>): SoqlQuery<string> {
  // The engine's field paths are plain strings; the builder checks each against the schema when printed.
  return soql<string>('Opportunity')
    .select(...READ.fields)
    .subquery(READ.lineItems.relationship, [...READ.lineItems.fields])
    .whereClause(where)
    .where('Id', '>=', range.first)
    .where('Id', '<=', range.last)
    .orderBy('Id');
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
export function priceChunk(batchKey: string, rows: readonly unknown[], ruleSet: RuleSet = DEFAULT_RULE_SET): PricedChunk {
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
      key: unitKey(batchKey, result.quote.opportunityId),
      records: [
        { ref: 'quote', type: 'Quote', fields: { ...Quote } },
        ...lines.map((line, i) => ({ ref: `line${i}`, type: 'QuoteLineItem', fields: { ...line } })),
      ],
    });
  }
  return { units, priced: units.length, skipped: inputs.length - withLines.length, failures };
}
