/**
 * TEST FIXTURE — not a product, never deployed. A single-node Kafka-wire broker that the real,
 * unmodified kafkajs client talks to over loopback, so the Kafka adapter runs the same contract
 * suite as the others on a machine where no Kafka can be installed (see README.md here).
 *
 * It speaks exactly one version of each API it needs and advertises only those in ApiVersions;
 * kafkajs picks the highest version both sides support, so these are the versions it sends
 * (`seen` records every request, and the tests check nothing else arrived). Request decoders and
 * response encoders follow the Kafka protocol guide; the primitives are kafkajs's own Encoder and
 * Decoder. Record batches are stored as the producer sent them, with their base offset rewritten
 * (bytes 0–7, outside the CRC), and fetched back as stored — as a real broker does.
 */
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import Decoder from 'kafkajs/src/protocol/decoder.js';
import Encoder from 'kafkajs/src/protocol/encoder.js';
import { ErrorCode, GroupCoordinator } from './group-coordinator.js';

/** API key → [name, the one version served]. */
const APIS: Record<number, [string, number]> = {
  0: ['Produce', 3],
  1: ['Fetch', 4],
  2: ['ListOffsets', 1],
  3: ['Metadata', 1],
  8: ['OffsetCommit', 2],
  9: ['OffsetFetch', 1],
  10: ['FindCoordinator', 0],
  11: ['JoinGroup', 1],
  12: ['Heartbeat', 0],
  13: ['LeaveGroup', 0],
  14: ['SyncGroup', 0],
  18: ['ApiVersions', 2],
  19: ['CreateTopics', 0],
  22: ['InitProducerId', 0],
};
const NODE_ID = 0;

interface StoredBatch {
  baseOffset: bigint;
  lastOffset: bigint;
  bytes: Buffer;
}

class PartitionLog {
  readonly batches: StoredBatch[] = [];
  next = 0n;
  /** Idempotent producers: producer id → last sequence written. */
  readonly sequences = new Map<bigint, { epoch: number; lastSequence: number; baseOffset: bigint }>();
}

export class KafkaTestBroker {
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();
  readonly #topics = new Map<string, PartitionLog[]>();
  readonly #groups = new GroupCoordinator();
  /** Fetches waiting for data (long poll), woken by every produce. */
  #fetchWaiters: (() => void)[] = [];
  #nextProducerId = 1000n;
  #port = 0;
  /** `Name vN` → how many such requests arrived. */
  readonly seen = new Map<string, number>();
  /** Requests the broker could not serve (unknown API or version): must stay empty. */
  readonly unsupported: string[] = [];

  /**
   * @param tls - serve TLS and require a client certificate signed by `ca` (as Heroku's Kafka
   *   does); PEM strings
   */
  constructor(
    readonly host = '127.0.0.1',
    tls?: { key: string; cert: string; ca: string },
  ) {
    this.#server = tls
      ? createTlsServer({ ...tls, requestCert: true, rejectUnauthorized: true }, (socket) => this.#accept(socket))
      : createServer((socket) => this.#accept(socket));
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(0, this.host, () => resolve());
    });
    this.#port = (this.#server.address() as AddressInfo).port;
    return this;
  }

  /** Consumer group ids seen by the coordinator. */
  get groupIds(): string[] {
    return this.#groups.groupIds();
  }

  get address(): string {
    return `${this.host}:${this.#port}`;
  }

