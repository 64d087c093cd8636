/**
 * The session of a client as plain JSON, to carry inside a queued job so that the worker acts in
 * the same org as the user who started it (`client.serialize()` → job payload →
 * `fromSerializedContext()`). It holds the access token in clear: it is a credential. Keep it out
 * of logs with `REDACT_PATHS` (it covers `accessToken` at any of the first three levels and
 * `job.data.context.accessToken`).
 */
export interface SerializedContext {
  instanceUrl: string;
  accessToken: string;
  apiVersion: string;
  orgId: string;
  userId: string;
  username: string;
  namespace?: string;
  requestId?: string;
}
