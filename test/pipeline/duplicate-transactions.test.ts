/**
 * Duplicates within a batch: the first copy keeps its verdict, later copies are rejected
 * DUPLICATE_TRANSACTION naming the first, also when different hashes share their first 32 bits
 * (the coordinator looks hashes up by those bits first).
 */
import assert from 'node:assert/strict';
import test from 'node:test';
import { ReceiptStatus, RejectReason } from '../../src/generated/aurigraph.js';
import { rejectDuplicates } from '../../src/pipeline/duplicates.js';
import { PendingRequest } from '../../src/pipeline/pending-request.js';

function hashWith(prefix: number, fill: number): Uint8Array {
  const hash = new Uint8Array(32).fill(fill);
  new DataView(hash.buffer).setUint32(0, prefix);
  return hash;
}

/** A request whose transactions were all verified with these hashes (no compact records needed here). */
function verifiedRequest(hashes: readonly Uint8Array[]): PendingRequest {
  const request = new PendingRequest(1, hashes.length, 7n, undefined);
  const compact = new Uint8Array(0);
  hashes.forEach((hash, index) => request.recordVerified(index, hash, compact, -1));
  return request;
}

test('later copies are rejected naming the first, across hashes that share their first 32 bits', () => {
  const first = hashWith(0xdeadbeef, 1);
  const sameBits = hashWith(0xdeadbeef, 2); // different hash, same first 32 bits
  const other = hashWith(0x01020304, 3);
  const request = verifiedRequest([first, sameBits, other, sameBits, first, hashWith(0xdeadbeef, 4), sameBits]);
  rejectDuplicates(request);
  const rejected = [...Array(request.count).keys()].filter((index) => request.isRejected(index));
  assert.deepEqual(rejected, [3, 4, 6]);
  for (const index of rejected) {
    assert.equal(request.statuses[index], ReceiptStatus.REJECTED);
    assert.equal(request.reasons[index], RejectReason.DUPLICATE_TRANSACTION);
  }
  assert.match(request.messages.get(3)!, /^transactions\[3\]: .* as transactions\[1\] of this batch$/);
  assert.match(request.messages.get(4)!, /^transactions\[4\]: .* as transactions\[0\] of this batch$/);
  assert.match(request.messages.get(6)!, /^transactions\[6\]: .* as transactions\[1\] of this batch$/);
});

test('a copy already rejected keeps its own reason, and the first copy keeps its verdict', () => {
  const hash = hashWith(42, 9);
  const request = verifiedRequest([hash, hash, hash]);
  request.reject(0, RejectReason.NONCE_REUSED, 'nonce: already used');
  request.reject(1, RejectReason.INVALID_SIGNATURE, 'signature: does not verify');
  rejectDuplicates(request);
  assert.equal(request.reasons[0], RejectReason.NONCE_REUSED);
  assert.equal(request.reasons[1], RejectReason.INVALID_SIGNATURE);
  assert.equal(request.reasons[2], RejectReason.DUPLICATE_TRANSACTION);
  assert.match(request.messages.get(2)!, /as transactions\[0\] of this batch$/);
});

test('transactions never hashed take no part', () => {
  const request = new PendingRequest(2, 3, 1n, undefined);
  const hash = hashWith(5, 5);
  request.recordVerified(0, hash, new Uint8Array(0), -1);
  request.reject(1, RejectReason.MALFORMED, 'transactions[1]: broken');
  request.recordVerified(2, hash, new Uint8Array(0), -1);
  rejectDuplicates(request);
  assert.equal(request.reasons[1], RejectReason.MALFORMED);
  assert.equal(request.reasons[2], RejectReason.DUPLICATE_TRANSACTION);
  assert.match(request.messages.get(2)!, /as transactions\[0\] of this batch$/);
});
