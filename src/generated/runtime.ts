/**
 * HAND-WRITTEN, not generated: the small runtime that the generated codecs in aurigraph.ts call
 * (scripts/gen-proto.ts never writes this file). It owns the parts of the protobuf wire format
 * that protobufjs leaves to `Long`: 64-bit integers are `bigint` here, read and written without
 * a Long library, and range-checked so a value that does not fit its field is an error instead
 * of silently wrapping.
 *
 * Decoded `bytes` fields are views onto the buffer that was decoded (no copy, for the hot
 * path); copy them if that buffer will be reused.
 */
import protobuf from 'protobufjs/minimal.js';

export type ProtoReader = protobuf.Reader;
export type ProtoWriter = protobuf.Writer;

/** Encodes, decodes and builds one message type. */
export interface MessageCodec<T> {
  /** Fully qualified protobuf name, e.g. `aurigraph.v11.Transaction`. */
  readonly typeName: string;
  /** The message's protobuf encoding. Throws RangeError when a number does not fit its field. */
  encode(message: T): Uint8Array;
  /** Parses an encoding. Throws an Error when the bytes are not a valid encoding of T. */
  decode(bytes: Uint8Array): T;
  /** A message with every field present: the given ones, and proto3 defaults for the rest. */
  create(partial?: Partial<T>): T;
}

const uint64Max = (1n << 64n) - 1n;
const int64Min = -(1n << 63n);
const int64Max = (1n << 63n) - 1n;
const wireTypeNames = ['varint', '64-bit', 'length-delimited', 'start-group', 'end-group', '32-bit'];

export function newWriter(): ProtoWriter {
  return protobuf.Writer.create();
}

export function newReader(bytes: Uint8Array): ProtoReader {
  if (!(bytes instanceof Uint8Array)) throw new TypeError('decode: expected a Uint8Array or Buffer');
  return protobuf.Reader.create(bytes);
}

/** grpc-js serializers must return a Buffer; this wraps without copying. */
export function toBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

// ---- encode-side range checks -------------------------------------------------------------

export function checkInt32(value: number, field: string): number {
  if (!Number.isInteger(value) || value < -0x80000000 || value > 0x7fffffff) {
    throw new RangeError(`${field}: ${String(value)} is not a signed 32-bit integer`);
  }
  return value;
}

export function checkUint32(value: number, field: string): number {
  if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) {
    throw new RangeError(`${field}: ${String(value)} is not an unsigned 32-bit integer`);
  }
  return value;
}

function unsignedBits(value: bigint, field: string): protobuf.Long {
  if (typeof value !== 'bigint' || value < 0n || value > uint64Max) {
    throw new RangeError(`${field}: ${String(value)} is not an unsigned 64-bit integer (bigint)`);
  }
  return { low: Number(value & 0xffffffffn), high: Number(value >> 32n), unsigned: true };
}

function signedBits(value: bigint, field: string): protobuf.Long {
  if (typeof value !== 'bigint' || value < int64Min || value > int64Max) {
    throw new RangeError(`${field}: ${String(value)} is not a signed 64-bit integer (bigint)`);
  }
  const bits = BigInt.asUintN(64, value);
  return { low: Number(bits & 0xffffffffn), high: Number(bits >> 32n), unsigned: false };
}

// ---- 64-bit writers ----------------------------------------------------------------------

export function writeUint64(writer: ProtoWriter, value: bigint, field: string): void {
  writer.uint64(unsignedBits(value, field));
}

export function writeInt64(writer: ProtoWriter, value: bigint, field: string): void {
  writer.int64(signedBits(value, field));
}

export function writeSint64(writer: ProtoWriter, value: bigint, field: string): void {
  writer.sint64(signedBits(value, field));
}

export function writeFixed64(writer: ProtoWriter, value: bigint, field: string): void {
  writer.fixed64(unsignedBits(value, field));
}

export function writeSfixed64(writer: ProtoWriter, value: bigint, field: string): void {
  writer.sfixed64(signedBits(value, field));
}

// ---- 64-bit readers ----------------------------------------------------------------------

export function readFixed64(reader: ProtoReader): bigint {
  const low = reader.fixed32();
  const high = reader.fixed32();
  return (BigInt(high) << 32n) | BigInt(low);
}

export function readSfixed64(reader: ProtoReader): bigint {
  return BigInt.asIntN(64, readFixed64(reader));
}

/** A base-128 varint of up to 10 bytes, as an unsigned 64-bit value. */
export function readUint64(reader: ProtoReader): bigint {
  // The first 7 bytes carry 49 bits, exact in a double; only longer varints need bigint steps.
  let small = 0;
  for (let byteIndex = 0; byteIndex < 7; byteIndex++) {
    const byte = nextByte(reader);
    small += (byte & 0x7f) * 2 ** (7 * byteIndex);
    if (byte < 0x80) return BigInt(small);
  }
  let value = BigInt(small);
  for (let byteIndex = 7; byteIndex < 10; byteIndex++) {
    const byte = nextByte(reader);
    value |= BigInt(byte & 0x7f) << BigInt(7 * byteIndex);
    if (byte < 0x80) return BigInt.asUintN(64, value);
  }
  throw new Error(`invalid varint: longer than 10 bytes at offset ${reader.pos}`);
}

export function readInt64(reader: ProtoReader): bigint {
  return BigInt.asIntN(64, readUint64(reader));
}

export function readSint64(reader: ProtoReader): bigint {
  const zigzag = readUint64(reader);
  return (zigzag >> 1n) ^ -(zigzag & 1n);
}

function nextByte(reader: ProtoReader): number {
  if (reader.pos >= reader.len) throw new RangeError(`index out of range: varint runs past the end (${reader.len} bytes)`);
  const byte = reader.buf[reader.pos];
  reader.pos += 1;
  if (byte === undefined) throw new RangeError(`index out of range at offset ${reader.pos - 1}`);
  return byte;
}

// ---- structure ---------------------------------------------------------------------------

/** A length-delimited field's bytes as a plain Uint8Array view (never a Buffer subclass). */
export function readBytes(reader: ProtoReader): Uint8Array {
  const bytes = reader.bytes();
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Reads a length prefix and returns the offset where the delimited content ends. */
export function readDelimitedEnd(reader: ProtoReader, field: string): number {
  const length = reader.uint32();
  const end = reader.pos + length;
  if (end > reader.len) {
    throw new RangeError(`${field}: length ${length} at offset ${reader.pos} runs past the end (${reader.len} bytes)`);
  }
  return end;
}

/** Refuses a known field that arrives with another wire type than its declared one. */
export function expectWireType(tag: number, wireType: number, field: string): void {
  const actual = tag & 7;
  if (actual !== wireType) {
    throw new Error(
      `${field}: wire type ${wireTypeNames[actual] ?? String(actual)}, expected ${wireTypeNames[wireType] ?? String(wireType)}`,
    );
  }
}

/** Skips a field this schema does not know (proto3 keeps decoding past unknown fields). */
export function skipField(reader: ProtoReader, tag: number, typeName: string): void {
  if (tag >>> 3 === 0) throw new Error(`${typeName}: field number 0 at offset ${reader.pos} is invalid`);
  reader.skipType(tag & 7);
}

/** A message must end exactly where its length prefix (or the buffer) says it does. */
export function expectEnd(reader: ProtoReader, end: number, typeName: string): void {
  if (reader.pos !== end) {
    throw new RangeError(`${typeName}: content overruns its length (ends at ${reader.pos}, expected ${end})`);
  }
}
