/**
 * What a template needs, as plain data: a document input crosses a thread boundary (structured
 * clone) and a queue, so it holds no class instances and no functions.
 */
import type { PricedConfiguration, PricedQuote } from '@ecars/pricing-engine';

/** The templates this package renders. */
export const TEMPLATE_NAMES = ['quote', 'order-confirmation'] as const;

/** One of {@link TEMPLATE_NAMES}. */
export type TemplateName = (typeof TEMPLATE_NAMES)[number];

/** A postal address; every part optional, as on a Salesforce Account or Lead. */
export interface PostalAddress {
  readonly street?: string | null;
  readonly city?: string | null;
  readonly state?: string | null;
  readonly postalCode?: string | null;
  readonly country?: string | null;
}

/** A person to address the document to. */
export interface ContactDetails {
  /** Full name. */
  readonly name: string;
  readonly email?: string | null;
  readonly phone?: string | null;
  readonly company?: string | null;
  readonly address?: PostalAddress | null;
}

/** What the quote's lines are called; priced amounts come from {@link QuoteDocumentInput.pricing}. */
export interface QuoteLineLabel {
  /** Product name (Product2.Name). */
  readonly productName: string;
  /** Product code (Product2.ProductCode), shown under the name when present. */
  readonly productCode?: string | null;
}

/**
 * A Quote: the record's identity and parties, plus the pricing engine's result for it. Amounts are
 * never recomputed here: the document prints `pricing` as the engine computed it.
 */
export interface QuoteDocumentInput {
  readonly template: 'quote';
  /** Quote.QuoteNumber, e.g. `00000123`; also names the file (`Quote-00000123.pdf`). */
  readonly quoteNumber: string;
  /** Quote.Name. */
  readonly name: string;
  /** Issue date, `YYYY-MM-DD` (Quote.CreatedDate's day). Also the PDF's creation date. */
  readonly issueDate: string;
  /** The account quoted. */
  readonly account: {
    readonly name: string;
    readonly billingAddress?: PostalAddress | null;
  };
  /** The contact the quote is prepared for, when there is one. */
  readonly contact?: ContactDetails | null;
  /** Who prepared it (Owner.Name). */
  readonly preparedBy?: string | null;
  /** One label per priced line, in the order of `pricing.lines`. */
  readonly lineLabels: readonly QuoteLineLabel[];
  /** `priceQuote()`'s result for this quote: currency, lines, totals, expiration date. */
  readonly pricing: PricedQuote;
}

/**
 * A Lead's car configuration, confirmed. The options, their names, codes and prices and the total
 * all come from the catalogue in `@ecars/pricing-engine` (`priceConfiguration(selection)`), never
 * from this package; the car image is drawn from the chosen options' image keys and swatches.
 */
export interface OrderConfirmationInput {
  readonly template: 'order-confirmation';
  /** A reference for the confirmation (the configuration's or the Lead's record number). */
  readonly reference: string;
  /** Model name: the catalogue's `model`. */
  readonly modelName: string;
  /** Issue date, `YYYY-MM-DD`. */
  readonly issueDate: string;
  /** The Lead. */
  readonly contact: ContactDetails;
  /** `priceConfiguration()`'s result: the chosen range and colours with the catalogue's prices. */
  readonly configuration: PricedConfiguration;
}

/** Any document this package renders; switch on `template`. */
export type DocumentInput = QuoteDocumentInput | OrderConfirmationInput;
