/**
 * Small byte moves for the hot path, without a DataView or subarray per call for the short
 * fields (ids, integers) that dominate a record's field count.
 */

/** Below this length a plain loop beats creating a subarray view for `set` (bench/wire/run.ts). */
const loopCopyBytesMax = 64;

export function copyBytes(source: Uint8Array, sourceStart: number, length: number, target: Uint8Array, targetStart: number): void {
  if (length <= loopCopyBytesMax) {
    for (let offset = 0; offset < length; offset++) target[targetStart + offset] = source[sourceStart + offset]!;
    return;
  }
  target.set(source.subarray(sourceStart, sourceStart + length), targetStart);
}

export function writeUint32At(target: Uint8Array, position: number, value: number): void {
  target[position] = value & 0xff;
  target[position + 1] = (value >>> 8) & 0xff;
  target[position + 2] = (value >>> 16) & 0xff;
  target[position + 3] = (value >>> 24) & 0xff;
}

export function writeUint16At(target: Uint8Array, position: number, value: number): void {
  target[position] = value & 0xff;
  target[position + 1] = (value >>> 8) & 0xff;
}

export function readUint16At(bytes: Uint8Array, position: number): number {
  return bytes[position]! | (bytes[position + 1]! << 8);
}
