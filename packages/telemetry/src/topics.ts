/**
 * The MQTT topic tree, in one place. A vehicle publishes `…/{VIN}/telemetry` and `…/{VIN}/status`
 * (retained; its will says offline) and subscribes to `…/{VIN}/commands`.
 */
import { VIN_PATTERN } from './schema-v1.js';

export const TOPIC_ROOT = 'ecars/vehicles';

const vinRe = new RegExp(VIN_PATTERN);

/** True for a well-formed VIN (17 characters, no I/O/Q). */
export function isVin(s: string): boolean {
  return vinRe.test(s);
}

export const topics = {
  telemetry: (vin: string): string => `${TOPIC_ROOT}/${vin}/telemetry`,
  status: (vin: string): string => `${TOPIC_ROOT}/${vin}/status`,
  commands: (vin: string): string => `${TOPIC_ROOT}/${vin}/commands`,
  /** Every car's telemetry (service users' subscription). */
  allTelemetry: `${TOPIC_ROOT}/+/telemetry`,
  allStatus: `${TOPIC_ROOT}/+/status`,
} as const;

export type TopicKind = 'telemetry' | 'status' | 'commands';

/** Splits `ecars/vehicles/{VIN}/{kind}`; `null` for anything else. */
export function parseVehicleTopic(topic: string): { vin: string; kind: TopicKind } | null {
  const parts = topic.split('/');
  if (parts.length !== 4 || `${parts[0]}/${parts[1]}` !== TOPIC_ROOT) return null;
  const [, , vin, kind] = parts as [string, string, string, string];
  if (kind !== 'telemetry' && kind !== 'status' && kind !== 'commands') return null;
  return { vin, kind };
}

/** Retained status payload: `{"v":1,"vin":…,"online":bool,"ts":epoch ms}`. */
export interface VehicleStatus {
  v: 1;
  vin: string;
  online: boolean;
  ts: number;
}
