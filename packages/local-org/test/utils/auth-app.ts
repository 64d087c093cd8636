/**
 * A bare Fastify app with only the auth plugin and one dummy API route, for the auth tests.
 */
import { Writable } from 'node:stream';
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { authPlugin, TokenStore } from '../../src/auth/index.js';
import type { AuthPluginOptions, Session, TokenStoreOptions } from '../../src/auth/index.js';
import { makeId } from '../../src/ids.js';
import type { SigningKeyPair } from './auth-keys.js';

export const ORG_ID = makeId('00D', 1);
export const USER_ID = makeId('005', 1);
export const INTEGRATION_USERNAME = 'integration@ecars.local';
export const INSTANCE_URL = 'http://127.0.0.1:5050';
export const API_PATH = '/services/data/v64.0/ping';

export const SECRET_CLIENT = { clientId: '3MVG9secret.client', clientSecret: 's3cr3t-value' };
export const CERT_CLIENT_ID = '3MVG9jwt.certificate.client';
export const KEY_CLIENT_ID = '3MVG9jwt.publickey.client';
export const PASSWORD_USER = { username: 'Jane.Doe@ecars.local', password: 'p4ssw0rd' };
export const TOKEN_USER = { username: 'token.user@ecars.local', password: 'pw', securityToken: 'SECTOKEN123' };

export interface AuthTestApp {
  app: FastifyInstance;
  tokens: TokenStore;
  /** Sessions the dummy API route saw, in order (one per handler invocation). */
  seen: Array<Session | null>;
  /** Every log line the app wrote, as JSON text. */
  logs: string[];
}

/**
 * Builds and readies the app. `keys` (signing keys of the two JWT clients) is made once per test
 * file, since RSA key generation is slow.
 */
export async function buildAuthApp(
  keys: { cert: SigningKeyPair; key: SigningKeyPair },
  options: { tokenStore?: TokenStoreOptions; plugin?: Partial<AuthPluginOptions> } = {},
): Promise<AuthTestApp> {
  const logs: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      logs.push(chunk.toString('utf8'));
      done();
    },
  });
  const app = Fastify({ logger: { level: 'debug', stream } });
  const tokens = new TokenStore(options.tokenStore);
  await app.register(authPlugin, {
    orgId: ORG_ID,
    userId: USER_ID,
    username: INTEGRATION_USERNAME,
    instanceUrl: INSTANCE_URL,
    tokens,
    clients: [
      SECRET_CLIENT,
      { clientId: CERT_CLIENT_ID, certificatePem: keys.cert.certificatePem },
      { clientId: KEY_CLIENT_ID, publicKeyPem: keys.key.publicKeyPem },
    ],
    users: [PASSWORD_USER, TOKEN_USER],
    ...options.plugin,
  });
  const seen: Array<Session | null> = [];
  app.get(API_PATH, async (request) => {
    seen.push(request.session);
    return { username: request.session?.username ?? null };
  });
  await app.ready();
  return { app, tokens, seen, logs };
}

/** A form-encoded POST body, as jsforce sends token requests. */
export function form(fields: Record<string, string>): { payload: string; headers: Record<string, string> } {
  return {
    payload: new URLSearchParams(fields).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  };
}
