/**
 * The streaming hub of one org: who is subscribed to what, how far each subscription has got,
 * and delivery. Every subscription has a cursor, the last replay id it was handed; delivering
 * means reading the event logs after that cursor (never in-memory copies), handing the messages
 * to the subscriber's sink in replay-id order and moving the cursor. Commits only wake
 * subscribers, so an event committed at any moment — before the first `/meta/connect`, while a
 * client reconnects, during another delivery — is read on the next pass, exactly once.
 *
 * Sinks are CometD clients (`cometd-server.ts`: ready while a `/meta/connect` is held) and
 * in-process listeners (`subscribe()`, always ready).
 */
import { SalesforceError } from '../errors.js';
import type { OrgRuntime } from '../org-runtime.js';
import { resolveChannel, type ChannelSource } from './channels.js';
import { onPlatformEventsCommitted } from './commit-signal.js';
import { EVENT_LOG_DDL, purgeBefore, readAfter, readBounds, truncateEventLog } from './event-log.js';
import { messageOf, type StreamingMessage } from './messages.js';
import { isPlatformEvent, publishPlatformEvents } from './platform-events.js';
import { startingCursor } from './replay.js';
import { bayeuxErrors, streamingError } from './streaming-errors.js';

/** Streaming settings of a local org. */
export interface StreamingOptions {
  /**
   * How long the server holds a `/meta/connect` with nothing to deliver, in ms; it is also the
   * handshake's `advice.timeout`. A client silent for twice this long is dropped. Tests use ~2 s.
   * @defaultValue 110000 (Salesforce's)
   */
  connectTimeoutMs?: number;
  /** How long events stay replayable, in ms. @defaultValue 72 hours (Salesforce's) */
  retentionMs?: number;
  /**
   * The hub's clock (retention), ms since the epoch. Events are stamped with the record store's
   * clock; inject both to test retention. @defaultValue Date.now
   */
  clock?: () => number;
  /** Most events one delivery carries per subscription. @defaultValue 1000 */
  maxEventsPerDelivery?: number;
  /** How often expired events are purged, in ms (also before every replay check). @defaultValue 10 minutes */
  purgeIntervalMs?: number;
}

/** Where a subscriber's events go. */
export interface EventSink {
  /** True while a delivery would reach the subscriber now (a CometD client holds a `/meta/connect`). */
  ready(): boolean;
  /** Hands `messages` over; false when they could not be delivered (the cursors then stay put). */
  deliver(messages: StreamingMessage[]): boolean;
}

/** A checked subscription request: its source and starting cursor. */
export interface PreparedSubscription {
  channel: string;
  source: ChannelSource;
  cursor: number;
}

/** Options of {@link StreamingHub.subscribe}. */
export interface SubscribeOptions {
  /** `-1` only new events, `-2` every retained event, `N` the events after replay id N. @defaultValue -1 */
  replayId?: number;
}

/** What {@link StreamingHub.publish} answers for an accepted event. */
export interface PublishedEvent {
  /** The save result's id (`e..` + serial); not part of the delivered message. */
  id: string;
  /** The event's `EventUuid`. */
  eventUuid: string;
}

interface Subscriber {
  readonly sink: EventSink;
  readonly subscriptions: Map<string, PreparedSubscription>;
  pumping: boolean;
  again: boolean;
  /** Set when the subscriber is forgotten, so a delivery in flight stops. */
  dropped: boolean;
}

/** Minimal logger (Fastify's fits). */
export interface HubLogger {
  error(obj: object, msg: string): void;
}

const HOURS = 3_600_000;

export class StreamingHub {
  readonly connectTimeoutMs: number;
  readonly retentionMs: number;
  readonly #clock: () => number;
  readonly #maxEvents: number;
  readonly #purgeIntervalMs: number;
  readonly #subscribers = new Map<string, Subscriber>();
  readonly #unhook: (() => void)[] = [];
  #purgeTimer: NodeJS.Timeout | undefined;
  /** Bumped by `reset()`: a delivery read before it is stale (replay ids restarted). */
  #epoch = 0;
  #localIds = 0;
  #closed = false;

