// lightning/empApi for jest: subscribe() records the handler per channel, and tests deliver
// events with jestMockPublish(channel, message), as the Streaming API would.
const handlers = new Map();

export const subscribe = jest.fn((channel, replayId, onMessage) => {
  handlers.set(channel, onMessage);
  return Promise.resolve({ id: `${channel}-subscription`, channel, replayId });
});

export const unsubscribe = jest.fn((subscription, callback) => {
  handlers.delete(subscription.channel);
  if (callback) callback({ successful: true });
  return Promise.resolve(true);
});

export const onError = jest.fn();
export const setDebugFlag = jest.fn().mockResolvedValue(true);
export const isEmpEnabled = jest.fn().mockResolvedValue(true);

/** Delivers `message` to the handler subscribed to `channel`; false when nothing listens. */
export function jestMockPublish(channel, message) {
  const handler = handlers.get(channel);
  if (!handler) return false;
  handler(message);
  return true;
}

/** Forgets every subscription (call in afterEach). */
export function jestMockReset() {
  handlers.clear();
}
