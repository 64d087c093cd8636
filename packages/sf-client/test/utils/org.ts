/** A local org for a test file: real HTTP on 127.0.0.1, a connected app with a secret and an RSA key. */
import { generateKeyPairSync } from 'node:crypto';
import { startLocalOrg, type LocalOrg, type LocalOrgOptions } from '@ecars/local-org';
import { fromLocalOrg, type FromLocalOrgOptions, type SalesforceClient } from '../../src/index.js';

/** PostgreSQL for the heavy tests (trust auth on this machine and in CI): the org's queries then run in
 * PostgreSQL's own processes instead of PGlite's WebAssembly on the test's thread. */
export const POSTGRES_URL = process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

/** The connected app tests log in with: consumer key + secret, and the public key of `TEST_KEYS` for JWT. */
export const TEST_APP = { clientId: '3MVG9sfclient.test', clientSecret: 'sf-client-test-secret' };

export interface TestKeys {
  privateKeyPem: string;
  publicKeyPem: string;
}

/** A fresh RSA key pair (the connected app keeps the public half; the app signs with the private one). */
export function createKeys(): TestKeys {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

/**
 * Starts an org whose connected app `TEST_APP` knows `keys` (when given) for the JWT bearer flow.
 * Storage is PostgreSQL (a fresh schema per org, dropped on stop): it starts in a second where
 * PGlite takes several, and keeps the org's database work off the test's thread.
 */
export async function startTestOrg(options: LocalOrgOptions & { keys?: TestKeys } = {}): Promise<LocalOrg> {
  const { keys, ...rest } = options;
  return startLocalOrg({
    port: 0,
    databaseUrl: POSTGRES_URL,
    clients: [{ ...TEST_APP, ...(keys ? { publicKeyPem: keys.publicKeyPem } : {}) }],
    ...rest,
  });
}

/** A client on the org's own token with fast retries (tests should not sleep seconds). */
export function clientOf(org: LocalOrg, options: FromLocalOrgOptions = {}): Promise<SalesforceClient> {
  return fromLocalOrg(org, { retry: { baseDelayMs: 5, maxDelayMs: 50 }, ...options });
}
