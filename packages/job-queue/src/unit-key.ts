/**
 * The key of one opportunity's quote in one batch, `<batchKey>:<opportunityId>`: the Unit of
 * Work's unit key and the value of `Quote.Batch_Key__c` (unique, 80 characters). Built and read
 * only here, so the format has one definition.
 */

/** Longest `Quote.Batch_Key__c` (force-app: Text(80)). */
export const UNIT_KEY_MAX_LENGTH = 80;
const OPPORTUNITY_ID = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;

/** The unit key of `opportunityId` in the batch `batchKey` (which holds no `:`). */
export function unitKey(batchKey: string, opportunityId: string): string {
  if (batchKey === '' || batchKey.includes(':')) throw new TypeError(`a batch key is non-empty and has no ':', got ${JSON.stringify(batchKey)}`);
  if (!OPPORTUNITY_ID.test(opportunityId)) throw new TypeError(`not a Salesforce Id: ${JSON.stringify(opportunityId)}`);
  const key = `${batchKey}:${opportunityId}`;
  if (key.length > UNIT_KEY_MAX_LENGTH) throw new TypeError(`unit key ${key} is longer than ${UNIT_KEY_MAX_LENGTH} characters`);
  return key;
}

/** The parts of a key {@link unitKey} made; null for anything else. */
export function parseUnitKey(key: string): { batchKey: string; opportunityId: string } | null {
  const at = key.lastIndexOf(':');
  if (at <= 0) return null;
  const batchKey = key.slice(0, at);
  const opportunityId = key.slice(at + 1);
  if (batchKey.includes(':') || !OPPORTUNITY_ID.test(opportunityId)) return null;
  return { batchKey, opportunityId };
}
