/**
 * The byte layout of a verify record: one transaction in one shard-ring slot, written by the
 * acceptor (writeVerifyRecord) and read in place by a shard worker (VerifyRecordView).
 * Little-endian throughout:
 *
 *   offset   0  request id          u32   the acceptor's id for the batch, to route verdicts
 *             4  index in batch      u32
 *             8  flags               u8    verifyRecordFlag bits
 *             9  layout version      u8    verifyRecordLayoutVersion, checked by the reader
 *            10  zero                u16
 *            12  signature length    u32
 *            16  signing bytes       116 + payload length (signing-bytes.ts; prefix included)
 *   16 + 116 + payload length        signature
 *
 * Keeping the signing bytes verbatim (prefix and all) makes the hash input one contiguous slice
 * of the record: the worker hashes it in place, no assembly, no copy. The record costs 132
 * bytes plus payload plus signature: 3,441 bytes for a TRANSFER signed with ML-DSA-65 (fits
 * 4,096), 4,759 with ML-DSA-87 (needs 8,192).
 */
import { signingBytesFixed } from './signing-bytes.js';

export const verifyRecordLayoutVersion = 1;

export const verifyRecordOffset = {
  requestId: 0,
  index: 4,
  flags: 8,
  layoutVersion: 9,
  zero: 10,
  signatureLength: 12,
  signingBytes: 16,
} as const;

export const verifyRecordFlag = {
  /** The transaction has no signature of its own; the batch signature covers it. */
  batchSigned: 1,
  /** `to` was sent (32 bytes); otherwise it was empty and the record holds 32 zero bytes. */
  toPresent: 2,
} as const;

export const verifyRecordHeaderBytes = verifyRecordOffset.signingBytes + signingBytesFixed;

/**
 * The smallest ring record that holds any transaction: the header rounded up to 8, enough for a
 * batch-signed transaction with an empty payload. Per-transaction ML-DSA signatures need far
 * more (2,420 to 4,627 bytes); a record too small for one rejects that transaction, not the node.
 */
export const verifyRecordBytesMin = Math.ceil(verifyRecordHeaderBytes / 8) * 8;
/** The ring's own bound on record size (src/ring/layout.ts). */
export const verifyRecordBytesMax = 65_536;

/** Bytes a transaction's verify record needs. */
export function verifyRecordBytesFor(payloadLength: number, signatureLength: number): number {
  return verifyRecordHeaderBytes + payloadLength + signatureLength;
}