  async close(): Promise<void> {
    this.#groups.close();
    for (const wake of this.#fetchWaiters.splice(0)) wake();
    for (const socket of this.#sockets) socket.destroy();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #accept(socket: Socket): void {
    this.#sockets.add(socket);
    socket.setNoDelay(true);
    let pending: Buffer = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
      while (pending.length >= 4) {
        const size = pending.readInt32BE(0);
        if (pending.length < 4 + size) break;
        const frame = pending.subarray(4, 4 + size);
        pending = pending.subarray(4 + size);
        // Requests are served concurrently (kafkajs matches responses by correlation id), so a
        // long-polling Fetch does not hold a Heartbeat on the same connection.
        void this.#serve(socket, frame).catch((error: unknown) => {
          this.unsupported.push(String(error));
          socket.destroy();
        });
      }
    });
    socket.on('error', () => undefined);
    socket.on('close', () => this.#sockets.delete(socket));
  }

  async #serve(socket: Socket, frame: Buffer): Promise<void> {
    const decoder = new Decoder(frame);
    const apiKey = decoder.readInt16();
    const apiVersion = decoder.readInt16();
    const correlationId = decoder.readInt32();
    const clientId = decoder.readString() ?? '';
    const api = APIS[apiKey];
    const label = `${api?.[0] ?? `api ${apiKey}`} v${apiVersion}`;
    this.seen.set(label, (this.seen.get(label) ?? 0) + 1);
    let body: Encoder;
    if (apiKey === 18) {
      body = this.#apiVersions(apiVersion);
    } else if (!api || api[1] !== apiVersion) {
      throw new Error(`unsupported request ${label}`);
    } else {
      const response = await this.#dispatch(apiKey, decoder, clientId);
      if (response === null) return; // acks=0 produce: no response
      body = response;
    }
    if (socket.destroyed) return;
    const payload = new Encoder().writeInt32(correlationId).writeEncoder(body);
    socket.write(new Encoder().writeInt32(payload.size()).writeEncoder(payload).buffer);
  }

  #dispatch(apiKey: number, d: Decoder, clientId: string): Promise<Encoder | null> | Encoder | null {
    switch (apiKey) {
      case 0:
        return this.#produce(d);
      case 1:
        return this.#fetch(d);
      case 2:
        return this.#listOffsets(d);
      case 3:
        return this.#metadata(d);
      case 8:
        return this.#offsetCommit(d);
      case 9:
        return this.#offsetFetch(d);
      case 10:
        d.readString();
        return new Encoder().writeInt16(ErrorCode.NONE).writeInt32(NODE_ID).writeString(this.host).writeInt32(this.#port);
      case 11:
        return this.#joinGroup(d, clientId);
      case 12: {
        const groupId = d.readString()!;
        const generation = d.readInt32();
        return new Encoder().writeInt16(this.#groups.heartbeat(groupId, generation, d.readString()!));
      }
      case 13: {
        const groupId = d.readString()!;
        return new Encoder().writeInt16(this.#groups.leave(groupId, d.readString()!));
      }
      case 14:
        return this.#syncGroup(d);
      case 19:
        return this.#createTopics(d);
      case 22:
        d.readString();
        d.readInt32();
        return new Encoder().writeInt32(0).writeInt16(ErrorCode.NONE).writeInt64(String(this.#nextProducerId++)).writeInt16(0);
      default:
        return null;
    }
  }

  /** ApiVersions v0–v2: error_code [api_key min max] (throttle_time_ms from v1). */
  #apiVersions(version: number): Encoder {
    if (version > 2) {
      // The client retries with a lower version when told this one is unsupported.
      return new Encoder().writeInt16(ErrorCode.UNSUPPORTED_VERSION).writeArray([]);
    }
    const apis = Object.entries(APIS).map(([key, [, v]]) => new Encoder().writeInt16(Number(key)).writeInt16(v).writeInt16(v));
    const body = new Encoder().writeInt16(ErrorCode.NONE).writeArray(apis);
    if (version >= 1) body.writeInt32(0);
    return body;
  }

  /** Metadata v1: [topics] (null = all) → brokers, controller, topic metadata. */
  #metadata(d: Decoder): Encoder {
    const count = d.readInt32();
    const names = count < 0 ? [...this.#topics.keys()] : Array.from({ length: count }, () => d.readString()!);
    const broker = new Encoder().writeInt32(NODE_ID).writeString(this.host).writeInt32(this.#port).writeString(null);
    const topics = names.map((name) => {
      const partitions = this.#topics.get(name);
      const topic = new Encoder()
        .writeInt16(partitions ? ErrorCode.NONE : ErrorCode.UNKNOWN_TOPIC_OR_PARTITION)
        .writeString(name)
        .writeBoolean(false);
      return topic.writeArray(
        (partitions ?? []).map((_, id) =>
          new Encoder().writeInt16(ErrorCode.NONE).writeInt32(id).writeInt32(NODE_ID).writeArray([NODE_ID], 'int32').writeArray([NODE_ID], 'int32'),
        ),
      );
    });
    return new Encoder().writeArray([broker]).writeInt32(NODE_ID).writeArray(topics);
  }

  /** CreateTopics v0: [topic num_partitions replication_factor [assignment] [config]] timeout. */
  #createTopics(d: Decoder): Encoder {
    const requests = d.readArray((t) => {
      const name = t.readString()!;
      const partitions = t.readInt32();
      t.readInt16();
      t.readArray((a) => {
        a.readInt32();
        a.readArray((r) => r.readInt32());
      });
      t.readArray((c) => {
        c.readString();
        c.readString();
      });
      return { name, partitions };
    });
    d.readInt32();
    return new Encoder().writeArray(
      requests.map(({ name, partitions }) => {
        if (this.#topics.has(name)) return new Encoder().writeString(name).writeInt16(ErrorCode.TOPIC_ALREADY_EXISTS);
        this.#topics.set(
          name,
          Array.from({ length: partitions > 0 ? partitions : 1 }, () => new PartitionLog()),
        );
        return new Encoder().writeString(name).writeInt16(ErrorCode.NONE);
      }),
    );
  }

  /** Produce v3: transactional_id acks timeout [topic [partition record_set]]. */
  #produce(d: Decoder): Encoder | null {
    d.readString();
    const acks = d.readInt16();
    d.readInt32();
    const topics = d.readArray((t) => ({
      name: t.readString()!,
      partitions: t.readArray((p) => ({ partition: p.readInt32(), records: p.readBytes() ?? Buffer.alloc(0) })),
    }));
    const responses = topics.map(({ name, partitions }) => {
      const log = this.#topics.get(name);
      const results = partitions.map(({ partition, records }) => {
        const target = log?.[partition];
        if (!target) return { partition, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, baseOffset: -1n };
        return { partition, ...this.#appendBatches(target, records) };
      });
      return new Encoder()
        .writeString(name)
        .writeArray(results.map((r) => new Encoder().writeInt32(r.partition).writeInt16(r.errorCode).writeInt64(String(r.baseOffset)).writeInt64(-1)));
    });
    for (const wake of this.#fetchWaiters.splice(0)) wake();
    if (acks === 0) return null;
    return new Encoder().writeArray(responses).writeInt32(0);
  }

  /**
   * Appends the record batches of one produce entry. RecordBatch v2 header offsets:
   * baseOffset 0, length 8, lastOffsetDelta 23, producerId 43, producerEpoch 51, baseSequence 53.
   */
  #appendBatches(log: PartitionLog, records: Buffer): { errorCode: number; baseOffset: bigint } {
    let position = 0;
    let first = -1n;
    while (position + 12 <= records.length) {
      const size = 12 + records.readInt32BE(position + 8);
      const batch = Buffer.from(records.subarray(position, position + size));
      position += size;
      const lastOffsetDelta = batch.readInt32BE(23);
      const producerId = batch.readBigInt64BE(43);
      const epoch = batch.readInt16BE(51);
      const sequence = batch.readInt32BE(53);
      if (producerId >= 0n) {
        const known = log.sequences.get(producerId);
        if (known && known.epoch === epoch && sequence <= known.lastSequence) {
          // A retried batch already written: acknowledge it again, do not store it twice.
          if (first < 0n) first = known.baseOffset;
          continue;
        }
        if (known && known.epoch === epoch && sequence !== known.lastSequence + 1) {
          return { errorCode: ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER, baseOffset: -1n };
        }
        log.sequences.set(producerId, { epoch, lastSequence: sequence + lastOffsetDelta, baseOffset: log.next });
      }
      batch.writeBigInt64BE(log.next, 0);
      log.batches.push({ baseOffset: log.next, lastOffset: log.next + BigInt(lastOffsetDelta), bytes: batch });
      if (first < 0n) first = log.next;
      log.next += BigInt(lastOffsetDelta) + 1n;
    }
    return { errorCode: ErrorCode.NONE, baseOffset: first };
  }

  /** ListOffsets v1: replica_id [topic [partition timestamp]]; -2 = earliest, anything else = latest. */
  #listOffsets(d: Decoder): Encoder {
    d.readInt32();
    const topics = d.readArray((t) => ({
      name: t.readString()!,
      partitions: t.readArray((p) => ({ partition: p.readInt32(), timestamp: p.readInt64() })),
    }));
    return new Encoder().writeArray(
      topics.map(({ name, partitions }) =>
        new Encoder().writeString(name).writeArray(
          partitions.map(({ partition, timestamp }) => {
            const log = this.#topics.get(name)?.[partition];
            if (!log) return new Encoder().writeInt32(partition).writeInt16(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION).writeInt64(-1).writeInt64(-1);
            const offset = timestamp === -2n ? 0n : log.next;
            return new Encoder().writeInt32(partition).writeInt16(ErrorCode.NONE).writeInt64(-1).writeInt64(String(offset));
          }),
        ),
      ),
    );
  }

  /** Fetch v4: long-polls up to max_wait_time when nothing is available at the asked offsets. */
  async #fetch(d: Decoder): Promise<Encoder> {
    d.readInt32();
    const maxWait = d.readInt32();
    d.readInt32();
    d.readInt32();
    d.readInt8();
    const topics = d.readArray((t) => ({
      name: t.readString()!,
      partitions: t.readArray((p) => ({ partition: p.readInt32(), offset: p.readInt64(), maxBytes: p.readInt32() })),
    }));
    const deadline = Date.now() + maxWait;
    for (;;) {
      const collected = topics.map(({ name, partitions }) => ({
        name,
        partitions: partitions.map(({ partition, offset, maxBytes }) => this.#read(name, partition, offset, maxBytes)),
      }));
      const bytes = collected.reduce((sum, t) => sum + t.partitions.reduce((s, p) => s + p.records.length, 0), 0);
      const remaining = deadline - Date.now();
      if (bytes > 0 || remaining <= 0 || this.#sockets.size === 0) {
        return new Encoder().writeInt32(0).writeArray(
          collected.map(({ name, partitions }) =>
            new Encoder().writeString(name).writeArray(
              partitions.map((p) =>
                new Encoder()
                  .writeInt32(p.partition)
                  .writeInt16(p.errorCode)
                  .writeInt64(String(p.highWatermark))
                  .writeInt64(String(p.highWatermark))
                  .writeArray([])
                  .writeBytes(p.records),
              ),
            ),
          ),
        );
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, remaining);
        this.#fetchWaiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  #read(topic: string, partition: number, offset: bigint, maxBytes: number): { partition: number; errorCode: number; highWatermark: bigint; records: Buffer } {
    const log = this.#topics.get(topic)?.[partition];
    if (!log) return { partition, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, highWatermark: -1n, records: Buffer.alloc(0) };
    if (offset < 0n || offset > log.next) return { partition, errorCode: ErrorCode.OFFSET_OUT_OF_RANGE, highWatermark: log.next, records: Buffer.alloc(0) };
    const chunks: Buffer[] = [];
    let size = 0;
    // Whole batches from the one holding `offset` on; the client skips records below `offset`.
    for (const batch of log.batches) {
      if (batch.lastOffset < offset) continue;
      if (size > 0 && size + batch.bytes.length > maxBytes) break;
      chunks.push(batch.bytes);
      size += batch.bytes.length;
    }
    return { partition, errorCode: ErrorCode.NONE, highWatermark: log.next, records: Buffer.concat(chunks) };
  }

  /** JoinGroup v1: group_id session_timeout rebalance_timeout member_id protocol_type [name metadata]. */
  async #joinGroup(d: Decoder, clientId: string): Promise<Encoder> {
    const groupId = d.readString()!;
    const sessionTimeoutMs = d.readInt32();
    const rebalanceTimeoutMs = d.readInt32();
    const memberId = d.readString() ?? '';
    const protocolType = d.readString() ?? '';
    const protocols = d.readArray((p) => ({ name: p.readString()!, metadata: p.readBytes() ?? Buffer.alloc(0) }));
    const result = await this.#groups.join({ groupId, sessionTimeoutMs, rebalanceTimeoutMs, memberId, protocolType, protocols, clientId });
    return new Encoder()
      .writeInt16(result.errorCode)
      .writeInt32(result.generationId)
      .writeString(result.protocol)
      .writeString(result.leaderId)
      .writeString(result.memberId)
      .writeArray(result.members.map((m) => new Encoder().writeString(m.memberId).writeBytes(m.metadata)));
  }

  /** SyncGroup v0: group_id generation_id member_id [member_id assignment]. */
  async #syncGroup(d: Decoder): Promise<Encoder> {
    const groupId = d.readString()!;
    const generationId = d.readInt32();
    const memberId = d.readString()!;
    const assignments = d.readArray((a) => ({ memberId: a.readString()!, assignment: a.readBytes() ?? Buffer.alloc(0) }));
    const result = await this.#groups.sync(groupId, generationId, memberId, assignments);
    return new Encoder().writeInt16(result.errorCode).writeBytes(result.assignment);
  }

  /** OffsetCommit v2: group_id generation member_id retention_time [topic [partition offset metadata]]. */
  #offsetCommit(d: Decoder): Encoder {
    const groupId = d.readString()!;
    const generationId = d.readInt32();
    const memberId = d.readString() ?? '';
    d.readInt64();
    const topics = d.readArray((t) => ({
      name: t.readString()!,
      partitions: t.readArray((p) => {
        const partition = p.readInt32();
        const offset = p.readInt64();
        p.readString();
        return { partition, offset };
      }),
    }));
    const offsets = topics.flatMap(({ name, partitions }) => partitions.map((p) => ({ topic: name, ...p })));
    const errorCode = this.#groups.commit(groupId, generationId, memberId, offsets);
    return new Encoder().writeArray(
      topics.map(({ name, partitions }) => new Encoder().writeString(name).writeArray(partitions.map((p) => new Encoder().writeInt32(p.partition).writeInt16(errorCode)))),
    );
  }

  /** OffsetFetch v1: group_id [topic [partition]] → offset (-1 when none) per partition. */
  #offsetFetch(d: Decoder): Encoder {
    const groupId = d.readString()!;
    const topics = d.readArray((t) => ({ name: t.readString()!, partitions: t.readArray((p) => p.readInt32()) }));
    return new Encoder().writeArray(
      topics.map(({ name, partitions }) =>
        new Encoder().writeString(name).writeArray(
          partitions.map((partition) =>
            new Encoder().writeInt32(partition).writeInt64(String(this.#groups.committed(groupId, name, partition))).writeString('').writeInt16(ErrorCode.NONE),
          ),
        ),
      ),
    );
  }
}
