/**
 * The retained status message of a vehicle (`…/{VIN}/status`), also its will:
 * `{"v":1,"vin":"…","online":false,"ts":<epoch ms>}`. Returns why it is invalid, or null.
 */
export function checkStatus(payload: Buffer, vin: string): string | null {
  if (payload.length > 1024) return 'status above 1024 bytes';
  let s: unknown;
  try {
    s = JSON.parse(payload.toString('utf8'));
  } catch {
    return 'status is not JSON';
  }
  if (s === null || typeof s !== 'object' || Array.isArray(s)) return 'status is not an object';
  const o = s as Record<string, unknown>;
  if (o.v !== 1) return 'status v must be 1';
  if (o.vin !== vin) return 'status vin differs from the connection';
  if (typeof o.online !== 'boolean') return 'status online must be a boolean';
  if (typeof o.ts !== 'number' || !Number.isInteger(o.ts)) return 'status ts must be epoch milliseconds';
  return null;
}
