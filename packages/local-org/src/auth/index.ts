export { authPlugin } from './auth-plugin.js';
export type { AuthPluginOptions } from './auth-plugin.js';
export { TokenStore } from './token-store.js';
export type { IssuedTokens, TokenStoreOptions } from './token-store.js';
export { accessTokenOf, invalidSessionBody } from './require-session.js';
export type { SessionGuard } from './require-session.js';
export { identityUrl, JWT_BEARER_GRANT } from './token-grants.js';
export type { TokenResponse } from './token-grants.js';
export { JWT_CLOCK_SKEW_MS } from './jwt-assertion.js';
export type { OAuthClient, OAuthFlow, OrgUser, Session, SessionSubject } from './types.js';
// Internal on purpose: the grant functions, the JWT verifier and the OAuth error catalogue are
// reached through the plugin's endpoints only.
