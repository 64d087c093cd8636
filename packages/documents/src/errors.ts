/**
 * The one error catalogue of the package: every error has a stable `code`, a message that says
 * what and where, and a class callers can test with `instanceof` (or {@link isDocumentError}
 * on serialised data, where only `code` survives).
 */

/** Codes of every error this package throws. */
export const DOCUMENT_ERROR_CODES = Object.freeze({
  /** The document data is malformed (a missing name, line labels that do not match the lines...). */
  INVALID_INPUT: 'DOCUMENT_INVALID_INPUT',
  /** The template name is not one of {@link TEMPLATE_NAMES}. */
  UNKNOWN_TEMPLATE: 'DOCUMENT_UNKNOWN_TEMPLATE',
  /** The renderer's queue is at its bound and the caller asked not to wait. */
  QUEUE_FULL: 'DOCUMENT_QUEUE_FULL',
  /** `render()` was called after (or was waiting when) `close()` started. */
  POOL_CLOSED: 'DOCUMENT_POOL_CLOSED',
  /** The caller's `AbortSignal` fired before the document was rendered. */
  ABORTED: 'DOCUMENT_ABORTED',
  /** The PDF library failed on valid input: a bug or a resource problem, not bad data. */
  RENDER_FAILED: 'DOCUMENT_RENDER_FAILED',
} as const);

/** One of {@link DOCUMENT_ERROR_CODES}. */
export type DocumentErrorCode = (typeof DOCUMENT_ERROR_CODES)[keyof typeof DOCUMENT_ERROR_CODES];

/** Base class: every error of this package is a `DocumentError` with a {@link DocumentErrorCode}. */
export class DocumentError extends Error {
  /** Stable machine-readable code. */
  readonly code: DocumentErrorCode;

  constructor(code: DocumentErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'DocumentError';
    this.code = code;
  }
}

/** The document data is unusable; `path` names the offending field (`quote.lines[2]`). */
export class DocumentInputError extends DocumentError {
  /** Dotted path of the field that is wrong, from the document input's root. */
  readonly path: string;

  constructor(path: string, problem: string) {
    super(DOCUMENT_ERROR_CODES.INVALID_INPUT, `${path}: ${problem}`);
    this.name = 'DocumentInputError';
    this.path = path;
  }
}

/** The template asked for does not exist. */
export class UnknownTemplateError extends DocumentError {
  constructor(template: unknown) {
    super(
      DOCUMENT_ERROR_CODES.UNKNOWN_TEMPLATE,
      `unknown template ${JSON.stringify(template)}; expected "quote" or "order-confirmation"`,
    );
    this.name = 'UnknownTemplateError';
  }
}

/**
 * The renderer already holds as many documents as it may (running + queued) and the call was made
 * with `whenFull: 'reject'`. Back off and retry, or submit with `whenFull: 'wait'`.
 */
export class QueueFullError extends DocumentError {
  /** Documents running plus queued when the call was refused. */
  readonly pending: number;

  constructor(pending: number) {
    super(
      DOCUMENT_ERROR_CODES.QUEUE_FULL,
      `the document renderer is full (${pending} documents running or queued)`,
    );
    this.name = 'QueueFullError';
    this.pending = pending;
  }
}

/** The renderer is closing or closed. */
export class PoolClosedError extends DocumentError {
  constructor() {
    super(DOCUMENT_ERROR_CODES.POOL_CLOSED, 'the document renderer is closed');
    this.name = 'PoolClosedError';
  }
}

/** The caller's signal aborted the render before it started. */
export class RenderAbortedError extends DocumentError {
  constructor(options?: ErrorOptions) {
    super(DOCUMENT_ERROR_CODES.ABORTED, 'the document render was aborted', options);
    this.name = 'RenderAbortedError';
  }
}

/** The PDF library threw on input that passed validation. */
export class RenderFailedError extends DocumentError {
  constructor(message: string, options?: ErrorOptions) {
    super(DOCUMENT_ERROR_CODES.RENDER_FAILED, `rendering failed: ${message}`, options);
    this.name = 'RenderFailedError';
  }
}

/**
 * True for an error of this package, or for a plain object carrying one of its codes: what is left
 * of one after JSON serialisation (a failed job's stored reason).
 */
export function isDocumentError(error: unknown): error is DocumentError {
  if (error instanceof DocumentError) return true;
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (Object.values(DOCUMENT_ERROR_CODES) as string[]).includes(code);
}
