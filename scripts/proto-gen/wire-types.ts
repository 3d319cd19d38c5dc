/**
 * How each proto field type is written, read and defaulted in generated TypeScript. One table,
 * so the encoder, decoder and interface agree on every type.
 */
import type { FieldType, ScalarType } from './schema.js';

export const wireTypeVarint = 0;
export const wireType64Bit = 1;
export const wireTypeDelimited = 2;
export const wireType32Bit = 5;

export interface WireCodec {
  wireType: number;
  /** TypeScript type of one value. */
  typeScriptType: string;
  /** Expression for the proto3 default (a fresh value each evaluation). */
  defaultValue: string;
  /** Condition that is true when `value` differs from the default, so it must be written. */
  isSet(value: string): string;
  /** Statement writing `value` with `writer` positioned after the tag. */
  write(writer: string, value: string, fieldLabel: string): string;
  /** Expression reading one value from `reader`. */
  read(reader: string): string;
}

function numberCodec(wireType: number, method: string, check: 'checkInt32' | 'checkUint32' | null): WireCodec {
  return {
    wireType,
    typeScriptType: 'number',
    defaultValue: '0',
    isSet: (value) => `${value} !== 0`,
    write: (writer, value, fieldLabel) =>
      check === null ? `${writer}.${method}(${value})` : `${writer}.${method}(runtime.${check}(${value}, '${fieldLabel}'))`,
    read: (reader) => `${reader}.${method}()`,
  };
}

function bigintCodec(wireType: number, suffix: string): WireCodec {
  return {
    wireType,
    typeScriptType: 'bigint',
    defaultValue: '0n',
    isSet: (value) => `${value} !== 0n`,
    write: (writer, value, fieldLabel) => `runtime.write${suffix}(${writer}, ${value}, '${fieldLabel}')`,
    read: (reader) => `runtime.read${suffix}(${reader})`,
  };
}

const scalarCodecs: Record<ScalarType, WireCodec> = {
  double: numberCodec(wireType64Bit, 'double', null),
  float: numberCodec(wireType32Bit, 'float', null),
  int32: numberCodec(wireTypeVarint, 'int32', 'checkInt32'),
  uint32: numberCodec(wireTypeVarint, 'uint32', 'checkUint32'),
  sint32: numberCodec(wireTypeVarint, 'sint32', 'checkInt32'),
  fixed32: numberCodec(wireType32Bit, 'fixed32', 'checkUint32'),
  sfixed32: numberCodec(wireType32Bit, 'sfixed32', 'checkInt32'),
  int64: bigintCodec(wireTypeVarint, 'Int64'),
  uint64: bigintCodec(wireTypeVarint, 'Uint64'),
  sint64: bigintCodec(wireTypeVarint, 'Sint64'),
  fixed64: bigintCodec(wireType64Bit, 'Fixed64'),
  sfixed64: bigintCodec(wireType64Bit, 'Sfixed64'),
  bool: {
    wireType: wireTypeVarint,
    typeScriptType: 'boolean',
    defaultValue: 'false',
    isSet: (value) => value,
    write: (writer, value) => `${writer}.bool(${value})`,
    read: (reader) => `${reader}.bool()`,
  },
  string: {
    wireType: wireTypeDelimited,
    typeScriptType: 'string',
    defaultValue: "''",
    isSet: (value) => `${value}.length !== 0`,
    write: (writer, value) => `${writer}.string(${value})`,
    read: (reader) => `${reader}.string()`,
  },
  bytes: {
    wireType: wireTypeDelimited,
    typeScriptType: 'Uint8Array',
    defaultValue: 'new Uint8Array(0)',
    isSet: (value) => `${value}.length !== 0`,
    write: (writer, value) => `${writer}.bytes(${value})`,
    read: (reader) => `runtime.readBytes(${reader})`,
  },
};

/** The codec of a scalar or enum field; message fields are handled by the message emitter. */
export function wireCodecFor(type: Exclude<FieldType, { kind: 'message' }>): WireCodec {
  if (type.kind === 'scalar') return scalarCodecs[type.scalar];
  return {
    wireType: wireTypeVarint,
    typeScriptType: type.enumName,
    defaultValue: `${type.enumName}.${type.zeroValueName}`,
    isSet: (value) => `${value} !== 0`,
    write: (writer, value, fieldLabel) => `${writer}.int32(runtime.checkInt32(${value}, '${fieldLabel}'))`,
    read: (reader) => `${reader}.int32() as ${type.enumName}`,
  };
}

export function tag(fieldNumber: number, wireType: number): number {
  return ((fieldNumber << 3) | wireType) >>> 0;
}

/** How the field is described in its doc comment, e.g. `repeated fixed64, field 4`. */
export function protoTypeLabel(type: FieldType, repeated: boolean): string {
  const base = type.kind === 'scalar' ? type.scalar : type.kind === 'enum' ? `enum ${type.enumName}` : `message ${type.messageName}`;
  return repeated ? `repeated ${base}` : base;
}
