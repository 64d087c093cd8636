/**
 * The one publisher/subscriber tool of the benchmark, used unchanged against Mosquitto and this
 * project's broker. It speaks MQTT 3.1.1 over raw sockets with packets encoded before the clock
 * starts (mqtt-packet), so the tool costs little CPU and the brokers, not the client library, are
 * what is measured (mqtt.js in the same process topped out near 5,000 msgs/s here, for both).
 *
 * - `pubSub`: `publishers` connections send `total` ~300-byte telemetry messages as fast as the
 *   broker takes them (QoS 1: a window of unacknowledged PUBLISHes; QoS 0: socket backpressure);
 *   one subscriber counts them (acknowledging QoS 1). Rate = received / (first send → last receipt).
 * - `fixedLoad`: `cars` connections together offer `rate` QoS 0 messages per second for
 *   `seconds`; the subscriber measures publish → receipt latency of each message.
 */
import { connect as netConnect, type Socket } from 'node:net';
import mqttPacket from 'mqtt-packet';
import { encodeTelemetry, sampleTelemetry, topics } from '@ecars/telemetry';

export interface Creds {
  username?: string;
  password?: string;
}
export interface Endpoint {
  port: number;
  /** VIN and credentials of publisher i (anonymous on Mosquitto). */
  publisher: (i: number) => Creds & { vin: string };
  subscriber: Creds;
}

const gen = (p: object) => mqttPacket.generate(p as mqttPacket.Packet);

/** Reads MQTT packets off a socket: calls `onPacket(type, body)` for each (type = high nibble). */
function frame(socket: Socket, onPacket: (type: number, body: Buffer) => void): void {
  let buf: Buffer = Buffer.alloc(0);
  socket.on('data', (d: Buffer) => {
    buf = buf.length ? Buffer.concat([buf, d]) : d;
    for (;;) {
      if (buf.length < 2) return;
      let len = 0;
      let mul = 1;
      let i = 1;
      for (; i < 5; i++) {
        if (i >= buf.length) return;
        const b = buf[i]!;
        len += (b & 127) * mul;
        mul *= 128;
        if ((b & 128) === 0) break;
      }
      const start = i + 1;
      if (buf.length < start + len) return;
      onPacket(buf[0]! >> 4, buf.subarray(start, start + len));
      buf = buf.subarray(start + len);
    }
  });
}

/** Opens a socket and completes CONNECT/CONNACK; rejects on a refusal. */
export function rawConnect(port: number, clientId: string, creds: Creds, onPacket?: (type: number, body: Buffer, s: Socket) => void): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = netConnect(port, '127.0.0.1');
    s.setNoDelay(true);
    let connected = false;
    const timer = setTimeout(() => reject(new Error(`no CONNACK for ${clientId}`)), 30_000);
    frame(s, (type, body) => {
      if (!connected && type === 2) {
        clearTimeout(timer);
        if (body[1] !== 0) return reject(new Error(`CONNACK ${body[1]} for ${clientId}`));
        connected = true;
        return resolve(s);
      }
      onPacket?.(type, body, s);
    });
    s.once('error', reject);
    s.write(gen({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: 4, clean: true, clientId, keepalive: 60, ...creds }));
  });
}

/** A subscriber that counts PUBLISHes (and PUBACKs QoS 1), calling `onMessage` with the payload. */
async function subscriber(port: number, creds: Creds, qos: 0 | 1, onMessage: (payload: Buffer) => void): Promise<Socket> {
  let subacked: () => void = () => {};
  const suback = new Promise<void>((r) => (subacked = r));
  const s = await rawConnect(port, `bench-sub-${process.pid}-${Math.random().toString(36).slice(2)}`, creds, (type, body, sock) => {
    if (type === 9) return subacked();
    if (type !== 3) return;
    const topicLen = body.readUInt16BE(0);
    let off = 2 + topicLen;
    if (qos === 1) {
      const id = body.readUInt16BE(off);
      off += 2;
      sock.write(Buffer.from([0x40, 2, id >> 8, id & 255]));
    }
    onMessage(body.subarray(off));
  });
  s.write(gen({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: topics.allTelemetry, qos }] }));
  await suback;
  return s;
}

function close(sockets: Socket[]): Promise<void> {
  return Promise.all(
    sockets.map(
      (s) =>
        new Promise<void>((r) => {
          if (s.destroyed) return r();
          s.once('close', () => r());
          s.end(Buffer.from([0xe0, 0])); // DISCONNECT
          setTimeout(() => s.destroy(), 1000).unref();
        }),
    ),
  ).then(() => undefined);
}

export interface PubSubResult {
  sent: number;
  received: number;
  msgsPerSec: number;
  elapsedMs: number;
}

