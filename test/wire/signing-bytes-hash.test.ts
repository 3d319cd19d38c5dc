/**
 * The signing bytes a worker takes from a verify record are transaction.proto's layout, and
 * their hash through src/crypto's transactionHash is the transaction hash a client computes.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { transactionHash } from '../../src/crypto/index.js';
import { TxBatch } from '../../src/generated/aurigraph.js';
import { TransactionCursor, TxBatchReader, VerifyRecordView, transactionSigningBytes, writeVerifyRecord } from '../../src/wire/index.js';
import { assertBytes, batchOf, batchSignedFields, randomValidTransaction, referenceSigningBytes, seededRandom, sha256, testLimits } from './wire-fixtures.js';

const recordBytes = 8192;

test('signing bytes from a verify record equal the reference layout, and hash to the same tx_hash', () => {
  const reader = new TxBatchReader(testLimits({ verifyRecordBytes: recordBytes, payloadBytesMax: 4000 }));
  const cursor = new TransactionCursor();
  const slots = new Uint8Array(new SharedArrayBuffer(recordBytes * 2));
  const view = new VerifyRecordView(slots, recordBytes);
  const scratch = new Uint8Array(recordBytes);
  for (let seed = 1; seed <= 25; seed++) {
    const random = seededRandom(seed * 7919);
    const batchSigned = seed % 3 === 0;
    const transactions = Array.from({ length: 6 }, () => randomValidTransaction(random, { batchSigned, payloadBytesMax: 4000 }));
    const bytes = TxBatch.encode(batchOf(transactions, batchSigned ? batchSignedFields() : {}));
    reader.open(bytes);
    transactions.forEach((transaction, index) => {
      assert.equal(reader.readTransaction(index, cursor), true, cursor.rejectMessage);
      const slot = (index % 2) * recordBytes;
      assert.equal(writeVerifyRecord(cursor, bytes, slots, slot, recordBytes, seed, index), true);
      view.moveTo(slot);
      const reference = referenceSigningBytes(transaction);
      scratch.fill(0xcc);
      const length = view.signingBytesInto(scratch);
      assert.equal(length, reference.length);
      assertBytes(scratch.subarray(0, length), reference);
      assertBytes(view.signingBytes(), reference);
      assertBytes(transactionSigningBytes(transaction), reference);
      const expectedHash = sha256(reference);
      assertBytes(transactionHash(scratch.subarray(0, length)), expectedHash);
      assertBytes(transactionHash(view.signingBytes()), expectedHash);
    });
  }
});

test('signingBytesInto refuses a scratch buffer too small for the signing bytes', () => {
  const reader = new TxBatchReader(testLimits({ verifyRecordBytes: recordBytes }));
  const cursor = new TransactionCursor();
  const transaction = randomValidTransaction(seededRandom(5), { batchSigned: false });
  const bytes = TxBatch.encode(batchOf([transaction]));
  reader.open(bytes);
  reader.readTransaction(0, cursor);
  const slot = new Uint8Array(recordBytes);
  writeVerifyRecord(cursor, bytes, slot, 0, recordBytes, 1, 0);
  const view = new VerifyRecordView(slot, recordBytes, 0);
  assert.throws(() => view.signingBytesInto(new Uint8Array(view.signingBytesLength - 1)), /scratch/);
  assert.equal(view.signingBytesInto(new Uint8Array(view.signingBytesLength)), view.signingBytesLength);
});
