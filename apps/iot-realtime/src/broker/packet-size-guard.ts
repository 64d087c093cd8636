/**
 * Bounds the size of MQTT packets on a TCP connection before they are buffered. Aedes's parser
 * (mqtt-packet) accepts any remaining length up to 256 MB and buffers the whole packet, so a
 * single client could make the broker hold hundreds of megabytes; the guard follows the packet
 * boundaries of the byte stream (fixed header: type byte + variable-length remaining length) and
 * reports the first packet whose remaining length exceeds the limit, so the connection can be
 * closed before its body arrives. (WebSocket frames are bounded by ws's maxPayload instead.)
 */
export class PacketSizeGuard {
  /** Bytes of the current packet's body still to skip. */
  #skip = 0;
  /** 0 = expecting a type byte; 1…4 = reading remaining-length byte n. */
  #lenByte = 0;
  #len = 0;
  #mul = 1;

  constructor(private readonly maxRemainingLength: number) {}

  /** Feeds the next chunk; returns the offending remaining length, or -1 while every packet fits. */
  feed(chunk: Uint8Array): number {
    let i = 0;
    while (i < chunk.length) {
      if (this.#skip > 0) {
        const n = Math.min(this.#skip, chunk.length - i);
        this.#skip -= n;
        i += n;
        continue;
      }
      const b = chunk[i++]!;
      if (this.#lenByte === 0) {
        this.#lenByte = 1;
        this.#len = 0;
        this.#mul = 1;
        continue;
      }
      this.#len += (b & 127) * this.#mul;
      this.#mul *= 128;
      if (this.#len > this.maxRemainingLength) return this.#len;
      if ((b & 128) === 0 || this.#lenByte === 4) {
        this.#lenByte = 0;
        this.#skip = this.#len;
      } else this.#lenByte++;
    }
    return -1;
  }
}
