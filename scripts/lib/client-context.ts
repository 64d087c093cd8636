/**
 * An `x-client-context` value, as Salesforce's AppLink sends it, for a local org (from the state
 * file `local-org start` writes) or for a real org known to the Salesforce CLI (`sf org display`).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fromSfCli } from '@ecars/sf-client';

/** Base64 JSON with the fields the AppLink SDK reads. */
export function encodeClientContext(c: {
  accessToken: string;
  apiVersion: string;
  orgId: string;
  instanceUrl: string;
  userId: string;
  username: string;
}): string {
  return Buffer.from(
    JSON.stringify({
      accessToken: c.accessToken,
      apiVersion: c.apiVersion,
      requestId: `invoke-${Date.now()}`,
      namespace: '',
      orgId: c.orgId,
      orgDomainUrl: c.instanceUrl,
      userContext: { userId: c.userId, username: c.username },
    }),
  ).toString('base64');
}

/** The context of the running local org (`local-org start` wrote its state file). */
export function localOrgContext(statePath = process.env['LOCAL_ORG_STATE'] ?? '.local-org/state.json'): string {
  const path = resolve(statePath);
  try {
    const state = JSON.parse(readFileSync(path, 'utf8')) as { clientContext?: string };
    if (state.clientContext) return state.clientContext;
  } catch {
    // reported below
  }
  throw new Error(
    `no running local org (${path} not found): start one with \`pnpm --filter @ecars/local-org exec local-org start --seed demo\``,
  );
}

/** The context of a Salesforce CLI org alias (`sf org display --json`, run without auto-update or telemetry). */
export async function sfCliContext(alias: string): Promise<string> {
  const client = await fromSfCli(alias);
  return encodeClientContext(client.serialize());
}
