/**
 * The token endpoint's errors, with Salesforce's codes and descriptions. They are `SalesforceError`s
 * (the package's one error type) whose `errorCode` is the OAuth `error` and whose message is the
 * `error_description`; the OAuth routes serialise them as `{error, error_description}` instead of
 * the REST API's error array.
 */
import { SalesforceError } from '../errors.js';

const oauth = (error: string, description: string, status = 400) => new SalesforceError(error, description, status);

export const oauthErrors = {
  /** Unknown `client_id` (or JWT `iss`). */
  invalidClientId: () => oauth('invalid_client_id', 'client identifier invalid'),
  /** Known client, missing or wrong secret. */
  invalidClient: () => oauth('invalid_client', 'invalid client credentials'),
  /** Wrong username or password (password flow). */
  authenticationFailure: () => oauth('invalid_grant', 'authentication failure'),
  /** Unknown, revoked or foreign refresh token. */
  expiredToken: () => oauth('invalid_grant', 'expired access/refresh token'),
  /** JWT assertion that is malformed, not RS256, badly signed or missing a claim. */
  invalidAssertion: () => oauth('invalid_grant', 'invalid assertion'),
  /** JWT `aud` that is not one of the login URLs. */
  invalidAudience: () => oauth('invalid_grant', 'audience is invalid'),
  /** JWT `exp` in the past (Salesforce reuses the authorization-code wording). */
  expiredAssertion: () => oauth('invalid_grant', 'expired authorization code'),
  /** JWT `sub` that is no user of the org, or a user the app is not approved for. */
  userNotApproved: () => oauth('invalid_grant', "user hasn't approved this consumer"),
  /** Missing or unknown `grant_type`. */
  unsupportedGrantType: () => oauth('unsupported_grant_type', 'grant type not supported'),
  /** Revoke of a token the org does not know. */
  invalidToken: () => oauth('invalid_token', 'invalid token'),
};

/** The OAuth wire shape of an error. */
export function toOAuthBody(err: SalesforceError): { error: string; error_description: string } {
  return { error: err.errorCode, error_description: err.message };
}
