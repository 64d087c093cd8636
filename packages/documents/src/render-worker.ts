/**
 * The code each pool thread runs: render one document and hand the bytes back by transfer (no
 * copy). Errors are returned as data, not thrown: a thrown error crosses the thread boundary as a
 * plain `Error` and loses its class and `code`, so the submitting side rebuilds the typed error.
 */
import { Piscina } from 'piscina';
import type { DocumentInput } from './document-input.js';
import {
  DOCUMENT_ERROR_CODES,
  DocumentInputError,
  isDocumentError,
  type DocumentErrorCode,
} from './errors.js';
import { renderDocument } from './render.js';
import type { Theme } from './theme.js';

/** A failed render, as data. */
export interface WorkerFailure {
  readonly code: DocumentErrorCode;
  readonly message: string;
  /** The bad field, for {@link DOCUMENT_ERROR_CODES.INVALID_INPUT}. */
  readonly path?: string;
}

/** What a worker answers: the PDF's bytes (moved, not copied), or why not. */
export type WorkerResult = Uint8Array | WorkerFailure;

/** Data every worker is started with. */
export interface WorkerData {
  readonly theme: Theme;
}

const { theme } = Piscina.workerData as WorkerData;

/** Renders `input`; never throws. */
export default async function renderInWorker(input: DocumentInput): Promise<WorkerResult> {
  try {
    const bytes = await renderDocument(input, theme);
    // move() marks the buffer for transfer; the caller receives the Uint8Array itself.
    return Piscina.move(bytes) as Uint8Array;
  } catch (error) {
    if (error instanceof DocumentInputError)
      return { code: error.code, message: error.message, path: error.path };
    if (isDocumentError(error)) return { code: error.code, message: error.message };
    return {
      code: DOCUMENT_ERROR_CODES.RENDER_FAILED,
      message: error instanceof Error ? error.message : String(error),
    };
  }
}
