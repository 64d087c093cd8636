/**
 * Streaming channel names and what each one carries:
 * - `/data/ChangeEvents`: change events of every CDC-enabled entity;
 * - `/data/<Entity>ChangeEvent`: one entity's (`/data/AccountChangeEvent`; a custom object drops
 *   the `c` of `__c`: `/data/Vehicle__ChangeEvent` for `Vehicle__c`);
 * - `/event/<Name>__e`: a platform event's messages.
 * A per-entity channel exists only while CDC is enabled for the entity (force-app's
 * `ChangeEvents` members or `cdcEntities`), so a forgotten selection fails loudly at subscribe.
 */
import type { Schema } from '../schema/schema.js';

/** The standard channel of all change events. */
export const ALL_CHANGE_EVENTS = '/data/ChangeEvents';

/** Where a channel's events come from. */
export type ChannelSource =
  | { kind: 'change'; channel: string; entities: string[] }
  | { kind: 'event'; channel: string; eventName: string };

/** `Account` → `/data/AccountChangeEvent`, `Vehicle__c` → `/data/Vehicle__ChangeEvent`. */
export function changeEventChannel(objectName: string): string {
  const base = objectName.endsWith('__c') ? objectName.slice(0, -1) : objectName;
  return `/data/${base}ChangeEvent`;
}

/** `Car_Telemetry_Alert__e` → `/event/Car_Telemetry_Alert__e`. */
export function platformEventChannel(eventName: string): string {
  return `/event/${eventName}`;
}

/** True for a platform event (`__e`): published to the event bus, never stored as a record. */
export function isPlatformEventName(name: string): boolean {
  return name.toLowerCase().endsWith('__e');
}

/** The source of `channel`, or undefined when the org has no such channel. Names are case-sensitive. */
export function resolveChannel(schema: Schema, channel: string): ChannelSource | undefined {
  const cdc = schema.objects().filter((o) => o.cdcEnabled);
  if (channel === ALL_CHANGE_EVENTS) return { kind: 'change', channel, entities: cdc.map((o) => o.name) };
  if (channel.startsWith('/data/')) {
    const o = cdc.find((x) => changeEventChannel(x.name) === channel);
    return o ? { kind: 'change', channel, entities: [o.name] } : undefined;
  }
  if (channel.startsWith('/event/')) {
    const name = channel.slice('/event/'.length);
    const o = schema.object(name);
    return o && o.name === name && isPlatformEventName(o.name) ? { kind: 'event', channel, eventName: o.name } : undefined;
  }
  return undefined;
}
