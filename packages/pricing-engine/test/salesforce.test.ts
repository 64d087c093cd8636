import { describe, expect, it } from 'vitest';
import {
  PricingError,
  loadRuleSet,
  opportunityFromRecord,
  opportunityReadFields,
  isSalesforceId,
  priceQuote,
  toSalesforceRecords,
  type OpportunityInput,
} from '../src/index.js';

const opportunity: OpportunityInput = {
  id: '006000000000001AAA',
  closeDate: '2024-01-31',
  currencyIsoCode: 'USD',
  pricebook2Id: '01s000000000001AAA',
  accountRegion: 'EMEA',
  lines: [
    { id: '00k1', pricebookEntryId: '01u1', product2Id: '01t1', quantity: 3, unitPrice: 19.99 },
    { id: '00k2', pricebookEntryId: '01u2', quantity: 2.5, unitPrice: 0.3 },
  ],
};

describe('toSalesforceRecords', () => {
  it('maps a quote to Quote and QuoteLineItem fields with net unit prices (the seed’s shape)', () => {
    const records = toSalesforceRecords(priceQuote(opportunity), {
      quoteId: '@{refQuote_1}',
      description: false,
    });
    expect(records).toEqual({
      Quote: {
        Name: 'New Quote',
        OpportunityId: '006000000000001AAA',
        Pricebook2Id: '01s000000000001AAA',
        ExpirationDate: '2024-03-01',
        Status: 'Draft',
      },
      lines: [
        {
          QuoteId: '@{refQuote_1}',
          PricebookEntryId: '01u1',
          Product2Id: '01t1',
          Quantity: 3,
          UnitPrice: 16.99,
        },
        { QuoteId: '@{refQuote_1}', PricebookEntryId: '01u2', Quantity: 2.5, UnitPrice: 0.26 }, // 0.255 -> 0.26
      ],
    });
    expect(JSON.stringify(records.lines.map((l) => l.UnitPrice))).toBe('[16.99,0.26]');
  });

  it('can put the list price and the discount percent on the line instead', () => {
    const records = toSalesforceRecords(priceQuote(opportunity), { unitPriceMode: 'list-with-discount' });
    expect(records.lines).toEqual([
      { PricebookEntryId: '01u1', Product2Id: '01t1', Quantity: 3, UnitPrice: 19.99, Discount: 15 },
      { PricebookEntryId: '01u2', Quantity: 2.5, UnitPrice: 0.3, Discount: 15 },
    ]);
    expect(records.lines[0]?.QuoteId).toBeUndefined();
  });

  it('marks quotes above the approval threshold as Needs Review and explains why', () => {
    const strict = loadRuleSet({
      regionDiscountsBps: { EMEA: 1500 },
      defaultRegionDiscountBps: 0,
      maxDiscountBps: 5000,
      approvalThresholdBps: 1000,
    });
    const records = toSalesforceRecords(priceQuote(opportunity, strict));
    expect(records.Quote.Status).toBe('Needs Review');
    expect(records.Quote.Description).toBe(
      'Priced by @ecars/pricing-engine with rule set custom, region EMEA. Subtotal 60.72 USD, discount 9.10 USD (14.99%), total 51.62 USD. Discount is above the approval threshold: needs review.',
    );
  });

  it('describes country fallbacks and default regions', () => {
    const viaCountry = toSalesforceRecords(
      priceQuote({ ...opportunity, accountRegion: null, accountCountry: 'Japan' }),
    );
    expect(viaCountry.Quote.Description).toContain('region APAC (from account country)');
    expect(viaCountry.Quote.Status).toBe('Draft');
    const fallback = toSalesforceRecords(priceQuote({ ...opportunity, accountRegion: null }));
    expect(fallback.Quote.Description).toContain('default region discount');
  });

  it('emits 0- and 3-decimal currencies exactly and omits a missing price book', () => {
    const jpy = toSalesforceRecords(
      priceQuote({
        ...opportunity,
        currencyIsoCode: 'JPY',
        pricebook2Id: null,
        lines: [{ pricebookEntryId: '01u', quantity: 1, unitPrice: 1999 }],
      }),
      { quoteName: 'x'.repeat(100) },
    );
    expect(jpy.lines[0]?.UnitPrice).toBe(1699);
    expect(jpy.Quote).not.toHaveProperty('Pricebook2Id');
    expect(jpy.Quote.Name).toHaveLength(80);
    const kwd = toSalesforceRecords(
      priceQuote({
        ...opportunity,
        currencyIsoCode: 'KWD',
        lines: [{ pricebookEntryId: '01u', quantity: 1, unitPrice: 12.345 }],
      }),
    );
    expect(kwd.lines[0]?.UnitPrice).toBe(10.493);
    expect(kwd.Quote.Description).toContain(
      'Subtotal 12.345 KWD, discount 1.852 KWD (15.00%), total 10.493 KWD.',
    );
  });
});

