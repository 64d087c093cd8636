/**
 * The MQTT broker: Aedes with this app's hooks. Steps of a PUBLISH, in order:
 * ACL (topic belongs to the connection) → validation (telemetry schema, VIN of the connection) →
 * event log (QoS 1: PUBACK withheld until the log accepts; QoS 0: dropped and counted while the
 * log is saturated) → Aedes forwards to subscribers.
 *
 * A refused publish closes the connection (MQTT 3.1.1 PUBACK carries no code; that is what Aedes
 * does on an authorizePublish error). An invalid payload does not: it is dropped, counted and
 * sampled to the dead-letter table, and the car stays connected (a firmware bug should not become
 * a reconnect storm).
 */
import { createServer, type Server, type Socket } from 'node:net';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { Aedes, type AedesPublishPacket, type AuthenticateError, type Client, type PublishPacket, type Subscription } from 'aedes';
import type { FastifyBaseLogger } from 'fastify';
import type { EventLog } from '@ecars/event-log';
import { parseTelemetry, type InvalidReason, type TelemetryV1 } from '@ecars/telemetry';
import type { Database } from '../db/database.js';
import { REVOKED_CHANNEL, type CredentialStore, type Principal } from '../services/credentials.js';
import type { IotMetrics } from '../services/metrics.js';
import { authorizePublish, authorizeSubscribe } from './acl.js';
import { DeadLetters } from './dead-letters.js';
import { createMq } from './mq.js';
import { PacketSizeGuard } from './packet-size-guard.js';
import { checkStatus } from './status.js';

/** Options of {@link MqttBroker.create}. */
export interface MqttBrokerOptions {
  credentials: CredentialStore;
  db: Database;
  /** Where valid telemetry goes; `null` runs the broker without ingest (never in production). */
  eventLog: EventLog<TelemetryV1> | null;
  metrics: IotMetrics;
  log: FastifyBaseLogger;
  /** Largest telemetry payload, bytes. @defaultValue 16384 */
  maxPayloadBytes?: number;
  /** A subscriber whose socket does not drain within this many ms is disconnected. @defaultValue 5000 */
  drainTimeoutMs?: number;
}

/** The packet size limit for a payload limit (see {@link MqttBroker.maxPacketBytes}). */
export function maxPacketBytes(maxPayloadBytes: number): number {
  return maxPayloadBytes + 64 * 1024;
}

/** Topic prefix an invalid message is moved to so Aedes acknowledges it but nobody receives it. */
const DROPPED_PREFIX = '$dropped/';

class RefusedError extends Error {
  constructor(
    message: string,
    readonly returnCode?: 4 | 5,
  ) {
    super(message);
    this.name = 'RefusedError';
  }
}

export class MqttBroker {
  readonly #principals = new WeakMap<Client, Principal>();
  /** Connected clients by username, to disconnect on revocation. */
  readonly #byUser = new Map<string, Set<Client>>();
  readonly #deadLetters: DeadLetters;
  #tcp: Server | null = null;
  readonly #sockets = new Set<Socket>();
  #unlisten: (() => Promise<void>) | null = null;
  #closing: Promise<void> | null = null;

  private constructor(
    readonly aedes: Aedes,
    private readonly opts: MqttBrokerOptions,
  ) {
    this.#deadLetters = new DeadLetters(opts.db, opts.log);
  }

  static async create(opts: MqttBrokerOptions): Promise<MqttBroker> {
    // Hooks reference the instance, which exists only after createBroker resolves: bind late.
    let self: MqttBroker | null = null;
    const aedes = await Aedes.createBroker({
      mq: createMq(),
      drainTimeout: opts.drainTimeoutMs ?? 5000,
      authenticate: (client, username, password, done) => self!.#authenticate(client, username, password, done),
      authorizePublish: (client, packet, done) => self!.#authorizePublish(client, packet, done),
      authorizeSubscribe: (client, sub, done) => self!.#authorizeSubscribe(client, sub, done),
      authorizeForward: (client, packet) => self!.#authorizeForward(client, packet),
    });
    self = new MqttBroker(aedes, opts);
    self.#wire();
    self.#unlisten = await opts.db.listen(REVOKED_CHANNEL, (payload) => self!.#onRevoked(payload));
    return self;
  }

  /**
   * Largest MQTT packet body accepted on TCP (and the WebSocket frame limit): the payload limit
   * plus room for topic and headers, and for non-telemetry packets of service users. A telemetry
   * payload between MAX_PAYLOAD_BYTES and this is refused by validation (too_large, counted,
   * dead-lettered); above it the connection is closed before the body is buffered.
   */
  get maxPacketBytes(): number {
    return maxPacketBytes(this.opts.maxPayloadBytes ?? 16 * 1024);
  }

