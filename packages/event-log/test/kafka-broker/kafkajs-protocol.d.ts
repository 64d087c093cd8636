// Types for the two kafkajs protocol primitives the test broker reuses (kafkajs ships none for
// its internals; the package pins kafkajs exactly, so these paths do not move under us).
declare module 'kafkajs/src/protocol/encoder.js' {
  export default class Encoder {
    constructor(initialSize?: number);
    writeInt8(value: number): this;
    writeInt16(value: number): this;
    writeInt32(value: number): this;
    writeInt64(value: number | string | bigint): this;
    writeBoolean(value: boolean): this;
    writeString(value: string | null): this;
    writeBytes(value: Buffer | null): this;
    writeBuffer(value: Buffer): this;
    writeEncoder(value: Encoder): this;
    writeArray(array: readonly (Encoder | number | string)[], type?: 'int32' | 'string' | 'object'): this;
    size(): number;
    readonly buffer: Buffer;
  }
}

declare module 'kafkajs/src/protocol/decoder.js' {
  export default class Decoder {
    constructor(buffer: Buffer);
    offset: number;
    readInt8(): number;
    readInt16(): number;
    readInt32(): number;
    readInt64(): bigint;
    readBoolean(): boolean;
    readString(): string | null;
    readBytes(): Buffer | null;
    readArray<T>(reader: (decoder: Decoder) => T): T[];
    canReadInt32(): boolean;
  }
}