/** A stand-in for @heroku/applink's case-insensitive field maps (keys stored lower-case). */
function caseInsensitive(map: Record<string, unknown>): Record<string, unknown> {
  const target: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(map)) target[key.toLowerCase()] = value;
  return new Proxy(target, { get: (obj, prop) => obj[prop.toString().toLowerCase()] });
}

function appLinkRecord(
  type: string,
  fields: Record<string, unknown>,
  subQueryResults: Record<string, unknown> = {},
) {
  return { type, fields: caseInsensitive(fields), subQueryResults: caseInsensitive(subQueryResults) };
}

describe('opportunityFromRecord', () => {
  it('reads REST / jsforce query rows', () => {
    const row = {
      attributes: { type: 'Opportunity' },
      Id: '006A',
      CloseDate: '2024-01-31',
      CurrencyIsoCode: 'EUR',
      Pricebook2Id: '01sA',
      Billing_Region__c: null,
      Account: { attributes: { type: 'Account' }, BillingCountry: 'Germany' },
      OpportunityLineItems: {
        totalSize: 1,
        done: true,
        records: [
          {
            attributes: { type: 'OpportunityLineItem' },
            Id: '00kA',
            PricebookEntryId: '01uA',
            Product2Id: '01tA',
            Product2: { Family: 'Options', ProductCode: 'EC-OPT' },
            Quantity: 2,
            UnitPrice: 100,
          },
        ],
      },
    };
    const input = opportunityFromRecord(row);
    expect(input).toEqual({
      id: '006A',
      closeDate: '2024-01-31',
      currencyIsoCode: 'EUR',
      pricebook2Id: '01sA',
      accountRegion: null,
      accountCountry: 'Germany',
      lines: [
        {
          id: '00kA',
          pricebookEntryId: '01uA',
          product2Id: '01tA',
          productFamily: 'Options',
          productCode: 'EC-OPT',
          quantity: 2,
          unitPrice: 100,
        },
      ],
    });
    expect(priceQuote(input).lines[0]?.unitPriceMinor).toBe(8500); // Germany -> EMEA
  });

  it('reads @heroku/applink records, case-insensitively, with dropped falsy fields', () => {
    const record = appLinkRecord(
      'Opportunity',
      {
        Id: '006B',
        CloseDate: '2024-02-29',
        Billing_Region__c: 'APAC',
        Account: appLinkRecord('Account', { BillingCountry: 'US' }),
      },
      {
        OpportunityLineItems: {
          done: true,
          totalSize: 2,
          records: [
            appLinkRecord('OpportunityLineItem', {
              Id: '00kB',
              PricebookEntryId: '01uB',
              Quantity: 1,
              UnitPrice: 50,
            }),
            // AppLink drops falsy values: this line's UnitPrice was 0
            appLinkRecord('OpportunityLineItem', { Id: '00kC', PricebookEntryId: '01uC', Quantity: 3 }),
          ],
        },
      },
    );
    const input = opportunityFromRecord(record, {
      defaultPricebook2Id: '01sSTD',
      defaultCurrencyIsoCode: 'USD',
    });
    expect(input).toMatchObject({
      id: '006B',
      closeDate: '2024-02-29',
      currencyIsoCode: 'USD',
      pricebook2Id: '01sSTD',
      accountRegion: 'APAC',
      accountCountry: 'US',
    });
    expect(input.lines.map((l) => [l.id, l.unitPrice, l.quantity])).toEqual([
      ['00kB', 50, 1],
      ['00kC', 0, 3],
    ]);
    const quote = priceQuote(input);
    expect(quote.expirationDate).toBe('2024-03-30');
    expect(quote.totalMinor).toBe(4600);
  });

  it('leaves validation to pricing, which names the bad row', () => {
    const input = opportunityFromRecord({
      Id: '006C',
      CloseDate: '2024-01-31',
      OpportunityLineItems: { records: [{ Id: '00kD', PricebookEntryId: '01uD', Quantity: 1 }] },
    });
    expect(() => priceQuote(input)).toThrow(
      'INVALID_PRICE: opportunity 006C, line 0 (00kD): unit price must be a finite number, got undefined',
    );
    expect(
      opportunityFromRecord({ Id: '006E', CloseDate: '2024-01-31', OpportunityLineItems: null }).lines,
    ).toEqual([]);
    expect(() => opportunityFromRecord(null)).toThrow(PricingError);
  });

  it('follows a custom field mapping', () => {
    const input = opportunityFromRecord(
      {
        Id: '006F',
        CloseDate: '2024-01-31',
        Account: { Sales_Region__c: 'EMEA', BillingCountry: 'Japan' },
        Items__r: { records: [] },
      },
      {
        regionField: 'Account.Sales_Region__c',
        countryField: null,
        currencyField: null,
        lineItemsRelationship: 'Items__r',
        defaultCurrencyIsoCode: 'GBP',
      },
    );
    expect(input).toMatchObject({ accountRegion: 'EMEA', accountCountry: undefined, currencyIsoCode: 'GBP' });
  });
});

