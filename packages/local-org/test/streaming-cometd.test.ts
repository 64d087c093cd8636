/**
 * The CometD endpoint as a protocol: handshake and advice, held connects, auth, errors, many
 * concurrent jsforce subscribers, cleanup of clients that stop connecting.
 */
import { StreamingExtension } from 'jsforce/lib/api/streaming.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { LocalOrg } from '../src/index.js';
import { call, connect } from './utils/org-fixture.js';
import { bayeux, connectOnce, handshake, subscribe } from './utils/streaming-bayeux.js';
import { eventually, startStreamingOrg, Subscriber } from './utils/streaming-fixture.js';

/** Shorter than the fixture's default: this file waits for idle connects and client expiry. */
const CONNECT_TIMEOUT_MS = 1000;
let org: LocalOrg;
const open: Subscriber[] = [];
let vin = 0;

beforeAll(async () => {
  org = await startStreamingOrg({ streaming: { connectTimeoutMs: CONNECT_TIMEOUT_MS } });
});
afterEach(() => {
  for (const s of open.splice(0)) s.close();
});
afterAll(async () => {
  await org?.stop();
});

const streamingStats = () => org.stats()['streaming'] as { subscribers: number; subscriptions: number };
const createVehicle = (name: string) =>
  call(org, 'POST', `/services/data/v${org.apiVersion}/sobjects/Vehicle__c`, { Name: name, VIN__c: `CMT${String(++vin).padStart(14, '0')}` });

describe('CometD handshake and connect', () => {
  it('answers a handshake like Salesforce: long-polling only, retry advice with the connect timeout, replay supported', async () => {
    const { status, replies } = await bayeux(org, [{ channel: '/meta/handshake', version: '1.0', supportedConnectionTypes: ['long-polling', 'websocket'] }]);
    expect(status).toBe(200);
    expect(replies).toHaveLength(1);
    expect(replies[0]).toMatchObject({
      channel: '/meta/handshake',
      successful: true,
      version: '1.0',
      supportedConnectionTypes: ['long-polling'],
      advice: { interval: 0, timeout: CONNECT_TIMEOUT_MS, reconnect: 'retry' },
      ext: { replay: true, 'payload.format': true },
    });
    expect(replies[0]?.clientId).toMatch(/^[a-z0-9]+$/);
  });

  it('holds an idle connect until the timeout and answers at once when an event commits', async () => {
    const clientId = await handshake(org);
    expect(await subscribe(org, clientId, '/data/Vehicle__ChangeEvent')).toMatchObject({ successful: true, subscription: '/data/Vehicle__ChangeEvent' });
    // The first connect of a client is held too (nothing to deliver yet).
    const idle = await connectOnce(org, clientId);
    expect(idle.ms).toBeGreaterThanOrEqual(CONNECT_TIMEOUT_MS - 100);
    expect(idle.replies).toEqual([expect.objectContaining({ channel: '/meta/connect', successful: true })]);

    const held = connectOnce(org, clientId);
    await new Promise((r) => setTimeout(r, 100));
    expect((await createVehicle('Held')).status).toBe(201);
    const { ms, replies } = await held;
    expect(ms).toBeLessThan(CONNECT_TIMEOUT_MS - 300);
    expect(replies.map((r) => r.channel)).toEqual(['/meta/connect', '/data/Vehicle__ChangeEvent']);
    expect(replies[1]?.data?.payload).toMatchObject({ Name: 'Held', ChangeEventHeader: { changeType: 'CREATE', entityName: 'Vehicle__c' } });
  });

  it('does not lose an event committed between subscribe and the first connect', async () => {
    const clientId = await handshake(org);
    expect((await subscribe(org, clientId, '/data/Vehicle__ChangeEvent', -1)).successful).toBe(true);
    expect((await createVehicle('Before first connect')).status).toBe(201);
    const { ms, replies } = await connectOnce(org, clientId);
    expect(ms).toBeLessThan(1000);
    expect(replies.filter((r) => r.data).map((r) => r.data?.payload['Name'])).toEqual(['Before first connect']);
  });

  it('answers a connect of an unknown client with 403::Unknown client and handshake advice', async () => {
    const { replies } = await connectOnce(org, 'nosuchclient');
    expect(replies[0]).toMatchObject({ channel: '/meta/connect', successful: false, error: '403::Unknown client', advice: { reconnect: 'handshake' } });
  });

  it('refuses a connection type other than long-polling', async () => {
    const clientId = await handshake(org);
    const { replies } = await bayeux(org, [{ channel: '/meta/connect', clientId, connectionType: 'callback-polling' }]);
    expect(replies[0]).toMatchObject({ successful: false, error: '400::Invalid connection type callback-polling' });
  });

  it('refuses publishing over CometD', async () => {
    const clientId = await handshake(org);
    const { replies } = await bayeux(org, [{ channel: '/event/Car_Telemetry_Alert__e', clientId, data: { VIN__c: 'X' } }]);
    expect(replies[0]).toMatchObject({ successful: false, error: '403::Publishing to /event/Car_Telemetry_Alert__e is not allowed' });
  });

  it('answers an API version the org does not serve with 400', async () => {
    const { status, replies } = await bayeux(org, [{ channel: '/meta/handshake', version: '1.0' }], { version: '20.0' });
    expect(status).toBe(400);
    expect(replies[0]?.error).toMatch(/^400::Unsupported API version/);
  });

  it('refuses a subscription to a channel the org does not have with Salesforce\'s error', async () => {
    const clientId = await handshake(org);
    for (const channel of ['/data/ContactChangeEvent', '/event/No_Such__e', '/topic/InvoiceUpdates', '/data/vehicle__ChangeEvent']) {
      expect(await subscribe(org, clientId, channel)).toMatchObject({
        successful: false,
        error: `400::The channel you requested to subscribe to does not exist {${channel}}`,
      });
    }
  });
});

