/**
 * Verify records through a real shard ring: what the acceptor writes from the batch bytes is
 * what the worker reads in place, slot reuse leaves nothing stale, and a transaction that does
 * not fit is refused without touching the slot.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TransactionKind, TxBatch } from '../../src/generated/aurigraph.js';
import { RingConsumer, RingProducer, createRing } from '../../src/ring/index.js';
import {
  TransactionCursor,
  TxBatchReader,
  VerifyRecordView,
  verifyRecordBytesFor,
  verifyRecordFlag,
  writeVerifyRecord,
} from '../../src/wire/index.js';
import { assertBytes, batchOf, batchSignedFields, embedded, filled, randomValidTransaction, seededRandom, testLimits, transfer } from './wire-fixtures.js';

const recordBytes = 4096;

test('records written into a ring from the batch bytes read back field for field on the consumer side', () => {
  const ring = createRing({ records: 8, recordBytes });
  const producer = new RingProducer(ring);
  const consumer = new RingConsumer(ring);
  const reader = new TxBatchReader(testLimits({ verifyRecordBytes: recordBytes }));
  const cursor = new TransactionCursor();
  const view = new VerifyRecordView(consumer.bytes, recordBytes);
  let requestId = 0xfffffff0;
  for (let seed = 1; seed <= 30; seed++) {
    const random = seededRandom(seed);
    const batchSigned = seed % 2 === 1;
    const transactions = Array.from({ length: 1 + Math.floor(random() * 8) }, () => randomValidTransaction(random, { batchSigned }));
    const bytes = embedded(TxBatch.encode(batchOf(transactions, batchSigned ? batchSignedFields() : {})));
    reader.open(bytes);
    requestId = (requestId + 1) >>> 0;
    for (let index = 0; index < reader.transactionCount; index++) {
      assert.equal(reader.readTransaction(index, cursor), true, cursor.rejectMessage);
      const offset = producer.tryReserve();
      assert.notEqual(offset, -1);
      assert.equal(writeVerifyRecord(cursor, bytes, producer.bytes, offset, recordBytes, requestId, index), true);
      producer.commit();

      const expected = transactions[index]!;
      view.moveTo(consumer.peek(0));
      assert.equal(view.requestId, requestId);
      assert.equal(view.index, index);
      assert.equal(view.kind, expected.kind);
      assert.equal(view.chainId, expected.chainId);
      assert.equal(view.amount, expected.amount);
      assert.equal(view.nonce, expected.nonce);
      assert.equal(view.fee, expected.fee);
      assertBytes(view.from(), expected.from);
      assertBytes(view.to(), expected.to.length === 0 ? new Uint8Array(32) : expected.to);
      assertBytes(view.payload(), expected.payload);
      assertBytes(view.signature(), expected.signature);
      assert.equal(view.isBatchSigned, batchSigned);
      assert.equal((view.flags & verifyRecordFlag.toPresent) !== 0, expected.to.length !== 0);
      consumer.release(1);
    }
  }
});

test('a reused slot full of stale bytes reads zeros for an empty to and absent amounts', () => {
  const reader = new TxBatchReader(testLimits({ verifyRecordBytes: recordBytes }));
  const cursor = new TransactionCursor();
  const slot = new Uint8Array(recordBytes).fill(0xaa);
  const bytes = TxBatch.encode(batchOf([transfer(1, { kind: TransactionKind.STORAGE_DELETE, to: new Uint8Array(0), amount: 0n, nonce: 0n, fee: 0n, chainId: 7, payload: filled(5, 1) })]));
  reader.open(bytes);
  assert.equal(reader.readTransaction(0, cursor), true, cursor.rejectMessage);
  assert.equal(writeVerifyRecord(cursor, bytes, slot, 0, recordBytes, 1, 0), true);
  const view = new VerifyRecordView(slot, recordBytes, 0);
  assertBytes(view.to(), new Uint8Array(32));
  assert.equal(view.amount, 0n);
  assert.equal(view.nonce, 0n);
  assert.equal(view.fee, 0n);
  assert.equal(view.flags & verifyRecordFlag.toPresent, 0);
});

test('a transaction that does not fit the record size is refused and the slot is left as it was', () => {
  const bytes = TxBatch.encode(batchOf([transfer(1, { signature: filled(3309, 2) })]));
  const reader = new TxBatchReader(testLimits({ verifyRecordBytes: recordBytes }));
  const cursor = new TransactionCursor();
  reader.open(bytes);
  assert.equal(reader.readTransaction(0, cursor), true, cursor.rejectMessage);
  const needed = verifyRecordBytesFor(cursor.payloadLength, cursor.signatureLength);
  assert.equal(needed, 132 + 3309);
  const smallRecordBytes = needed - 1 - ((needed - 1) % 8);
  const slot = new Uint8Array(recordBytes).fill(0x5a);
  assert.equal(writeVerifyRecord(cursor, bytes, slot, 0, smallRecordBytes, 1, 0), false);
  assert.ok(slot.every((byte) => byte === 0x5a));
  assert.equal(writeVerifyRecord(cursor, bytes, slot, 0, needed + (8 - (needed % 8)), 1, 0), true);
});

test('writing a rejected transaction or outside the target is a bug and throws', () => {
  const bytes = TxBatch.encode(batchOf([transfer(1, { chainId: 99 })]));
  const reader = new TxBatchReader(testLimits({ verifyRecordBytes: recordBytes }));
  const cursor = new TransactionCursor();
  reader.open(bytes);
  assert.equal(reader.readTransaction(0, cursor), false);
  assert.throws(() => writeVerifyRecord(cursor, bytes, new Uint8Array(recordBytes), 0, recordBytes, 1, 0), /assertion failed: transaction 0 was rejected/);
  reader.open(TxBatch.encode(batchOf([transfer(1)])));
  reader.readTransaction(0, cursor);
  assert.throws(() => writeVerifyRecord(cursor, reader.bytes, new Uint8Array(recordBytes), 8, recordBytes, 1, 0), /assertion failed: record slot/);
  assert.throws(() => new VerifyRecordView(new Uint8Array(recordBytes), recordBytes, 0), /layout version/);
});
