/**
 * A client for an org the Salesforce CLI is logged in to (`sf org login web --alias dev`), for
 * scripts and local development against a real org. The session comes from
 * `sf org display --json`; when it expires, `sf org display` runs again (the CLI refreshes the
 * token from its stored refresh token).
 */
import { fetchUserInfo } from '../auth/oauth.js';
import type { SessionInfo } from '../auth/session.js';
import { displayOrg, type SfCliOptions } from '../auth/sf-cli.js';
import type { ClientOptions } from '../client/client-options.js';
import { SalesforceClient } from '../client/salesforce-client.js';

export interface FromSfCliOptions extends ClientOptions, SfCliOptions {}

export async function fromSfCli(alias: string, options: FromSfCliOptions = {}): Promise<SalesforceClient> {
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const login = async (): Promise<SessionInfo> => {
    const shown = await displayOrg(alias, options);
    // `org display` gives no user id: userinfo knows it (and the 18-character org id).
    const who = await fetchUserInfo(shown.instanceUrl, shown.accessToken, fetchImpl, options.timeoutMs ?? 30_000);
    return { ...shown, orgId: who.orgId, userId: who.userId, username: shown.username || who.username };
  };
  return new SalesforceClient({ kind: 'sf-cli', session: await login(), renew: login, options });
}
