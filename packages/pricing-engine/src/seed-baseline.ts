/**
 * The seed's pricing logic (Heroku AppLink "Scaling Batch Jobs" sample, server/services/quote.js),
 * ported verbatim: the golden tests compare against it and the benchmarks use it as their baseline.
 * Exported as `@ecars/pricing-engine/seed-baseline`, never from the main entry: it is not for pricing.
 */
export function seedDiscountForRegion(region: string | null | undefined): number {
  switch (region) {
    case 'NAMER':
      return 0.1;
    case 'EMEA':
      return 0.15;
    case 'APAC':
      return 0.08;
    default:
      return 0.05;
  }
}

/** The seed's QuoteLineItem.UnitPrice: float math, no rounding. */
export function seedUnitPrice(unitPrice: number, region: string | null | undefined): number {
  return unitPrice * (1 - seedDiscountForRegion(region));
}

/** The seed's Quote.ExpirationDate: UTC parse, local-time setDate (time-zone dependent). */
export function seedExpirationDate(closeDate: string): string {
  const expirationDate = new Date(closeDate);
  expirationDate.setDate(expirationDate.getDate() + 30);
  return expirationDate.toISOString().split('T')[0] as string;
}
