/**
 * The broker's message bus: mqemitter (what Aedes uses by default) without its concurrency queue.
 *
 * Why: with a limit (Aedes's default is 100 in flight), mqemitter queues further messages while
 * deliveries wait for slow sockets, and when a slot frees it releases the queue recursively —
 * every message whose deliveries complete synchronously releases the next inside the same stack.
 * A few thousand queued messages overflow the stack and crash the process ("Maximum call stack
 * size exceeded" in Qlobber.match / MQEmitter._do; mcollina/mqemitter#204, moscajs/aedes#193);
 * the benchmark hit it at ~3,000 msgs/s from 1,000 cars. Without the limit nothing is queued, so
 * nothing is released recursively. What bounds the work in flight instead: Aedes reads the next
 * packets of a connection only after its previous ones were delivered, so in-flight messages are
 * bounded by connections × one socket read, and `drainTimeout` cuts off a subscriber that stalls.
 */
import mqemitter, { type MQEmitter } from 'mqemitter';

export function createMq(): MQEmitter {
  // matchEmptyLevels as Aedes sets it: [MQTT-4.7.1-3].
  return mqemitter({ concurrency: 0, matchEmptyLevels: true });
}
