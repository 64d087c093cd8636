/**
 * The Streaming API's errors. On the wire they are Bayeux `error` strings `<code>::<message>`
 * with Salesforce's documented wording ("Streaming API Error Codes"); the programmatic API
 * rejects with a `SalesforceError` whose message is that same string.
 */
import { SalesforceError } from '../errors.js';

export const bayeuxErrors = {
  invalidReplayId: (replayId: unknown) =>
    `400::The replayId {${String(replayId)}} you provided was invalid. Please provide a valid ID, -2 to replay all events, or -1 to replay only new events.`,
  unknownChannel: (channel: string) => `400::The channel you requested to subscribe to does not exist {${channel}}`,
  /** A client tried to publish over CometD; the local org takes events through the API only. */
  publishDenied: (channel: string) => `403::Publishing to ${channel} is not allowed`,
  unsupportedVersion: (oldest: string, newest: string) =>
    `400::Unsupported API version. Only API versions '${oldest}' to '${newest}' are supported by the local org. URI format: '/cometd/${newest}'`,
  invalidConnectionType: (type: string) => `400::Invalid connection type ${type}`,
  /** faye's `401:<id>:Unknown client` becomes Salesforce's. */
  unknownClient: () => '403::Unknown client',
  handshakeDenied: () => '403::Handshake denied',
  authenticationInvalid: () => '401::Authentication invalid',
  /** No `Authorization` header at all. */
  authenticationRequired: () => '401::Request requires authentication',
};

/** A streaming error for the programmatic API (`LocalOrg.subscribe`). */
export function streamingError(errorCode: 'INVALID_REPLAY_ID' | 'INVALID_CHANNEL', bayeuxError: string): SalesforceError {
  return new SalesforceError(errorCode, bayeuxError, 400);
}