describe('opportunityReadFields', () => {
  it('names what opportunityFromRecord reads, and writes no query', () => {
    expect(opportunityReadFields()).toEqual({
      fields: ['Id', 'CloseDate', 'CurrencyIsoCode', 'Pricebook2Id', 'Billing_Region__c', 'Account.BillingCountry'],
      lineItems: {
        relationship: 'OpportunityLineItems',
        fields: ['Id', 'PricebookEntryId', 'Product2Id', 'Product2.Family', 'Product2.ProductCode', 'Quantity', 'UnitPrice'],
      },
    });
    expect(opportunityReadFields({ currencyField: null, familyField: null, productCodeField: null })).toEqual({
      fields: ['Id', 'CloseDate', 'Pricebook2Id', 'Billing_Region__c', 'Account.BillingCountry'],
      lineItems: { relationship: 'OpportunityLineItems', fields: ['Id', 'PricebookEntryId', 'Product2Id', 'Quantity', 'UnitPrice'] },
    });
    expect([isSalesforceId('006000000000001'), isSalesforceId('006000000000001AAA'), isSalesforceId("006' OR '1'='1")]).toEqual([true, true, false]);
  });

  it('refuses a mapping that is not field paths', () => {
    expect(() => opportunityReadFields({ familyField: 'Family) FROM Product2 --' })).toThrow(/not a field path/);
    expect(() => opportunityReadFields({ regionField: 'Region__c FROM User --' })).toThrow(/not a field path/);
    expect(() => opportunityReadFields({ lineItemsRelationship: 'x) FROM y' })).toThrow(/not a relationship/);
    expect(() => opportunityReadFields({ lineItemsRelationship: 'Account.Items' })).toThrow(/not a relationship/);
  });
});
