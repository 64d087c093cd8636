/**
 * @ecars/documents: pure PDF rendering, data in, bytes out. Quotes (priced by
 * `@ecars/pricing-engine`) and order confirmations (configured from its catalogue), rendered on a
 * pool of worker threads. See README.md.
 */
export {
  TEMPLATE_NAMES,
  type ContactDetails,
  type DocumentInput,
  type OrderConfirmationInput,
  type PostalAddress,
  type QuoteDocumentInput,
  type QuoteLineLabel,
  type TemplateName,
} from './document-input.js';
export {
  DOCUMENT_ERROR_CODES,
  DocumentError,
  DocumentInputError,
  PoolClosedError,
  QueueFullError,
  RenderAbortedError,
  RenderFailedError,
  UnknownTemplateError,
  isDocumentError,
  type DocumentErrorCode,
} from './errors.js';
export {
  carImageSize,
  carImageSvg,
  carShapes,
  drawCarImage,
  type CarImageSpec,
  type CarShape,
} from './car-image.js';
export { formatDate, formatMoney, formatPercent, formatQuantity } from './format.js';
export { carImageSpecOf, orderConfirmationFileName } from './order-confirmation-template.js';
export { PAGE_SIZE } from './pdf-canvas.js';
export { quoteFileName } from './quote-template.js';
export {
  DocumentRenderer,
  type DocumentRendererOptions,
  type RenderOptions,
  type WhenFull,
} from './document-renderer.js';
export { renderDocument } from './render.js';
export { DEFAULT_THEME, type HexColor, type Theme } from './theme.js';
export { validateDocumentInput } from './validate.js';
