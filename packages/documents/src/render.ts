/**
 * Rendering on the calling thread: validate, pick the template, draw. The worker pool runs
 * exactly this in its threads; call it directly only where blocking the thread for a few
 * milliseconds per document is fine (a CLI, a test).
 */
import type { DocumentInput } from './document-input.js';
import { renderOrderConfirmation } from './order-confirmation-template.js';
import { renderQuote } from './quote-template.js';
import { DEFAULT_THEME, type Theme } from './theme.js';
import { validateDocumentInput } from './validate.js';

/**
 * Renders one document to PDF bytes.
 *
 * @param input - A quote or an order confirmation; validated first.
 * @param theme - Branding. @defaultValue {@link DEFAULT_THEME}
 * @throws {@link DocumentInputError} or {@link UnknownTemplateError} for bad input.
 */
export async function renderDocument(
  input: DocumentInput,
  theme: Theme = DEFAULT_THEME,
): Promise<Uint8Array> {
  const valid = validateDocumentInput(input);
  return valid.template === 'quote' ? renderQuote(valid, theme) : renderOrderConfirmation(valid, theme);
}
