/** The event log's error catalogue: every error it throws carries one of these codes. */
export const EventLogErrorCode = {
  /** `append` or `consume` after `close()`. */
  CLOSED: 'EVENT_LOG_CLOSED',
  /** Options that cannot work (bad URL, non-positive sizes, missing certificate pair). */
  INVALID_OPTIONS: 'EVENT_LOG_INVALID_OPTIONS',
  /** The backend refused or failed an operation (Redis or Kafka error, wrapped as `cause`). */
  BACKEND: 'EVENT_LOG_BACKEND',
  /**
   * A stored record the codec cannot decode (a foreign producer, a codec change). It is given to
   * `onError` and acknowledged: left in place it would block its partition forever.
   */
  UNDECODABLE: 'EVENT_LOG_UNDECODABLE',
} as const;
export type EventLogErrorCode = (typeof EventLogErrorCode)[keyof typeof EventLogErrorCode];

/** Default messages, one per code. */
export const eventLogErrorMessages: Record<EventLogErrorCode, string> = {
  EVENT_LOG_CLOSED: 'The event log is closed',
  EVENT_LOG_INVALID_OPTIONS: 'Invalid event log options',
  EVENT_LOG_BACKEND: 'The event log backend failed',
  EVENT_LOG_UNDECODABLE: 'A record could not be decoded and was skipped',
};

/** An error of the event log, with a {@link EventLogErrorCode}. */
export class EventLogError extends Error {
  override readonly name = 'EventLogError';
  constructor(
    readonly code: EventLogErrorCode,
    detail?: string,
    options?: ErrorOptions,
  ) {
    super(detail ? `${eventLogErrorMessages[code]}: ${detail}` : eventLogErrorMessages[code], options);
  }
}
