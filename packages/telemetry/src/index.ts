export { PROFILE_NAMES, TELEMETRY_VERSION, VIN_PATTERN, telemetryV1Schema, type ProfileName, type TelemetryV1 } from './schema-v1.js';
export {
  DEFAULT_MAX_PAYLOAD_BYTES,
  INVALID_REASONS,
  encodeTelemetry,
  parseTelemetry,
  type InvalidReason,
  type ParseOptions,
  type ParseResult,
} from './validate.js';
export { TOPIC_ROOT, isVin, parseVehicleTopic, topics, type TopicKind, type VehicleStatus } from './topics.js';
export { PROFILES, type DrivingProfile } from './profiles.js';
export { sampleTelemetry } from './fixtures.js';