  constructor(
    readonly org: OrgRuntime,
    options: StreamingOptions = {},
    private readonly log?: HubLogger,
  ) {
    this.connectTimeoutMs = options.connectTimeoutMs ?? 110_000;
    this.retentionMs = options.retentionMs ?? 72 * HOURS;
    this.#clock = options.clock ?? Date.now;
    this.#maxEvents = options.maxEventsPerDelivery ?? 1000;
    this.#purgeIntervalMs = options.purgeIntervalMs ?? 10 * 60_000;
  }

  /** Creates the platform event log and starts listening to commits. */
  async start(): Promise<void> {
    await this.org.db.exec(EVENT_LOG_DDL);
    this.#unhook.push(
      this.org.store.onCommit((changes) => {
        if (changes.some((c) => this.org.schema.object(c.entityName)?.cdcEnabled)) this.wake();
      }),
      onPlatformEventsCommitted(this.org.store, () => this.wake()),
    );
    this.#purgeTimer = setInterval(() => void this.purgeExpired().catch(() => undefined), this.#purgeIntervalMs);
    this.#purgeTimer.unref();
  }

  /**
   * Checks a subscription request: the channel must exist and the replay option be valid within
   * retention. Throws a `SalesforceError` whose message is the Bayeux error Salesforce sends.
   */
  async prepare(channel: string, replay?: unknown): Promise<PreparedSubscription> {
    const source = resolveChannel(this.org.schema, channel);
    if (!source) throw streamingError('INVALID_CHANNEL', bayeuxErrors.unknownChannel(channel));
    await this.purgeExpired();
    const bounds = await readBounds(this.org.db, source, this.#clock() - this.retentionMs);
    return { channel, source, cursor: startingCursor(replay, bounds) };
  }

  /** Starts (or restarts, with the new cursor) delivering `prepared` to `subscriberId`. */
  attach(subscriberId: string, sink: EventSink, prepared: PreparedSubscription): void {
    if (this.#closed) return;
    let sub = this.#subscribers.get(subscriberId);
    if (!sub) {
      sub = { sink, subscriptions: new Map(), pumping: false, again: false, dropped: false };
      this.#subscribers.set(subscriberId, sub);
    }
    sub.subscriptions.set(prepared.channel, { ...prepared });
    this.wake(subscriberId);
  }

  /** Stops delivering `channel` to `subscriberId`. */
  detach(subscriberId: string, channel: string): void {
    const sub = this.#subscribers.get(subscriberId);
    if (!sub) return;
    sub.subscriptions.delete(channel);
    if (sub.subscriptions.size === 0) this.drop(subscriberId);
  }

  /** Forgets `subscriberId` entirely (CometD disconnect or expiry). */
  drop(subscriberId: string): void {
    const sub = this.#subscribers.get(subscriberId);
    if (sub) sub.dropped = true;
    this.#subscribers.delete(subscriberId);
  }

  /** Delivers what is pending to one subscriber, or to every subscriber. */
  wake(subscriberId?: string): void {
    if (subscriberId !== undefined) {
      const sub = this.#subscribers.get(subscriberId);
      if (sub) void this.#pump(sub);
      return;
    }
    for (const sub of this.#subscribers.values()) void this.#pump(sub);
  }

  /**
   * Subscribes in-process: `onEvent` gets each message of `channel` (the same `{channel, data}`
   * a CometD client gets) in replay-id order. Resolves once the subscription is in place, so
   * everything committed afterwards is delivered; rejects like a CometD subscribe would (unknown
   * channel, invalid replay id). Resolves to the unsubscribe function.
   */
  async subscribe(channel: string, onEvent: (message: StreamingMessage) => void, options: SubscribeOptions = {}): Promise<() => void> {
    const prepared = await this.prepare(channel, options.replayId);
    const id = `local-${++this.#localIds}`;
    this.attach(
      id,
      {
        ready: () => true,
        deliver: (messages) => {
          for (const m of messages) {
            try {
              onEvent(m);
            } catch (err) {
              this.log?.error({ err, channel }, 'local-org: streaming listener threw');
            }
          }
          return true;
        },
      },
      prepared,
    );
    return () => this.drop(id);
  }

  /**
   * Publishes one platform event in its own transaction, as `POST /sobjects/<Name>__e` does.
   * Rejects with the `SalesforceError` the REST call would answer (unknown field, missing
   * required field, not a platform event).
   */
  async publish(eventName: string, fields: Record<string, unknown>): Promise<PublishedEvent> {
    const o = this.org.schema.object(eventName);
    if (!o || !isPlatformEvent(o)) throw new SalesforceError('INVALID_TYPE', `sObject type '${eventName}' is not a platform event`, 400);
    const [result] = await this.org.store.transaction(async (tx) => publishPlatformEvents(this.org, tx, o.name, [fields]));
    if (!result?.ok) throw result?.error ?? new Error('publish failed');
    return { id: result.id, eventUuid: result.eventUuid ?? '' };
  }

  /** Deletes events older than the retention window (the hub's clock); returns how many. */
  async purgeExpired(): Promise<{ changeEvents: number; platformEvents: number }> {
    return purgeBefore(this.org.db, this.#clock() - this.retentionMs);
  }

  /**
   * After the org's tables were emptied (replay ids restart at 1): empties the platform event log
   * and rewinds every live subscription, so it gets the new events from the first one.
   */
  async reset(): Promise<void> {
    this.#epoch++;
    await truncateEventLog(this.org.db);
    for (const sub of this.#subscribers.values()) for (const s of sub.subscriptions.values()) s.cursor = 0;
  }

  /** Live subscribers and subscriptions (tests, `stats()`). */
  stats(): { subscribers: number; subscriptions: number } {
    let subscriptions = 0;
    for (const sub of this.#subscribers.values()) subscriptions += sub.subscriptions.size;
    return { subscribers: this.#subscribers.size, subscriptions };
  }

  /** Stops listening and forgets every subscriber. */
  close(): void {
    this.#closed = true;
    for (const unhook of this.#unhook.splice(0)) unhook();
    clearInterval(this.#purgeTimer);
    for (const id of [...this.#subscribers.keys()]) this.drop(id);
  }

  /**
   * One subscriber's delivery loop; at most one runs per subscriber. A wake while it runs makes
   * it go round again, so no commit is missed between its read and its return.
   */
  async #pump(sub: Subscriber): Promise<void> {
    if (sub.pumping) {
      sub.again = true;
      return;
    }
    sub.pumping = true;
    try {
      do {
        sub.again = false;
        if (this.#closed || sub.dropped || !sub.sink.ready()) return;
        const epoch = this.#epoch;
        const reads = await Promise.all(
          [...sub.subscriptions.values()].map(async (s) => ({ s, rows: await readAfter(this.org.db, s.source, s.cursor, this.#maxEvents) })),
        );
        if (epoch !== this.#epoch) {
          sub.again = true;
          continue;
        }
        const messages: StreamingMessage[] = [];
        const moves: [PreparedSubscription, number][] = [];
        for (const { s, rows } of reads) {
          // Unsubscribed or re-subscribed meanwhile: that subscription's rows are not wanted.
          if (sub.subscriptions.get(s.channel) !== s || rows.length === 0) continue;
          if (rows.length === this.#maxEvents) sub.again = true;
          for (const row of rows) messages.push(messageOf(this.org.schema, s.channel, row));
          moves.push([s, rows[rows.length - 1]!.replayId]);
        }
        if (messages.length === 0) continue;
        if (sub.dropped || !sub.sink.deliver(messages)) return;
        for (const [s, cursor] of moves) s.cursor = cursor;
      } while (sub.again);
    } catch (err) {
      if (!this.#closed) this.log?.error({ err }, 'local-org: streaming delivery failed');
    } finally {
      sub.pumping = false;
    }
  }
}
