/**
 * Key → partition, the same way on every backend: murmur2 of the UTF-8 key, as Kafka's Java
 * client and kafkajs's default partitioner compute it, so a VIN lands on the same partition number
 * whichever adapter (or foreign producer) wrote it.
 */

/** Kafka's murmur2 (seed 0x9747b28c) of `bytes`, as a signed 32-bit integer. */
export function murmur2(bytes: Uint8Array): number {
  const length = bytes.length;
  const m = 0x5bd1e995;
  const r = 24;
  let h = 0x9747b28c ^ length;
  const length4 = length >> 2;
  for (let i = 0; i < length4; i++) {
    const i4 = i * 4;
    let k = (bytes[i4]! & 0xff) + ((bytes[i4 + 1]! & 0xff) << 8) + ((bytes[i4 + 2]! & 0xff) << 16) + ((bytes[i4 + 3]! & 0xff) << 24);
    k = Math.imul(k, m);
    k ^= k >>> r;
    k = Math.imul(k, m);
    h = Math.imul(h, m);
    h ^= k;
  }
  const tail = length4 * 4;
  const rest = length % 4;
  if (rest === 3) h ^= (bytes[tail + 2]! & 0xff) << 16;
  if (rest >= 2) h ^= (bytes[tail + 1]! & 0xff) << 8;
  if (rest >= 1) {
    h ^= bytes[tail]! & 0xff;
    h = Math.imul(h, m);
  }
  h ^= h >>> 13;
  h = Math.imul(h, m);
  h ^= h >>> 15;
  return h | 0;
}

/** The partition of `key` among `partitions` (Kafka's `toPositive(murmur2(key)) % n`). */
export function partitionOf(key: string, partitions: number): number {
  return (murmur2(Buffer.from(key, 'utf8')) & 0x7fffffff) % partitions;
}
