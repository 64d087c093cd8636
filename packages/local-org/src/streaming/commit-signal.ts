/**
 * "Platform events committed" signal, per org. Change events reach the streaming hub through
 * `RecordStore.onCommit`; platform events are published by code that holds only the org (the
 * REST and composite handlers), so they signal through this registry keyed by the org's store.
 */
import type { RecordStore } from '../data/record-store.js';

const listeners = new WeakMap<RecordStore, Set<() => void>>();

/** Calls `listener` after every commit that published platform events in `store`. Returns the remover. */
export function onPlatformEventsCommitted(store: RecordStore, listener: () => void): () => void {
  const set = listeners.get(store) ?? new Set<() => void>();
  listeners.set(store, set);
  set.add(listener);
  return () => set.delete(listener);
}

/** Tells the listeners of `store` that platform events committed. */
export function platformEventsCommitted(store: RecordStore): void {
  for (const listener of listeners.get(store) ?? []) listener();
}
