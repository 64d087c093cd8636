import { connect as netConnect, type Socket } from 'node:net';
import fc from 'fast-check';
import mqttPacket from 'mqtt-packet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PacketSizeGuard } from '../src/broker/packet-size-guard.js';
import { connect, metric, once, randomVin, startApp, type Running } from './helpers/harness.js';

const publish = (size: number) => mqttPacket.generate({ cmd: 'publish', topic: 'a/b', payload: Buffer.alloc(size), qos: 0, retain: false, dup: false } as mqttPacket.Packet);

describe('PacketSizeGuard', () => {
  it('follows packet boundaries however the stream is split, and flags the first oversized packet', () => {
    fc.assert(
      fc.property(fc.array(fc.nat({ max: 3000 }), { minLength: 1, maxLength: 20 }), fc.array(fc.integer({ min: 1, max: 700 }), { maxLength: 50 }), (sizes, cuts) => {
        const limit = 2000;
        const stream = Buffer.concat(sizes.map(publish));
        const guard = new PacketSizeGuard(limit);
        let flagged = -1;
        let at = 0;
        for (const cut of [...cuts, stream.length]) {
          if (at >= stream.length) break;
          const r = guard.feed(stream.subarray(at, at + cut));
          at += cut;
          if (r >= 0) {
            flagged = r;
            break;
          }
        }
        const first = sizes.find((s) => s + 5 > limit); // body = topic (2 + 3) + payload
        expect(flagged).toBe(first === undefined ? -1 : first + 5);
      }),
      { numRuns: 300 },
    );
  });
});

describe('packet size limit on TCP', () => {
  let run: Running;
  beforeAll(async () => {
    run = await startApp({ maxPayloadBytes: 1024 });
  });
  afterAll(async () => {
    await run.close();
  });

  it('closes a connection that announces a packet far above the limit before its body arrives', async () => {
    const vin = randomVin();
    const car = await connect(run.mqttUrl, { username: vin, password: await run.app.iot.credentials.addVehicle(vin) });
    const closed = once(car, 'close');
    // Only the header of a 100 MB PUBLISH: the broker must not wait for (or buffer) the body.
    (car.stream as Socket).write(Buffer.from([0x30, 0x80, 0x80, 0x80, 0x30]));
    await closed;
    expect(await metric(run.app, 'iot_refused_total', { action: 'packet', reason: 'packet_too_large' })).toBe(1);
    // The broker still serves others.
    const s = netConnect(run.app.iot.mqttPort!, '127.0.0.1');
    await once(s, 'connect');
    s.destroy();
  });
});
