/** The sample documents behind the committed reference images and the README picture. */
import type { DocumentInput } from '../../src/index.js';
import { orderConfirmationInput, quoteInput } from '../fixtures/quotes.js';

/** Resolution of the reference images: enough to see a shifted column, small to commit. */
export const REFERENCE_DPI = 50;

/** name → input; each has a reference image `test/fixtures/reference/<name>-page1.png`. */
export const SAMPLES = {
  quote: quoteInput({ lines: 6, currency: 'EUR', seed: 1 }),
  'order-confirmation': orderConfirmationInput(),
} as const satisfies Readonly<Record<string, DocumentInput>>;

/** Where a sample's reference image is. */
export function referencePath(name: string): URL {
  return new URL(`../fixtures/reference/${name}-page1.png`, import.meta.url);
}
