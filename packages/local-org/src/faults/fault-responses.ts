/**
 * The responses of the faults injected before the handler runs, as Salesforce sends them: the REST
 * error array, status and message of each code.
 */
import { SalesforceError } from '../errors.js';
import { isValidId, makeId } from '../ids.js';
import type { FaultKind } from './fault-options.js';

/** The faults answered with an error response (the others destroy the connection). */
export type AnsweredFault = Extract<FaultKind, '503' | 'REQUEST_LIMIT_EXCEEDED' | 'UNABLE_TO_LOCK_ROW'>;

export interface FaultResponse {
  status: number;
  body: Array<{ message: string; errorCode: string; fields?: string[] }>;
}

/**
 * The response of an answered fault. `lockedId` names the record of a lock error: the call's own
 * record (from its path), else the first record id its body refers to (the parent whose lock a
 * child insert waits for), else a placeholder Account id.
 */
export function faultResponse(kind: AnsweredFault, path: string, body: unknown): FaultResponse {
  switch (kind) {
    case '503': {
      // SERVER_UNAVAILABLE with the SOAP API's documented description of the code.
      const err = new SalesforceError(
        'SERVER_UNAVAILABLE',
        'A server that is necessary for this call is currently unavailable. Other types of requests might still work.',
        503,
      );
      return { status: err.status, body: [{ message: err.message, errorCode: err.errorCode }] };
    }
    case 'REQUEST_LIMIT_EXCEEDED': {
      const err = new SalesforceError('REQUEST_LIMIT_EXCEEDED', 'ConcurrentPerOrgLongTxn Limit exceeded.', 403);
      return { status: err.status, body: [{ message: err.message, errorCode: err.errorCode }] };
    }
    case 'UNABLE_TO_LOCK_ROW': {
      const id = lockedId(path, body);
      const err = new SalesforceError(
        'UNABLE_TO_LOCK_ROW',
        `unable to obtain exclusive access to this record or 1 records: ${id}`,
        400,
      );
      return { status: err.status, body: [err.toJSON()] };
    }
  }
}

const ID_WITH_DIGIT = /^(?=.*\d)[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;

function lockedId(path: string, body: unknown): string {
  const fromPath = path.split('/').reverse().find((s) => ID_WITH_DIGIT.test(s) && isValidId(s));
  return fromPath ?? firstIdIn(body, 0) ?? makeId('001', 1);
}

/** Depth-first search of a JSON body for an 18-character id value (bounded depth: bodies are small trees). */
function firstIdIn(value: unknown, depth: number): string | undefined {
  if (typeof value === 'string') return value.length === 18 && ID_WITH_DIGIT.test(value) && isValidId(value) ? value : undefined;
  if (depth > 8 || value === null || typeof value !== 'object') return undefined;
  for (const child of Object.values(value)) {
    const found = firstIdIn(child, depth + 1);
    if (found) return found;
  }
  return undefined;
}
