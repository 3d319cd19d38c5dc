/**
 * The transaction signing bytes (transaction.proto, top comment): the fixed layout that
 * `tx_hash` is SHA-256 of and that a per-transaction signature signs. It does not depend on
 * how an encoder ordered or omitted protobuf fields. All integers little-endian:
 *
 *   offset   0  "AURIGRAPH-TX-V11"    16 ASCII bytes
 *           16  kind                 u32
 *           20  from                 32 bytes
 *           52  to                   32 bytes (32 zero bytes when `to` is empty)
 *           84  amount               u64
 *           92  nonce                u64
 *          100  fee                  u64
 *          108  chain_id             u32
 *          112  payload length       u32
 *          116  payload
 *
 * The verify record (verify-record.ts) stores a transaction in exactly this layout, so the
 * verifier hashes a slice of the ring record. `transactionSigningBytes` builds the same bytes
 * from a decoded Transaction for cold paths: clients that sign, tools, tests.
 */
import { assert } from '../errors.js';
import type { Transaction } from '../generated/aurigraph.js';

export const signingBytesPrefix: Uint8Array = new TextEncoder().encode('AURIGRAPH-TX-V11');

/** Byte offsets of each field inside the signing bytes. */
export const signingOffset = {
  prefix: 0,
  kind: 16,
  from: 20,
  to: 52,
  amount: 84,
  nonce: 92,
  fee: 100,
  chainId: 108,
  payloadLength: 112,
  payload: 116,
} as const;

/** The signing bytes without the payload. */
export const signingBytesFixed = signingOffset.payload;

export const accountIdBytes = 32;

assert(signingBytesPrefix.length === 16, 'the signing-bytes prefix is 16 ASCII bytes');

/** Cold path: the signing bytes of a decoded transaction, in a new buffer. */
export function transactionSigningBytes(transaction: Transaction): Uint8Array {
  assert(transaction.from.length === accountIdBytes, `from must be ${accountIdBytes} bytes to have signing bytes, got ${transaction.from.length}`);
  assert(
    transaction.to.length === accountIdBytes || transaction.to.length === 0,
    `to must be ${accountIdBytes} bytes or empty to have signing bytes, got ${transaction.to.length}`,
  );
  const bytes = new Uint8Array(signingBytesFixed + transaction.payload.length);
  const view = new DataView(bytes.buffer);
  bytes.set(signingBytesPrefix, signingOffset.prefix);
  view.setUint32(signingOffset.kind, transaction.kind >>> 0, true);
  bytes.set(transaction.from, signingOffset.from);
  bytes.set(transaction.to, signingOffset.to);
  view.setBigUint64(signingOffset.amount, transaction.amount, true);
  view.setBigUint64(signingOffset.nonce, transaction.nonce, true);
  view.setBigUint64(signingOffset.fee, transaction.fee, true);
  view.setUint32(signingOffset.chainId, transaction.chainId, true);
  view.setUint32(signingOffset.payloadLength, transaction.payload.length, true);
  bytes.set(transaction.payload, signingOffset.payload);
  return bytes;
}
