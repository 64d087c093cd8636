/**
 * A bare Bayeux client over fetch, for protocol-level tests that need control a real client does
 * not give: when (or whether) `/meta/connect` is sent, which headers, which ext.
 */
import type { LocalOrg } from '../../src/index.js';

/** One Bayeux message as the server answers it. */
export interface BayeuxReply {
  channel: string;
  id?: string;
  clientId?: string;
  successful?: boolean;
  error?: string;
  advice?: { reconnect?: string; interval?: number; timeout?: number };
  ext?: Record<string, unknown>;
  supportedConnectionTypes?: string[];
  subscription?: string | string[];
  data?: { schema: string; payload: Record<string, unknown>; event: { replayId: number } };
}

let nextId = 0;

/** POSTs `messages` to `/cometd/<version>`; `token: null` sends no Authorization header. */
export async function bayeux(
  org: LocalOrg,
  messages: object[],
  options: { token?: string | null; version?: string } = {},
): Promise<{ status: number; replies: BayeuxReply[] }> {
  const token = options.token === undefined ? org.accessToken : options.token;
  const res = await fetch(`${org.instanceUrl}/cometd/${options.version ?? org.apiVersion}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(token === null ? {} : { Authorization: `OAuth ${token}` }) },
    body: JSON.stringify(messages.map((m) => ({ id: String(++nextId), ...m }))),
  });
  const text = await res.text();
  return { status: res.status, replies: text ? (JSON.parse(text) as BayeuxReply[]) : [] };
}

/** Handshakes and returns the client id (throws when the handshake fails). */
export async function handshake(org: LocalOrg): Promise<string> {
  const { replies } = await bayeux(org, [{ channel: '/meta/handshake', version: '1.0', supportedConnectionTypes: ['long-polling'] }]);
  const clientId = replies[0]?.clientId;
  if (!replies[0]?.successful || !clientId) throw new Error(`handshake failed: ${JSON.stringify(replies)}`);
  return clientId;
}

/** Subscribes `clientId` to `channel`, with a replay option when given; returns the reply. */
export async function subscribe(org: LocalOrg, clientId: string, channel: string, replay?: number): Promise<BayeuxReply> {
  const { replies } = await bayeux(org, [
    { channel: '/meta/subscribe', clientId, subscription: channel, ...(replay !== undefined ? { ext: { replay: { [channel]: replay } } } : {}) },
  ]);
  return replies[0]!;
}

/** One `/meta/connect`: resolves when the server answers (an event arrived, or the timeout passed). */
export async function connectOnce(org: LocalOrg, clientId: string): Promise<{ ms: number; replies: BayeuxReply[] }> {
  const started = Date.now();
  const { replies } = await bayeux(org, [{ channel: '/meta/connect', clientId, connectionType: 'long-polling' }]);
  return { ms: Date.now() - started, replies };
}
