/**
 * Branding, in one object: every colour, font size, margin and company line the templates use
 * comes from a {@link Theme}. A white-label deployment passes its own theme; nothing else changes.
 */

/** An RGB colour as `#rrggbb`. */
export type HexColor = `#${string}`;

/** Everything that brands a document. */
export interface Theme {
  /** Company name in the header and the footer. */
  readonly companyName: string;
  /** Address and contact lines under the company name (at most 3 are shown). */
  readonly companyLines: readonly string[];
  /** Free text at the bottom of every page (terms, registration number). */
  readonly footerText: string;
  /** Brand colours. */
  readonly colors: {
    /** Header band, table header, totals rule. */
    readonly primary: HexColor;
    /** Text on the primary colour. */
    readonly onPrimary: HexColor;
    /** Accent for the logo mark and highlights. */
    readonly accent: HexColor;
    /** Body text. */
    readonly text: HexColor;
    /** Labels and secondary text. */
    readonly muted: HexColor;
    /** Zebra rows of tables. */
    readonly stripe: HexColor;
    /** Thin rules. */
    readonly rule: HexColor;
  };
  /** Font sizes in points. */
  readonly fontSizes: {
    readonly title: number;
    readonly heading: number;
    readonly body: number;
    readonly small: number;
  };
  /** Page margin in points (A4 is 595 × 842 pt). */
  readonly margin: number;
  /**
   * BCP 47 locale for numbers and dates.
   * @defaultValue `'en-US'`
   */
  readonly locale: string;
}

/** The eCars brand. */
export const DEFAULT_THEME: Theme = Object.freeze({
  companyName: 'eCars',
  companyLines: Object.freeze([
    '1 Electric Avenue, San Francisco, CA 94105',
    'sales@ecars.example · +1 415 555 0100',
  ]),
  footerText: 'Prices are in the currency shown and valid until the expiration date. eCars Inc.',
  colors: Object.freeze({
    primary: '#0b3d5c',
    onPrimary: '#ffffff',
    accent: '#35c48a',
    text: '#1d2430',
    muted: '#5f6b7a',
    stripe: '#f2f5f8',
    rule: '#cfd6de',
  }),
  fontSizes: Object.freeze({ title: 20, heading: 11, body: 9, small: 7.5 }),
  margin: 42,
  locale: 'en-US',
}) as Theme;