describe('CometD authentication', () => {
  it('answers a request without a token with 401 and a denied handshake that stops the client', async () => {
    const { status, replies } = await bayeux(org, [{ channel: '/meta/handshake', version: '1.0', supportedConnectionTypes: ['long-polling'] }], { token: null });
    expect(status).toBe(401);
    expect(replies).toEqual([
      {
        channel: '/meta/handshake',
        successful: false,
        error: '403::Handshake denied',
        ext: { sfdc: { failureReason: '401::Request requires authentication' } },
        advice: { reconnect: 'none' },
      },
    ]);
  });

  it('lets jsforce\'s AuthFailure extension detect an invalid token', async () => {
    let failure: unknown;
    const ext = new StreamingExtension.AuthFailure((message: unknown) => (failure = message));
    const client = connect({ ...org, accessToken: 'not-a-token' }).streaming.createClient([ext]);
    void client.subscribe('/data/Vehicle__ChangeEvent', () => undefined);
    await eventually(() => failure !== undefined, 5000, 'AuthFailure callback');
    expect(failure).toMatchObject({
      channel: '/meta/handshake',
      successful: false,
      error: '403::Handshake denied',
      ext: { sfdc: { failureReason: '401::Authentication invalid' } },
      advice: { reconnect: 'none' },
    });
  });
});

describe('CometD subscribers', () => {
  it('delivers every event to 20 concurrent jsforce subscribers, in order, once', async () => {
    const subscribers = await Promise.all(Array.from({ length: 20 }, () => Subscriber.open(org, '/data/Vehicle__ChangeEvent')));
    open.push(...subscribers);
    for (let i = 0; i < 5; i++) expect((await createVehicle(`Fan-out ${i}`)).status).toBe(201);
    for (const s of subscribers) {
      const got = await s.waitFor(5);
      expect(got.map((m) => m.payload['Name'])).toEqual(['Fan-out 0', 'Fan-out 1', 'Fan-out 2', 'Fan-out 3', 'Fan-out 4']);
    }
    await new Promise((r) => setTimeout(r, 300));
    expect(subscribers.map((s) => s.received.length)).toEqual(Array(20).fill(5));
    const ids = subscribers[0]!.received.map((m) => m.event.replayId);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(new Set(subscribers.map((s) => s.received.map((m) => m.event.replayId).join()))).toHaveLength(1);
  });

  it('forgets clients that stop connecting: their subscriptions go and their client ids become unknown', async () => {
    const clientId = await handshake(org);
    expect((await subscribe(org, clientId, '/data/Vehicle__ChangeEvent')).successful).toBe(true);
    expect(streamingStats().subscribers).toBeGreaterThanOrEqual(1);
    // faye drops a client that has not connected for twice the connect timeout; so are the raw
    // clients of the tests above, and the jsforce ones disconnected after each test.
    await eventually(() => streamingStats().subscribers === 0, 3 * CONNECT_TIMEOUT_MS + 1000, 'cleanup');
    expect(streamingStats()).toEqual({ subscribers: 0, subscriptions: 0 });
    const { replies } = await connectOnce(org, clientId);
    expect(replies[0]).toMatchObject({ successful: false, error: '403::Unknown client' });
  });

  it('drops a client that disconnects', async () => {
    await eventually(() => streamingStats().subscribers === 0, 3 * CONNECT_TIMEOUT_MS + 1000, 'quiet org');
    const s = await Subscriber.open(org, '/data/ChangeEvents');
    expect(streamingStats()).toEqual({ subscribers: 1, subscriptions: 1 });
    s.close();
    await eventually(() => streamingStats().subscribers === 0, 3000, 'disconnect');
  });
});
