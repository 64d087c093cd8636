/**
 * For each app's test that its logger never prints a credential (`@ecars/sf-client/testing`, a
 * test-only entry: it is resolved through the `@ecars/source` condition and never built).
 *
 * Gathers what an app logs in practice that carries a credential — a serialized context (the org's
 * access token), and the errors of real failed Salesforce calls made with an access token, a
 * refresh token plus client secret, and a private key — and the credentials to look for in the
 * logger's output. The caller adds its own job payload (which carries the context) and logs
 * everything through its logger.
 */
import { generateKeyPairSync } from 'node:crypto';
import { fromJwtBearer, fromLocalOrg, fromRefreshToken, type LocalOrgHandle, type SerializedContext } from '../src/index.js';

/** What {@link logLeakProbe} returns. */
export interface LogLeakProbe {
  /** The org's session as a job carries it (holds the access token). */
  context: SerializedContext;
  /** Errors of failed calls: a bad query, a refused refresh-token login, a refused JWT bearer login. */
  errors: Error[];
  /** Every credential used, by kind: none of them may appear in a log line. */
  secrets: { accessToken: string; refreshToken: string; clientSecret: string; privateKey: string };
}

/** Runs the failed calls against `org` (a local org, or any org the test can reach). */
export async function logLeakProbe(org: LocalOrgHandle): Promise<LogLeakProbe> {
  const refreshToken = `5Aep861probe.refresh.${Math.random().toString(36).slice(2)}`;
  const clientSecret = `probe-client-secret-${Math.random().toString(36).slice(2)}`;
  const privateKeyPem = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const oauth = { loginUrl: org.instanceUrl, clientId: '3MVG9probe.unknown.app', authTimeoutMs: 10_000, retry: { maxAttempts: 1 } };

  const client = await fromLocalOrg(org, { retry: { maxAttempts: 1 } });
  const failures = await Promise.allSettled([
    client.query('SELECT NoSuchField__c FROM NoSuchObject__c').toArray(),
    fromRefreshToken({ ...oauth, refreshToken, clientSecret }),
    fromJwtBearer({ ...oauth, username: org.username, privateKey: privateKeyPem }),
  ]);
  const errors = failures.map((f, i) => {
    if (f.status === 'fulfilled') throw new Error(`logLeakProbe: call ${i + 1} was expected to fail against ${org.instanceUrl}`);
    return f.reason as Error;
  });
  // The body of the PEM (one base64 line of it would be as bad as the whole key).
  const privateKey = privateKeyPem.split('\n')[1]!;
  return { context: client.serialize(), errors, secrets: { accessToken: org.accessToken, refreshToken, clientSecret, privateKey } };
}

/** The credentials of `probe` found in `output`, by kind (empty when none leaked). */
export function leakedSecrets(probe: LogLeakProbe, output: string): string[] {
  return Object.entries(probe.secrets)
    .filter(([, value]) => output.includes(value))
    .map(([kind]) => kind);
}
