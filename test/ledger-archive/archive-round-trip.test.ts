import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BlockArchive } from '../../src/ledger/archive/block-archive.js';
import { BlockBlobBuilder, decodeBlockBlob } from '../../src/ledger/archive/block-blob.js';
import { decodeBlockRecord, decodeTransactionRecord } from '../../src/ledger/store-records.js';
import { type BlockShape, blockRecordAt, buildBlob, temporaryDirectory, transactionAt } from './fixtures/archive-blocks.js';

const shapes: BlockShape[] = [
  { transactionCount: 0, storedBytes: 0, withMessages: false },
  { transactionCount: 8192, storedBytes: 16, withMessages: false },
  { transactionCount: 50, storedBytes: 300, withMessages: true },
];

test('blobs built by BlockBlobBuilder read back whole, by range, by block record and by transaction record', () => {
  const { directory, remove } = temporaryDirectory('round-trip');
  const archive = BlockArchive.open(directory, { writer: true });
  try {
    const builder = new BlockBlobBuilder();
    const appended: Uint8Array[] = [];
    shapes.forEach((shape, height) => {
      const blob = buildBlob(builder, BigInt(height), shape);
      archive.append(BigInt(height), blob);
      appended.push(new Uint8Array(blob));
    });
    assert.equal(archive.count(), 3n);

    shapes.forEach((shape, heightNumber) => {
      const height = BigInt(heightNumber);
      const blob = archive.readBlob(height);
      assert.ok(blob !== undefined);
      assert.deepEqual(new Uint8Array(blob), appended[heightNumber]);
      assert.deepEqual(new Uint8Array(archive.readBlockRecord(height)!), blockRecordAt(height, shape.transactionCount));
      assert.equal(decodeBlockRecord(archive.readBlockRecord(height)!).header.transactionCount, shape.transactionCount);
      assert.deepEqual(new Uint8Array(archive.readRange(height, 180, 4)!), new Uint8Array(blob.subarray(180, 184)));

      const decoded = decodeBlockBlob(blob);
      assert.equal(decoded.transactionCount, shape.transactionCount);
      for (let index = 0; index < shape.transactionCount; index += 1) {
        const recordBytes = archive.readTransactionRecord(height, index);
        assert.ok(recordBytes !== undefined);
        assert.deepEqual(new Uint8Array(recordBytes), new Uint8Array(decoded.transactionRecord(index)));
        const record = decodeTransactionRecord(recordBytes);
        const expected = transactionAt(height, index, shape);
        assert.equal(record.batchIndex, index);
        assert.equal(record.message, expected.message);
        assert.equal(record.applied, expected.record.applied);
        assert.deepEqual(new Uint8Array(record.storedBytes), expected.record.storedBytes);
      }
    });
  } finally {
    archive.close();
    remove();
  }
});

test('a range that leaves the blob is refused', () => {
  const { directory, remove } = temporaryDirectory('range');
  const archive = BlockArchive.open(directory, { writer: true });
  try {
    const blob = buildBlob(new BlockBlobBuilder(), 0n, shapes[2]!);
    archive.append(0n, blob);
    assert.equal(archive.readRange(0n, blob.length - 10, 10)!.length, 10);
    assert.throws(() => archive.readRange(0n, blob.length - 10, 11), /lies within block 0's blob/);
  } finally {
    archive.close();
    remove();
  }
});
