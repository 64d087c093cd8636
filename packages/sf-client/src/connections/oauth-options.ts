/** Options shared by the OAuth connection factories. */
import type { ClientOptions } from '../client/client-options.js';

export interface OAuthConnectionOptions extends ClientOptions {
  /**
   * The login server or My Domain URL whose `/services/oauth2/token` issues tokens.
   * @defaultValue 'https://login.salesforce.com'
   */
  loginUrl?: string;
  /** The connected app's consumer key. */
  clientId: string;
  /**
   * Time the token endpoint may take, ms.
   * @defaultValue 30_000
   */
  authTimeoutMs?: number;
}

export const DEFAULT_LOGIN_URL = 'https://login.salesforce.com';
