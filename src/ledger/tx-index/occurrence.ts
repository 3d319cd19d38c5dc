/**
 * Which of two occurrences of one transaction hash the tx-hash index answers with. A hash can
 * sit in several blocks (a replayed transaction); the index keeps ONE: the applied occurrence if
 * there is one (a nonce is consumed once, so at most one occurrence is applied), else the latest
 * (greatest height, then greatest index). Entries are the 13-byte layout of store-records.ts:
 * height u64 BE || index u32 BE || applied u8, so the first 12 bytes compare as the position.
 */
import { assert } from '../../errors.js';
import { positionKeyBytes, txIndexEntryBytes } from '../store-records.js';

const appliedOffset = positionKeyBytes;

/**
 * Compares the entries at `a[aOffset]` and `b[bOffset]` without copying them: positive when `a`
 * is preferred, negative when `b` is, 0 when both are the same occurrence (identical bytes).
 * Asserts that the applied flags are 0 or 1, that two different occurrences are not both applied,
 * and that one occurrence is not recorded both as applied and as not applied.
 */
export function compareOccurrences(a: Uint8Array, aOffset: number, b: Uint8Array, bOffset: number): number {
  const aApplied = a[aOffset + appliedOffset]!;
  const bApplied = b[bOffset + appliedOffset]!;
  // Messages are built only on failure: this runs once per duplicate hash in a merge.
  if (aApplied > 1 || bApplied > 1) assert(false, `a tx index entry's applied flag is 0 or 1, got ${aApplied} and ${bApplied}`);
  let positionOrder = 0;
  for (let byte = 0; byte < positionKeyBytes; byte += 1) {
    positionOrder = a[aOffset + byte]! - b[bOffset + byte]!;
    if (positionOrder !== 0) break;
  }
  if (positionOrder === 0) {
    if (aApplied !== bApplied) assert(false, `the occurrence at ${describePosition(a, aOffset)} is recorded both as applied and as not applied`);
    return 0;
  }
  if (aApplied === 1 && bApplied === 1) {
    assert(false, `one transaction hash was applied twice, at ${describePosition(a, aOffset)} and at ${describePosition(b, bOffset)}; a nonce is consumed once`);
  }
  if (aApplied === 1) return 1;
  if (bApplied === 1) return -1;
  return positionOrder;
}

/** The entry's occurrence was applied (nonce consumed, fee taken): no other occurrence can be preferred to it. */
export function isApplied(entry: Uint8Array): boolean {
  if (entry.length !== txIndexEntryBytes) assert(false, `a tx index entry is ${txIndexEntryBytes} bytes, got ${entry.length}`);
  const applied = entry[appliedOffset]!;
  if (applied > 1) assert(false, `a tx index entry's applied flag is 0 or 1, got ${applied}`);
  return applied === 1;
}

/** The preferred of two 13-byte entries of one hash (either one when they are identical). */
export function preferredOccurrence(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length !== txIndexEntryBytes || b.length !== txIndexEntryBytes) {
    assert(false, `tx index entries are ${txIndexEntryBytes} bytes, got ${a.length} and ${b.length}`);
  }
  return compareOccurrences(a, 0, b, 0) >= 0 ? a : b;
}

function describePosition(bytes: Uint8Array, offset: number): string {
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset, positionKeyBytes);
  return `block ${view.getBigUint64(0, false)} index ${view.getUint32(8, false)}`;
}