/** Publishes `total` messages over `publishers` connections; resolves when all arrived or the stream went quiet. */
export async function pubSub(ep: Endpoint, qos: 0 | 1, total: number, publishers: number, seqBase: number, window = 100): Promise<PubSubResult> {
  let received = 0;
  let last = 0;
  let resolveAll: () => void = () => {};
  const all = new Promise<void>((r) => (resolveAll = r));
  const sub = await subscriber(ep.port, ep.subscriber, qos, () => {
    received++;
    last = performance.now();
    if (received === total) resolveAll();
  });
  const perPub = Math.ceil(total / publishers);
  // Every packet encoded before the clock starts.
  const packets = Array.from({ length: publishers }, (_, p) => {
    const { vin } = ep.publisher(p);
    const n = Math.max(0, Math.min(perPub, total - p * perPub));
    return Array.from({ length: n }, (_, k) =>
      gen({ cmd: 'publish', topic: topics.telemetry(vin), qos, retain: false, dup: false, messageId: qos ? (k % 65_535) + 1 : undefined, payload: encodeTelemetry(sampleTelemetry({ vin, seq: seqBase + k, ts: Date.now() })) }),
    );
  });
  const acks: Array<() => void> = [];
  const pubs = await Promise.all(
    packets.map((_, p) => {
      const c = ep.publisher(p);
      return rawConnect(ep.port, `bench-pub-${process.pid}-${seqBase}-${p}`, c, (type) => {
        if (type === 4) acks[p]?.();
      });
    }),
  );
  const start = performance.now();
  let sent = 0;
  await Promise.all(
    pubs.map(
      (s, p) =>
        new Promise<void>((done) => {
          const list = packets[p]!;
          let next = 0;
          let inflight = 0;
          if (list.length === 0) return done();
          const pump = () => {
            while (next < list.length && (qos === 0 || inflight < window)) {
              inflight++;
              sent++;
              const ok = s.write(list[next++]!);
              if (qos === 0 && !ok) return void s.once('drain', pump);
            }
            if (next >= list.length && (qos === 0 || inflight === 0)) done();
          };
          acks[p] = () => {
            inflight--;
            pump();
          };
          pump();
        }),
    ),
  );
  for (;;) {
    await Promise.race([all, new Promise((r) => setTimeout(r, 200))]);
    if (received >= total || (last > 0 && performance.now() - last > 2000) || (last === 0 && performance.now() - start > 20_000)) break;
  }
  const elapsedMs = (last || performance.now()) - start;
  await close([...pubs, sub]);
  return { sent, received, msgsPerSec: Math.round((received * 1000) / elapsedMs), elapsedMs: Math.round(elapsedMs) };
}

export interface LatencyResult {
  sent: number;
  received: number;
  /** Sorted latencies, ms. */
  latencies: number[];
}

/** Offers `rate` QoS 0 msgs/s from `cars` connections for `seconds`; measures publish → subscriber latency. */
export async function fixedLoad(port: number, cars: Array<Creds & { vin: string }>, subCreds: Creds, rate: number, seconds: number, seqBase: number): Promise<LatencyResult> {
  const total = Math.round(rate * seconds);
  const sentAt = new Float64Array(total);
  const latencies: number[] = [];
  const sub = await subscriber(port, subCreds, 0, (payload) => {
    // The reading's seq (seqBase + index) locates its send time without a JSON parse.
    const i = payload.indexOf('"seq":');
    const seq = Number.parseInt(payload.toString('latin1', i + 6, i + 26), 10) - seqBase;
    if (seq >= 0 && seq < total && sentAt[seq]! > 0) latencies.push(performance.now() - sentAt[seq]!);
  });
  const socks: Socket[] = [];
  for (let i = 0; i < cars.length; i += 100) {
    socks.push(...(await Promise.all(cars.slice(i, i + 100).map((c, k) => rawConnect(port, `lat-${process.pid}-${i + k}`, c)))));
  }
  const packets = Array.from({ length: total }, (_, k) => {
    const { vin } = cars[k % cars.length]!;
    return gen({ cmd: 'publish', topic: topics.telemetry(vin), qos: 0, retain: false, dup: false, payload: encodeTelemetry(sampleTelemetry({ vin, seq: seqBase + k, ts: Date.now() })) });
  });
  const start = performance.now();
  let next = 0;
  // The schedule follows the clock, not timer ticks: a late tick sends what is owed.
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const due = Math.min(total, Math.floor(((performance.now() - start) / 1000) * rate));
      for (; next < due; next++) {
        sentAt[next] = performance.now();
        socks[next % socks.length]!.write(packets[next]!);
      }
      if (next >= total) {
        clearInterval(timer);
        resolve();
      }
    }, 2);
  });
  for (let i = 0; i < 200 && latencies.length < total; i++) await new Promise((r) => setTimeout(r, 25));
  await close([...socks, sub]);
  latencies.sort((a, b) => a - b);
  return { sent: total, received: latencies.length, latencies };
}
