/**
 * Bodies of the identity URL (`GET /id/<orgId>/<userId>`) and of OpenID Connect's
 * `GET /services/oauth2/userinfo`, with the fields clients read (jsforce's `identity()` reads
 * `user_id`, `organization_id`, `username`, `display_name`, `urls`). The `urls` keep Salesforce's
 * literal `{version}` placeholder.
 */
import { identityUrl } from './token-grants.js';

/** The user an identity document describes. */
export interface IdentityUser {
  userId: string;
  username: string;
}

function urls(instanceUrl: string, orgId: string, userId: string): Record<string, string> {
  const data = `${instanceUrl}/services/data/v{version}`;
  return {
    enterprise: `${instanceUrl}/services/Soap/c/{version}/${orgId.slice(0, 15)}`,
    metadata: `${instanceUrl}/services/Soap/m/{version}/${orgId.slice(0, 15)}`,
    partner: `${instanceUrl}/services/Soap/u/{version}/${orgId.slice(0, 15)}`,
    rest: `${data}/`,
    sobjects: `${data}/sobjects/`,
    search: `${data}/search/`,
    query: `${data}/query/`,
    recent: `${data}/recent/`,
    tooling_rest: `${data}/tooling/`,
    profile: `${instanceUrl}/${userId}`,
    feeds: `${data}/chatter/feeds`,
    groups: `${data}/chatter/groups`,
    users: `${data}/chatter/users`,
    feed_items: `${data}/chatter/feed-items`,
    feed_elements: `${data}/chatter/feed-elements`,
    custom_domain: instanceUrl,
  };
}

/** The fields both documents end with, under the same names. */
function accountFields(instanceUrl: string, orgId: string, userId: string): Record<string, unknown> {
  return {
    urls: urls(instanceUrl, orgId, userId),
    active: true,
    user_type: 'STANDARD',
    language: 'en_US',
    locale: 'en_US',
    utcOffset: 0,
    is_app_installed: true,
  };
}

/** Display name derived from the username's local part: `jane.doe@x` → `jane doe`. */
function displayName(username: string): string {
  return (username.split('@')[0] ?? username).replace(/[._]+/g, ' ');
}

/** The identity URL's JSON. */
export function identityDocument(instanceUrl: string, orgId: string, user: IdentityUser): Record<string, unknown> {
  const name = displayName(user.username);
  return {
    id: identityUrl(instanceUrl, orgId, user.userId),
    asserted_user: true,
    user_id: user.userId,
    organization_id: orgId,
    username: user.username,
    nick_name: name,
    display_name: name,
    email: user.username,
    email_verified: true,
    first_name: null,
    last_name: name,
    timezone: 'GMT',
    photos: { picture: null, thumbnail: null },
    addr_street: null,
    addr_city: null,
    addr_state: null,
    addr_country: null,
    addr_zip: null,
    mobile_phone: null,
    mobile_phone_verified: false,
    is_lightning_login_user: false,
    status: { created_date: null, body: null },
    ...accountFields(instanceUrl, orgId, user.userId),
  };
}

/** The OpenID Connect UserInfo JSON. */
export function userInfoDocument(instanceUrl: string, orgId: string, user: IdentityUser): Record<string, unknown> {
  const name = displayName(user.username);
  return {
    sub: identityUrl(instanceUrl, orgId, user.userId),
    user_id: user.userId,
    organization_id: orgId,
    preferred_username: user.username,
    nickname: name,
    name,
    email: user.username,
    email_verified: true,
    given_name: null,
    family_name: name,
    zoneinfo: 'GMT',
    photos: { picture: null, thumbnail: null },
    profile: `${instanceUrl}/${user.userId}`,
    picture: null,
    address: {},
    ...accountFields(instanceUrl, orgId, user.userId),
  };
}
