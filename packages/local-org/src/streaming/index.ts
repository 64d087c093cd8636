export { streamingPlugin } from './streaming-plugin.js';
export type { StreamingPluginOptions } from './streaming-plugin.js';
export { StreamingHub } from './streaming-hub.js';
export type { PublishedEvent, StreamingOptions, SubscribeOptions } from './streaming-hub.js';
export type { StreamingEventData, StreamingMessage } from './messages.js';
export { ALL_CHANGE_EVENTS, changeEventChannel, platformEventChannel } from './channels.js';
export { enqueuedStatus, isPlatformEvent, publishPlatformEvent, publishPlatformEvents } from './platform-events.js';
export type { PublishResult } from './platform-events.js';
// Internal on purpose: the CometD server, the event-log SQL, replay cursors and message building
// are reached through the plugin and the hub.
