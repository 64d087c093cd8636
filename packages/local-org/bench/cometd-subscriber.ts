/**
 * A CometD subscriber as applications have one: jsforce's streaming client (faye over HTTP long
 * polling, `Authorization: OAuth <token>`, jsforce's Replay extension for `-2`/`N`), collecting the
 * change events it receives so the benchmark can wait for a count and check them.
 */
import type { Client } from 'faye';
import jsforce from 'jsforce';
import { StreamingExtension } from 'jsforce/lib/api/streaming.js';
import type { LocalOrg } from '../src/index.js';

// jsforce honours http(s)_proxy and ignores NO_PROXY: a proxy would swallow loopback calls.
for (const v of ['http_proxy', 'https_proxy', 'HTTP_PROXY', 'HTTPS_PROXY']) delete process.env[v];

/** The `data` of a change event message, as jsforce hands it to the listener. */
export interface ChangeEventData {
  schema: string;
  payload: Record<string, unknown> & {
    ChangeEventHeader: { entityName: string; changeType: string; recordIds: string[]; transactionKey: string; sequenceNumber: number };
  };
  event: { replayId: number };
}

export class CometdSubscriber {
  readonly received: ChangeEventData[] = [];
  #waiters: (() => void)[] = [];
  #closed = false;

  private constructor(
    readonly client: Client,
    readonly channel: string,
  ) {}

  /**
   * Handshakes, connects and subscribes to `channel` (with `replayId` through jsforce's Replay
   * extension when given; without, the server's default `-1`, only new events). Resolves once the
   * server acknowledged the subscription: everything committed afterwards will arrive.
   */
  static async open(org: LocalOrg, channel: string, replayId?: number): Promise<CometdSubscriber> {
    const conn = new jsforce.Connection({ instanceUrl: org.instanceUrl, accessToken: org.accessToken, version: org.apiVersion });
    const extensions = replayId === undefined ? [] : [new StreamingExtension.Replay(channel, replayId)];
    const client = conn.streaming.createClient(extensions) as unknown as Client;
    const subscriber = new CometdSubscriber(client, channel);
    try {
      await client.subscribe(channel, (data) => subscriber.#receive(data as ChangeEventData));
    } catch (e) {
      subscriber.close();
      throw e;
    }
    return subscriber;
  }

  /** Resolves once `n` messages in all have arrived; rejects after `timeoutMs`. */
  async waitFor(n: number, timeoutMs: number): Promise<void> {
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
  }

  /** Sends `/meta/disconnect` and stops polling (idempotent). */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.client.disconnect();
  }

  #receive(data: ChangeEventData): void {
    this.received.push(data);
    for (const wake of this.#waiters.splice(0)) wake();
  }
}
