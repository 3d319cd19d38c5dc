/**
 * The protobuf wire format at the byte level, for the walkers in this folder: read a varint,
 * skip a field, without allocating and without throwing. Every function takes an explicit
 * `end` and never reads at or past it, so a walker can confine damage to one message's bytes.
 *
 * Failures come back as negative positions (`scanFailure`), so the caller decides whether the
 * damage is one transaction's (a verdict) or the whole batch's (a thrown error), and builds the
 * message naming the field only on that cold path.
 */

/** Negative "positions" returned instead of throwing; `describeScanFailure` turns one into words. */
export const scanFailure = {
  truncated: -1,
  varintTooLong: -2,
  invalidWireType: -3,
  unbalancedGroup: -4,
  groupsTooDeep: -5,
  valueTooLarge: -6,
  fieldNumberZero: -7,
} as const;

export const wireType = {
  varint: 0,
  fixed64: 1,
  lengthDelimited: 2,
  startGroup: 3,
  endGroup: 4,
  fixed32: 5,
} as const;

const wireTypeNames = ['varint', '64-bit', 'length-delimited', 'start-group', 'end-group', '32-bit', 'invalid (6)', 'invalid (7)'];

/** Deprecated groups nest; a bound keeps a hostile input from recursing without limit. */
export const groupDepthMax = 32;

const varintBytesMax = 10;

/**
 * Where `readVarint` leaves the value it read, so the hot path returns one number (the next
 * position) and allocates nothing. JavaScript runs one walker at a time per thread, and every
 * caller reads these fields right after the call that wrote them.
 */
export const varintResult = {
  /** The low 32 bits, as an unsigned number. */
  low: 0,
  /** True when any bit from 32 up was set. */
  highBitsSet: false,
};

/** Reads a base-128 varint at `position`; returns the next position or a `scanFailure` value. */
export function readVarint(bytes: Uint8Array, position: number, end: number): number {
  let low = 0;
  let highBitsSet = false;
  for (let byteIndex = 0; byteIndex < varintBytesMax; byteIndex++) {
    if (position >= end) return scanFailure.truncated;
    const byte = bytes[position]!;
    position += 1;
    const bits = byte & 0x7f;
    if (byteIndex < 4) {
      low |= bits << (7 * byteIndex);
    } else if (byteIndex === 4) {
      low |= (bits & 0x0f) << 28;
      if (bits > 0x0f) highBitsSet = true;
    } else if (bits !== 0) {
      highBitsSet = true;
    }
    if (byte < 0x80) {
      varintResult.low = low >>> 0;
      varintResult.highBitsSet = highBitsSet;
      return position;
    }
  }
  return scanFailure.varintTooLong;
}

/**
 * Reads a field tag; returns the next position, or a failure (a tag needs no more than 32 bits
 * and field number 0 does not exist). The tag is in `varintResult.low`.
 */
export function readTag(bytes: Uint8Array, position: number, end: number): number {
  const next = readVarint(bytes, position, end);
  if (next < 0) return next;
  if (varintResult.highBitsSet) return scanFailure.valueTooLarge;
  if (varintResult.low >>> 3 === 0) return scanFailure.fieldNumberZero;
  return next;
}

/**
 * Reads the length prefix of a length-delimited field; returns the position of its first
 * content byte, with the length in `varintResult.low`, or a failure when the content would run
 * past `end`.
 */
export function readLength(bytes: Uint8Array, position: number, end: number): number {
  const next = readVarint(bytes, position, end);
  if (next < 0) return next;
  if (varintResult.highBitsSet) return scanFailure.valueTooLarge;
  if (varintResult.low > end - next) return scanFailure.truncated;
  return next;
}

/**
 * Skips the value of a field whose tag was just read (the position is right after the tag);
 * returns the position after the value or a failure. Groups are skipped up to their matching
 * end-group tag, nested at most `groupDepthMax` deep.
 */
export function skipValue(bytes: Uint8Array, position: number, end: number, tag: number, depth: number): number {
  switch (tag & 7) {
    case wireType.varint:
      return readVarint(bytes, position, end);
    case wireType.fixed64:
      return end - position >= 8 ? position + 8 : scanFailure.truncated;
    case wireType.lengthDelimited: {
      const contentStart = readLength(bytes, position, end);
      return contentStart < 0 ? contentStart : contentStart + varintResult.low;
    }
    case wireType.fixed32:
      return end - position >= 4 ? position + 4 : scanFailure.truncated;
    case wireType.startGroup:
      return skipGroup(bytes, position, end, tag >>> 3, depth + 1);
    case wireType.endGroup:
      // An end-group tag is only valid as the terminator skipGroup looks for.
      return scanFailure.unbalancedGroup;
    default:
      return scanFailure.invalidWireType;
  }
}

function skipGroup(bytes: Uint8Array, position: number, end: number, fieldNumber: number, depth: number): number {
  if (depth > groupDepthMax) return scanFailure.groupsTooDeep;
  while (position < end) {
    position = readTag(bytes, position, end);
    if (position < 0) return position;
    const tag = varintResult.low;
    if ((tag & 7) === wireType.endGroup) {
      return tag >>> 3 === fieldNumber ? position : scanFailure.unbalancedGroup;
    }
    position = skipValue(bytes, position, end, tag, depth);
    if (position < 0) return position;
  }
  return scanFailure.truncated;
}

/** Little-endian u32 at `position` (the caller has checked that 4 bytes are there). */
export function readFixed32At(bytes: Uint8Array, position: number): number {
  return (bytes[position]! | (bytes[position + 1]! << 8) | (bytes[position + 2]! << 16) | (bytes[position + 3]! << 24)) >>> 0;
}

/** Little-endian u64 at `position`, for cold paths (tests, logs); the hot path copies the 8 bytes. */
export function readFixed64At(bytes: Uint8Array, position: number): bigint {
  return (BigInt(readFixed32At(bytes, position + 4)) << 32n) | BigInt(readFixed32At(bytes, position));
}

export function wireTypeName(wireTypeValue: number): string {
  return wireTypeNames[wireTypeValue & 7]!;
}

/** Words for a `scanFailure` value, for error messages. */
export function describeScanFailure(failure: number): string {
  switch (failure) {
    case scanFailure.truncated:
      return 'runs past the end of its enclosing message';
    case scanFailure.varintTooLong:
      return 'has a varint longer than 10 bytes';
    case scanFailure.invalidWireType:
      return 'has an invalid wire type (6 or 7)';
    case scanFailure.unbalancedGroup:
      return 'has an end-group tag without its matching start-group';
    case scanFailure.groupsTooDeep:
      return `nests groups more than ${groupDepthMax} deep`;
    case scanFailure.valueTooLarge:
      return 'has a tag or length prefix above 32 bits';
    case scanFailure.fieldNumberZero:
      return 'has field number 0, which does not exist';
    default:
      return `is not valid protobuf (scan failure ${failure})`;
  }
}
