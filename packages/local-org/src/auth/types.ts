/** Shapes shared by the token store, the OAuth endpoints and the session guard. */

/** How a session was obtained: the OAuth grant, or `fixed` for a token registered by the caller. */
export type OAuthFlow = 'client_credentials' | 'password' | 'refresh_token' | 'jwt-bearer' | 'fixed';

/** Who a token acts as. Ids are 18-character Salesforce ids. */
export interface SessionSubject {
  userId: string;
  username: string;
  orgId: string;
  /** The connected app (consumer key) the token was issued to; `local-org` for fixed tokens. */
  clientId: string;
}

/** What a verified access token stands for; set on `request.session` by the session guard. */
export interface Session extends SessionSubject {
  /** Milliseconds since the epoch. */
  issuedAt: number;
  /** Milliseconds since the epoch; absent when sessions never expire. */
  expiresAt?: number;
  flow: OAuthFlow;
}

/**
 * A connected app. It authenticates with its consumer secret (client credentials, password and
 * refresh flows) or, for the JWT bearer flow, with a signature checked against its certificate.
 */
export interface OAuthClient {
  /** The consumer key (`client_id`, and `iss` of JWT assertions). */
  clientId: string;
  /** The consumer secret; a client without one cannot use secret-based flows. */
  clientSecret?: string;
  /** SPKI PEM of the RSA key that signs this client's JWT assertions. */
  publicKeyPem?: string;
  /** X.509 certificate PEM (as uploaded to a Salesforce connected app) of that key. */
  certificatePem?: string;
  /** Callback URL of the connected app; kept for completeness, no browser flow uses it here. */
  redirectUri?: string;
}

/** A user who can log in with the username-password flow. */
export interface OrgUser {
  username: string;
  password: string;
  /**
   * When set, the password flow needs `password + securityToken`, as Salesforce does for logins
   * from outside trusted IP ranges.
   */
  securityToken?: string;
  /** 18-character `005` id; derived from the user's position when absent. */
  userId?: string;
}
