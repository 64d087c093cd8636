/**
 * Salesforce record ids: 15 case-sensitive characters (3-character key prefix, 2-character pod,
 * 1 reserved, 9-character base-62 serial) and the 18-character case-insensitive form whose last 3
 * characters encode which of the first 15 are upper-case.
 */
import { SalesforceError } from './errors.js';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const SUFFIX = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';
const ID15 = /^[a-zA-Z0-9]{15}$/;
const ID18 = /^[a-zA-Z0-9]{18}$/;

/** The 3-character case-safety suffix of a 15-character id. */
export function checksum(id15: string): string {
  let out = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    let bits = 0;
    for (let i = 0; i < 5; i++) {
      const c = id15.charCodeAt(chunk * 5 + i);
      if (c >= 65 && c <= 90) bits |= 1 << i;
    }
    out += SUFFIX[bits];
  }
  return out;
}

/** The 18-character form of a 15- or 18-character id (an 18-character id is re-cased from its suffix). */
export function to18(id: string): string {
  if (ID15.test(id)) return id + checksum(id);
  if (ID18.test(id)) return normalize18(id);
  throw new SalesforceError('MALFORMED_ID', `Id value is not a valid Salesforce id: ${id}`, 400);
}

/** True for a syntactically valid 15-character id or an 18-character id whose suffix matches. */
export function isValidId(id: unknown): id is string {
  if (typeof id !== 'string') return false;
  if (ID15.test(id)) return true;
  if (!ID18.test(id)) return false;
  try {
    normalize18(id);
    return true;
  } catch {
    return false;
  }
}

/**
 * Restores the case of the first 15 characters from the suffix, so that `001abc…AAA` and
 * `001ABC…AAA` (case-insensitive use of the 18-character form) denote the same record.
 */
function normalize18(id: string): string {
  const suffix = id.slice(15).toUpperCase();
  let head = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    const bits = SUFFIX.indexOf(suffix[chunk] ?? '');
    if (bits < 0) throw new SalesforceError('MALFORMED_ID', `Id value is not a valid Salesforce id: ${id}`, 400);
    for (let i = 0; i < 5; i++) {
      const c = id[chunk * 5 + i] ?? '';
      head += bits & (1 << i) ? c.toUpperCase() : c.toLowerCase();
    }
  }
  return head + suffix;
}

/** The key prefix (first 3 characters) of an id. */
export function keyPrefixOf(id: string): string {
  return id.slice(0, 3);
}

/**
 * Makes the id of record number `serial` of an object: `<prefix><pod>0<serial in base 62, 9 chars>`
 * plus the checksum. `pod` is the org's 2-character instance code.
 */
export function makeId(keyPrefix: string, serial: number, pod = '8d'): string {
  if (!Number.isSafeInteger(serial) || serial < 0) throw new Error(`bad id serial ${serial}`);
  let n = serial;
  let digits = '';
  for (let i = 0; i < 9; i++) {
    digits = BASE62[n % 62] + digits;
    n = Math.floor(n / 62);
  }
  if (n > 0) throw new Error(`id serial ${serial} overflows 9 base-62 digits`);
  const id15 = `${keyPrefix}${pod}0${digits}`;
  return id15 + checksum(id15);
}