  /** Vehicles connected right now (service users excluded). */
  get connectedVehicles(): number {
    let n = 0;
    for (const [user, set] of this.#byUser) if (set.size > 0 && this.#isVehicleName(user)) n += set.size;
    return n;
  }

  /** Listens for MQTT over TCP; resolves with the bound port. */
  listen(port: number, host: string): Promise<number> {
    // noDelay: a telemetry message is one small write; Nagle would hold it for the next one.
    const server = createServer({ noDelay: true }, (socket) => {
      this.#sockets.add(socket);
      socket.once('close', () => this.#sockets.delete(socket));
      // With Aedes's 'readable' listener in place, 'data' fires for exactly the chunks Aedes
      // reads, just before its parser sees them: the guard can stop an oversized packet first.
      const guard = new PacketSizeGuard(this.maxPacketBytes);
      socket.on('data', (chunk: Buffer) => {
        const size = guard.feed(chunk);
        if (size < 0) return;
        this.opts.metrics.refused.inc({ action: 'packet', reason: 'packet_too_large' });
        this.opts.log.info({ remote: socket.remoteAddress, size }, 'mqtt packet above the size limit: connection closed');
        socket.destroy();
      });
      this.aedes.handle(socket);
    });
    this.#tcp = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        const addr = server.address();
        resolve(typeof addr === 'object' && addr ? addr.port : port);
      });
    });
  }

  /** Serves one MQTT connection over any duplex stream (the WebSocket route passes its stream). */
  handle(stream: Duplex, req?: IncomingMessage): void {
    this.aedes.handle(stream, req);
  }

  /** Disconnects every connection of `username` (a VIN or a service user name). */
  disconnect(username: string): number {
    const set = this.#byUser.get(username);
    if (!set) return 0;
    for (const client of set) client.close();
    return set.size;
  }

  /** Stops accepting, closes every client and the broker. Idempotent. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      await this.#unlisten?.();
      const tcp = this.#tcp;
      const tcpClosed = tcp ? new Promise<void>((resolve) => tcp.close(() => resolve())) : Promise.resolve();
      await new Promise<void>((resolve) => this.aedes.close(() => resolve()));
      // Aedes closed its clients; sockets that never sent CONNECT are ours to end.
      for (const s of this.#sockets) s.destroy();
      await tcpClosed;
      await this.#deadLetters.flush();
    })();
    return this.#closing;
  }

  #isVehicleName(user: string): boolean {
    return user.length === 17;
  }

  #wire(): void {
    const { metrics, log } = this.opts;
    this.aedes.on('clientReady', (client) => {
      const p = this.#principals.get(client);
      if (!p) return;
      const user = p.kind === 'vehicle' ? p.vin : p.name;
      let set = this.#byUser.get(user);
      if (!set) this.#byUser.set(user, (set = new Set()));
      set.add(client);
      (p.kind === 'vehicle' ? metrics.connectedVehicles : metrics.connectedServices).inc();
    });
    this.aedes.on('clientDisconnect', (client) => {
      const p = this.#principals.get(client);
      if (!p) return;
      const user = p.kind === 'vehicle' ? p.vin : p.name;
      const set = this.#byUser.get(user);
      if (set?.delete(client)) {
        (p.kind === 'vehicle' ? metrics.connectedVehicles : metrics.connectedServices).dec();
        if (set.size === 0) this.#byUser.delete(user);
      }
    });
    this.aedes.on('clientError', (client, err) => log.debug({ clientId: client.id, err: err.message }, 'mqtt client error'));
    this.aedes.on('connectionError', (client, err) => log.debug({ clientId: client?.id, err: err.message }, 'mqtt connection error'));
  }

  #onRevoked(payload: string): void {
    const [kind, user] = payload.split(':', 2) as [string, string | undefined];
    if (!user || (kind !== 'vehicle' && kind !== 'service')) return;
    const n = this.disconnect(user);
    if (n > 0) this.opts.log.info({ user, connections: n }, 'credential revoked: disconnected');
  }

  #authenticate(client: Client, username: string | undefined, password: Buffer | undefined, done: (err: AuthenticateError | null, ok: boolean | null) => void): void {
    this.opts.credentials.authenticate(username, password).then(
      (r) => {
        if ('returnCode' in r) {
          this.opts.metrics.refused.inc({ action: 'connect', reason: r.reason });
          // The username is not secret; the password is never logged.
          this.opts.log.info({ username, reason: r.reason }, 'mqtt connect refused');
          return done(new RefusedError(r.reason, r.returnCode) as AuthenticateError, false);
        }
        this.#principals.set(client, r);
        done(null, true);
      },
      (err: unknown) => {
        this.opts.metrics.refused.inc({ action: 'connect', reason: 'server_unavailable' });
        this.opts.log.error({ err }, 'credential check failed');
        done(Object.assign(new RefusedError('server unavailable'), { returnCode: 3 }) as unknown as AuthenticateError, false);
      },
    );
  }

  #authorizePublish(client: Client | null, packet: PublishPacket, done: (err?: Error | null) => void): void {
    const { metrics } = this.opts;
    // An orphaned will (client null) cannot be tied to a principal: refuse rather than trust it.
    const principal = client ? this.#principals.get(client) : undefined;
    if (!principal) {
      metrics.refused.inc({ action: 'publish', reason: 'no_principal' });
      return done(new RefusedError('no principal'));
    }
    const decision = authorizePublish(principal, packet.topic);
    if (!decision.ok) {
      metrics.refused.inc({ action: 'publish', reason: decision.reason });
      this.opts.log.info({ user: principal.kind === 'vehicle' ? principal.vin : principal.name, topic: packet.topic, reason: decision.reason }, 'mqtt publish refused');
      return done(new RefusedError(decision.reason));
    }
    if (decision.kind === 'status' && principal.kind === 'vehicle') {
      const bad = checkStatus(Buffer.from(packet.payload), principal.vin);
      if (bad) return this.#drop(principal, packet, 'schema', bad, done);
      packet.retain = true; // the last status of every car is what a new subscriber needs first
      return done(null);
    }
    if (decision.kind !== 'telemetry' || principal.kind !== 'vehicle') return done(null);

    const parsed = parseTelemetry(packet.payload, { expectedVin: principal.vin, maxBytes: this.opts.maxPayloadBytes ?? 16 * 1024 });
    if (!parsed.ok) return this.#drop(principal, packet, parsed.reason, parsed.detail, done);
    packet.retain = false; // telemetry is a stream, not a state
    metrics.messagesIn.inc({ qos: String(packet.qos) });
    const eventLog = this.opts.eventLog;
    if (!eventLog) return done(null);
    const record = [{ key: principal.vin, value: parsed.value }];
    if (packet.qos === 0) {
      // QoS 0 promised nothing: when the log is full the message is dropped, and counted.
      if (eventLog.saturated) {
        metrics.dropped.inc();
        return done(null);
      }
      eventLog.append(record).catch((err: unknown) => {
        metrics.dropped.inc();
        this.opts.log.error({ err }, 'event log append failed (QoS 0 message dropped)');
      });
      return done(null);
    }
    // QoS 1: PUBACK is sent only after done(); while the log is saturated the car waits (and
    // Aedes reads no further packets from it), which is the backpressure the issue asks for.
    if (eventLog.saturated) metrics.withheld.inc();
    // append() is called synchronously here, in packet order, so per-vehicle order holds.
    eventLog.append(record).then(
      () => done(null),
      (err: unknown) => {
        // No PUBACK: the car keeps the message and resends it on reconnect.
        this.opts.log.error({ err }, 'event log append failed (connection closed, QoS 1 message kept by the car)');
        done(err instanceof Error ? err : new Error(String(err)));
      },
    );
  }

  #drop(principal: Principal & { kind: 'vehicle' }, packet: PublishPacket, reason: InvalidReason, detail: string, done: (err?: Error | null) => void): void {
    this.opts.metrics.invalid.inc({ reason });
    this.#deadLetters.offer({ username: principal.vin, topic: packet.topic, reason, detail, payload: Buffer.from(packet.payload) });
    // Acknowledge (so a QoS 1 car does not resend it forever) but deliver to nobody.
    packet.topic = `${DROPPED_PREFIX}${reason}`;
    packet.retain = false;
    done(null);
  }

  #authorizeSubscribe(client: Client, sub: Subscription, done: (err: Error | null, sub?: Subscription | null) => void): void {
    const principal = this.#principals.get(client);
    const decision = principal ? authorizeSubscribe(principal, sub.topic) : ({ ok: false, reason: 'not_allowed' } as const);
    if (!decision.ok) {
      this.opts.metrics.refused.inc({ action: 'subscribe', reason: decision.reason });
      // null → SUBACK 0x80 for this filter; the connection stays up.
      return done(null, null);
    }
    done(null, sub);
  }

  #authorizeForward(_client: Client, packet: AedesPublishPacket): AedesPublishPacket | null {
    if (packet.topic.startsWith(DROPPED_PREFIX)) return null;
    this.opts.metrics.messagesOut.inc();
    return packet;
  }
}
