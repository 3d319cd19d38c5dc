import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  BlockBlobBuilder,
  blockRecordBytes,
  decodeBlockBlob,
  transactionOffsetPosition,
  transactionRecordsPosition,
} from '../../src/ledger/archive/block-blob.js';
import { decodeBlockRecord, decodeTransactionRecord, transactionRecordFixedBytes } from '../../src/ledger/store-records.js';
import { type BlockShape, blockRecordAt, buildBlob, transactionAt } from './fixtures/archive-blocks.js';

const withMessages: BlockShape = { transactionCount: 40, storedBytes: 90, withMessages: true };

test('a blob holds the block record, the count, the offset table and the records at the documented positions', () => {
  const blob = buildBlob(new BlockBlobBuilder(), 7n, withMessages);
  const view = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
  assert.equal(blockRecordBytes, 180);
  assert.deepEqual(new Uint8Array(blob.subarray(0, 180)), blockRecordAt(7n, 40));
  assert.equal(view.readUInt32LE(180), 40);
  assert.equal(transactionOffsetPosition(0), 184);
  assert.equal(view.readUInt32LE(184), 184 + 4 * 41);
  assert.equal(transactionRecordsPosition(40), 184 + 4 * 41);
  assert.equal(view.readUInt32LE(184 + 4 * 40), blob.length);
  for (let index = 0; index < 40; index += 1) {
    const start = view.readUInt32LE(transactionOffsetPosition(index));
    const end = view.readUInt32LE(transactionOffsetPosition(index + 1));
    const record = decodeTransactionRecord(blob.subarray(start, end));
    const expected = transactionAt(7n, index, withMessages);
    assert.equal(record.batchIndex, index);
    assert.equal(record.message, expected.message);
    assert.deepEqual(new Uint8Array(record.storedBytes), expected.record.storedBytes);
  }
});

test('decodeBlockBlob returns every record as the builder wrote it, messages and applied flags included', () => {
  const blob = buildBlob(new BlockBlobBuilder(), 12n, withMessages);
  const decoded = decodeBlockBlob(blob);
  assert.equal(decoded.transactionCount, 40);
  assert.equal(decodeBlockRecord(decoded.blockRecord).header.height, 12n);
  for (let index = 0; index < 40; index += 1) {
    const record = decodeTransactionRecord(decoded.transactionRecord(index));
    const expected = transactionAt(12n, index, withMessages);
    assert.equal(record.batchId, expected.record.batchId);
    assert.equal(record.status, expected.record.status);
    assert.equal(record.reason, expected.record.reason);
    assert.equal(record.applied, expected.record.applied);
    assert.equal(record.message, expected.message);
    assert.deepEqual(new Uint8Array(record.txHash), expected.record.txHash);
  }
  assert.throws(() => decoded.transactionRecord(40), /transaction index 40 is below the blob's count 40/);
});

test('a block without transactions is the record, a zero count and one offset equal to the blob length', () => {
  const blob = buildBlob(new BlockBlobBuilder(), 0n, { transactionCount: 0, storedBytes: 0, withMessages: false });
  assert.equal(blob.length, 188);
  const decoded = decodeBlockBlob(blob);
  assert.equal(decoded.transactionCount, 0);
  assert.equal(decodeBlockRecord(decoded.blockRecord).header.height, 0n);
});

test('the builder grows from a small buffer by doubling, keeps earlier records, and is reused across blocks', () => {
  const builder = new BlockBlobBuilder(256);
  const large = new Uint8Array(buildBlob(builder, 3n, { transactionCount: 300, storedBytes: 400, withMessages: true }));
  const small = buildBlob(builder, 4n, { transactionCount: 2, storedBytes: 10, withMessages: false });
  const decodedLarge = decodeBlockBlob(large);
  for (let index = 0; index < 300; index += 1) {
    assert.deepEqual(new Uint8Array(decodeTransactionRecord(decodedLarge.transactionRecord(index)).txHash), transactionAt(3n, index, withMessages).record.txHash);
  }
  assert.equal(decodeBlockBlob(small).transactionCount, 2);
  assert.equal(small.length, 188 + 4 * 2 + 2 * transactionRecordFixedBytes + 10 + 11);
});

test('the builder refuses a block with fewer or more transactions than it was begun with, or a count the header disagrees with', () => {
  const shape: BlockShape = { transactionCount: 2, storedBytes: 5, withMessages: false };
  const builder = new BlockBlobBuilder();
  builder.begin(blockRecordAt(1n, 2), 2);
  builder.addTransaction(transactionAt(1n, 0, shape).record, new Uint8Array());
  assert.throws(() => builder.finish(), /begun with 2 transactions, 1 were added/);
  builder.begin(blockRecordAt(1n, 2), 2);
  builder.addTransaction(transactionAt(1n, 0, shape).record, new Uint8Array());
  builder.addTransaction(transactionAt(1n, 1, shape).record, new Uint8Array());
  assert.throws(() => builder.addTransaction(transactionAt(1n, 2, shape).record, new Uint8Array()), /begun with 2 transactions; one more was added/);
  assert.throws(() => builder.begin(blockRecordAt(1n, 2), 3), /block header counts 2 transactions, the blob is begun with 3/);
});

test('decodeBlockBlob refuses offsets that do not increase, a last offset other than the length, or a count the blob cannot hold', () => {
  const blob = new Uint8Array(buildBlob(new BlockBlobBuilder(), 5n, { transactionCount: 3, storedBytes: 8, withMessages: false }));
  const swapped = Buffer.from(blob);
  const second = swapped.readUInt32LE(transactionOffsetPosition(1));
  swapped.writeUInt32LE(swapped.readUInt32LE(transactionOffsetPosition(2)), transactionOffsetPosition(1));
  swapped.writeUInt32LE(second, transactionOffsetPosition(2));
  assert.throws(() => decodeBlockBlob(swapped), /offsets increase/);
  assert.throws(() => decodeBlockBlob(blob.subarray(0, blob.length - 1)), /last offset is its length/);
  const counted = Buffer.from(blob);
  counted.writeUInt32LE(1_000_000, 180);
  assert.throws(() => decodeBlockBlob(counted), /holds the offset table of its 1000000 transactions/);
});
