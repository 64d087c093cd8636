/**
 * Who may publish and subscribe where: pure functions of the principal and the topic, so every
 * rule is unit-tested without a broker.
 */
import { parseVehicleTopic } from '@ecars/telemetry';
import type { Principal } from '../services/credentials.js';

/** True when every topic matched by `filter` is matched by `pattern` (MQTT wildcards). */
export function covers(pattern: string, filter: string): boolean {
  const p = pattern.split('/');
  const f = filter.split('/');
  for (let i = 0; i < p.length; i++) {
    const pl = p[i]!;
    if (pl === '#') return true;
    const fl = f[i];
    if (fl === undefined) return false;
    if (fl === '#') return false;
    if (pl === '+') continue;
    if (fl === '+' || fl !== pl) return false;
  }
  return f.length === p.length;
}

/** `$`-topics (`$SYS/…`) belong to the broker: no client publishes or subscribes there. */
export function isReservedTopic(topic: string): boolean {
  return topic.startsWith('$');
}

export type AclRefusal = 'reserved_topic' | 'foreign_topic' | 'not_allowed';
export type PublishDecision = { ok: true; kind: 'telemetry' | 'status' | 'other' } | { ok: false; reason: AclRefusal };

export function authorizePublish(principal: Principal, topic: string): PublishDecision {
  if (isReservedTopic(topic)) return { ok: false, reason: 'reserved_topic' };
  if (principal.kind === 'vehicle') {
    const t = parseVehicleTopic(topic);
    if (!t || t.kind === 'commands') return { ok: false, reason: 'not_allowed' };
    if (t.vin !== principal.vin) return { ok: false, reason: 'foreign_topic' };
    return { ok: true, kind: t.kind };
  }
  if (principal.publish.some((p) => covers(p, topic))) return { ok: true, kind: 'other' };
  return { ok: false, reason: 'not_allowed' };
}

export type SubscribeDecision = { ok: true } | { ok: false; reason: AclRefusal };

export function authorizeSubscribe(principal: Principal, filter: string): SubscribeDecision {
  if (isReservedTopic(filter)) return { ok: false, reason: 'reserved_topic' };
  if (principal.kind === 'vehicle') {
    const t = parseVehicleTopic(filter);
    if (t?.kind === 'commands' && t.vin === principal.vin) return { ok: true };
    return { ok: false, reason: t && t.vin !== principal.vin ? 'foreign_topic' : 'not_allowed' };
  }
  if (principal.subscribe.some((p) => covers(p, filter))) return { ok: true };
  return { ok: false, reason: 'not_allowed' };
}
