/**
 * Streaming test helpers: an org whose CometD endpoint holds connects for 2 s (so idle polls and
 * dead-client cleanup take seconds), jsforce CometD clients that collect what they receive, and
 * waiting for a number of messages.
 */
import type { Client } from 'faye';
import { StreamingExtension } from 'jsforce/lib/api/streaming.js';
import type { LocalOrg, LocalOrgOptions } from '../../src/index.js';
import { connect, startTestOrg } from './org-fixture.js';

/** Connect timeout (and `advice.timeout`) of streaming test orgs. */
export const CONNECT_TIMEOUT_MS = 2000;

/** The `ChangeEventHeader` of a change event. */
export interface ChangeEventHeader {
  entityName: string;
  recordIds: string[];
  changeType: 'CREATE' | 'UPDATE' | 'DELETE' | 'UNDELETE';
  changeOrigin: string;
  transactionKey: string;
  sequenceNumber: number;
  commitTimestamp: number;
  commitNumber: number;
  commitUser: string;
  changedFields: string[];
  nulledFields: string[];
  diffFields: string[];
}

/** What a jsforce subscription listener receives: the `data` of the Bayeux message. */
export interface EventData {
  schema: string;
  payload: Record<string, unknown> & { ChangeEventHeader: ChangeEventHeader };
  event: { replayId: number };
}

export async function startStreamingOrg(options: LocalOrgOptions = {}): Promise<LocalOrg> {
  return startTestOrg({ ...options, streaming: { connectTimeoutMs: CONNECT_TIMEOUT_MS, ...options.streaming } });
}

/** A jsforce CometD client subscribed to one channel, collecting what it receives. */
export class Subscriber {
  readonly received: EventData[] = [];
  #waiters: (() => void)[] = [];

  private constructor(
    readonly client: Client,
    readonly channel: string,
  ) {}

  /**
   * Connects with `conn.streaming.createClient()` (with jsforce's Replay extension when
   * `replayId` is given) and subscribes; resolves once the server acknowledged the subscription.
   */
  static async open(org: LocalOrg, channel: string, options: { replayId?: number; extensions?: object[] } = {}): Promise<Subscriber> {
    const extensions = [
      ...(options.replayId !== undefined ? [new StreamingExtension.Replay(channel, options.replayId)] : []),
      ...(options.extensions ?? []),
    ];
    const client = connect(org).streaming.createClient(extensions) as unknown as Client;
    const subscriber = new Subscriber(client, channel);
    await client.subscribe(channel, (data) => subscriber.#receive(data as EventData));
    return subscriber;
  }

  /** Resolves with the first `n` messages once they arrived; rejects after `timeoutMs`. */
  async waitFor(n: number, timeoutMs = 10_000): Promise<EventData[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.received.length < n) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`${this.channel}: ${this.received.length} of ${n} messages after ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.received.slice(0, n);
  }

  /** Sends `/meta/disconnect` and stops polling. */
  close(): void {
    this.client.disconnect();
  }

  #receive(data: EventData): void {
    this.received.push(data);
    for (const wake of this.#waiters.splice(0)) wake();
  }
}

/** Resolves after `ms`. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `check` until it returns true; rejects after `timeoutMs`. */
export async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what} not met after ${timeoutMs} ms`);
    await sleep(50);
  }
}
