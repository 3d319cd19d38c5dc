/**
 * The walker finds every field where the generated decoder finds it: for seeded batches of every
 * kind and shape, the offsets it reports hold exactly the decoded values.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RejectReason, TxBatch, type Transaction } from '../../src/generated/aurigraph.js';
import { TransactionCursor, TxBatchReader } from '../../src/wire/index.js';
import { readFixed64At } from '../../src/wire/proto-scan.js';
import { assertBytes, batchOf, batchSignedFields, embedded, randomValidTransaction, seededRandom, testLimits, transfer } from './wire-fixtures.js';

function fixed64At(bytes: Uint8Array, offset: number): bigint {
  return offset < 0 ? 0n : readFixed64At(bytes, offset);
}

function assertCursorMatches(bytes: Uint8Array, cursor: TransactionCursor, expected: Transaction): void {
  const slice = (offset: number, length: number): Uint8Array => bytes.subarray(offset, offset + length);
  assert.equal(cursor.kind, expected.kind);
  assertBytes(slice(cursor.fromOffset, cursor.fromLength), expected.from);
  assertBytes(slice(cursor.toOffset, cursor.toLength), expected.to);
  assert.equal(fixed64At(bytes, cursor.amountOffset), expected.amount);
  assert.equal(fixed64At(bytes, cursor.nonceOffset), expected.nonce);
  assert.equal(fixed64At(bytes, cursor.feeOffset), expected.fee);
  assert.equal(cursor.chainId, expected.chainId);
  assertBytes(slice(cursor.payloadOffset, cursor.payloadLength), expected.payload);
  assertBytes(slice(cursor.signatureOffset, cursor.signatureLength), expected.signature);
}

test('offsets of every field hold the values the generated decoder reads, for seeded batches of all kinds', () => {
  const reader = new TxBatchReader(testLimits());
  const cursor = new TransactionCursor();
  for (let seed = 1; seed <= 40; seed++) {
    const random = seededRandom(seed);
    const batchSigned = seed % 3 === 0;
    const transactions = Array.from({ length: 1 + Math.floor(random() * 20) }, () => randomValidTransaction(random, { batchSigned }));
    const batch = batchOf(transactions, { batchId: BigInt(seed) * 0x1_0000_0001n, ...(batchSigned ? batchSignedFields() : {}) });
    const bytes = embedded(TxBatch.encode(batch));
    const decoded = TxBatch.decode(bytes);
    reader.open(bytes);
    assert.equal(reader.transactionCount, decoded.transactions.length);
    assert.equal(reader.batchId, decoded.batchId);
    assert.equal(reader.hasBatchSignature, batchSigned);
    assertBytes(bytes.subarray(reader.batchSignatureOffset, reader.batchSignatureOffset + reader.batchSignatureLength), decoded.batchSignature);
    assertBytes(bytes.subarray(reader.submitterKeyIdOffset, reader.submitterKeyIdOffset + reader.submitterKeyIdLength), decoded.submitterKeyId);
    assert.equal(reader.submitterAlgorithm, decoded.submitterAlgorithm);
    decoded.transactions.forEach((expected, index) => {
      assert.equal(reader.readTransaction(index, cursor), true, cursor.rejectMessage);
      assert.equal(cursor.index, index);
      assert.equal(cursor.rejectReason, RejectReason.REJECT_REASON_NONE);
      assert.equal(cursor.rejectMessage, '');
      assertCursorMatches(bytes, cursor, expected);
      assertBytes(
        bytes.subarray(cursor.messageOffset, cursor.messageOffset + cursor.messageLength),
        TxBatch.encode(batchOf([expected])).subarray(-cursor.messageLength),
      );
    });
  }
});

test('an absent fixed64 field is reported as offset -1 (value zero) and a batch without batch_id reads 0', () => {
  const reader = new TxBatchReader(testLimits());
  const cursor = new TransactionCursor();
  reader.open(TxBatch.encode(batchOf([transfer(1, { amount: 0n, nonce: 0n, fee: 0n })], { batchId: 0n })));
  assert.equal(reader.batchId, 0n);
  assert.equal(reader.readTransaction(0, cursor), true, cursor.rejectMessage);
  assert.equal(cursor.amountOffset, -1);
  assert.equal(cursor.nonceOffset, -1);
  assert.equal(cursor.feeOffset, -1);
});

test('the reader and cursor are reused across batches without carrying anything over', () => {
  const reader = new TxBatchReader(testLimits());
  const cursor = new TransactionCursor();
  reader.open(TxBatch.encode(batchOf([transfer(1), transfer(2, { chainId: 99 })], { batchId: 5n })));
  assert.equal(reader.readTransaction(1, cursor), false);
  assert.equal(cursor.rejectReason, RejectReason.WRONG_CHAIN);
  const second = transfer(9, { amount: 0n });
  reader.open(TxBatch.encode(batchOf([second], { batchId: 0n })));
  assert.equal(reader.batchId, 0n);
  assert.equal(reader.transactionCount, 1);
  assert.equal(reader.readTransaction(0, cursor), true, cursor.rejectMessage);
  assert.equal(cursor.amountOffset, -1);
  assertCursorMatches(reader.bytes, cursor, second);
});

test('readTransaction refuses an index outside the batch', () => {
  const reader = new TxBatchReader(testLimits());
  reader.open(TxBatch.encode(batchOf([transfer(1)])));
  assert.throws(() => reader.readTransaction(1, new TransactionCursor()), /index: must be an integer from 0 to 0, got 1/);
  assert.throws(() => reader.readTransaction(-1, new TransactionCursor()), /index/);
});
