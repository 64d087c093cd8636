/**
 * Ingest validation, done once at the broker: size → JSON → version → compiled schema → VIN of the
 * connection. A pure function of the bytes (no I/O), so it is fuzzed directly.
 */
import { Ajv } from 'ajv';
import { TELEMETRY_VERSION, telemetryV1Schema, type TelemetryV1 } from './schema-v1.js';

/** Why a message was refused; each reason is counted separately by the broker's metrics. */
export const INVALID_REASONS = ['too_large', 'not_json', 'not_object', 'unsupported_version', 'schema', 'vin_mismatch'] as const;
export type InvalidReason = (typeof INVALID_REASONS)[number];

/** Default largest payload, bytes (the broker's `MAX_PAYLOAD_BYTES`). */
export const DEFAULT_MAX_PAYLOAD_BYTES = 16 * 1024;

export type ParseResult = { ok: true; value: TelemetryV1 } | { ok: false; reason: InvalidReason; detail: string };

/** Options of {@link parseTelemetry}. */
export interface ParseOptions {
  /** The VIN the connection authenticated as; the payload's `vin` must equal it. Not checked when unset. */
  expectedVin?: string;
  /** Largest accepted payload in bytes, checked before parsing. @defaultValue 16384 */
  maxBytes?: number;
}

// Compiled once at module load: ajv generates one function, which allocates nothing for a valid
// message. allErrors is off so a refusal stops at the first error.
const ajv = new Ajv({ allErrors: false, strict: true, allowUnionTypes: false });
const validateV1 = ajv.compile<TelemetryV1>(telemetryV1Schema);

const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * Validates one raw MQTT payload. Never throws: every byte sequence yields a result.
 */
export function parseTelemetry(payload: Uint8Array | string, options: ParseOptions = {}): ParseResult {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_PAYLOAD_BYTES;
  const size = typeof payload === 'string' ? Buffer.byteLength(payload) : payload.byteLength;
  if (size > maxBytes) return { ok: false, reason: 'too_large', detail: `${size} bytes > ${maxBytes}` };
  let parsed: unknown;
  try {
    // JSON.parse throws RangeError on pathological nesting too; both are "not JSON" to us.
    parsed = JSON.parse(typeof payload === 'string' ? payload : decoder.decode(payload));
  } catch (err) {
    return { ok: false, reason: 'not_json', detail: err instanceof Error ? err.message.slice(0, 200) : 'unparseable' };
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    return { ok: false, reason: 'not_object', detail: Array.isArray(parsed) ? 'array' : parsed === null ? 'null' : typeof parsed };
  }
  const version = (parsed as { v?: unknown }).v;
  if (version !== TELEMETRY_VERSION) return { ok: false, reason: 'unsupported_version', detail: `v=${JSON.stringify(version) ?? 'missing'}` };
  if (!validateV1(parsed)) {
    const e = validateV1.errors?.[0];
    return { ok: false, reason: 'schema', detail: e ? `${e.instancePath || '/'} ${e.message ?? 'invalid'}` : 'invalid' };
  }
  if (options.expectedVin !== undefined && parsed.vin !== options.expectedVin) {
    return { ok: false, reason: 'vin_mismatch', detail: `payload ${parsed.vin} on connection ${options.expectedVin}` };
  }
  return { ok: true, value: parsed };
}

/** Serialises a reading (the simulator and fixtures use this; key order is stable). */
export function encodeTelemetry(t: TelemetryV1): Buffer {
  return Buffer.from(JSON.stringify(t));
}
