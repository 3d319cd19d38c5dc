import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BlockArchive } from '../../src/ledger/archive/block-archive.js';
import { BlockBlobBuilder } from '../../src/ledger/archive/block-blob.js';
import { decodeTransactionRecord } from '../../src/ledger/store-records.js';
import { type BlockShape, buildBlob, temporaryDirectory } from './fixtures/archive-blocks.js';

test('readTransactionRecord is undefined for an index at or past the block\'s count, and for a block past the archive\'s count', () => {
  const { directory, remove } = temporaryDirectory('out-of-range');
  const writer = BlockArchive.open(directory, { writer: true });
  const reader = BlockArchive.open(directory, { writer: false });
  try {
    const builder = new BlockBlobBuilder();
    const shapes: BlockShape[] = [
      { transactionCount: 0, storedBytes: 0, withMessages: false },
      { transactionCount: 5, storedBytes: 30, withMessages: true },
      // Many small records: an index past the count lands on an offset table or record bytes.
      { transactionCount: 2, storedBytes: 4000, withMessages: false },
    ];
    shapes.forEach((shape, height) => writer.append(BigInt(height), buildBlob(builder, BigInt(height), shape)));
    for (const archive of [writer, reader]) {
      assert.equal(archive.readTransactionRecord(0n, 0), undefined);
      assert.equal(decodeTransactionRecord(archive.readTransactionRecord(1n, 4)!).batchIndex, 4);
      assert.equal(archive.readTransactionRecord(1n, 5), undefined);
      assert.equal(archive.readTransactionRecord(1n, 6), undefined);
      assert.equal(archive.readTransactionRecord(2n, 1)!.length, 53 + 4001);
      for (const index of [2, 3, 100, 2000]) assert.equal(archive.readTransactionRecord(2n, index), undefined);
      assert.equal(archive.readTransactionRecord(3n, 0), undefined);
      assert.equal(archive.readTransactionRecord(1n << 40n, 0), undefined);
    }
  } finally {
    reader.close();
    writer.close();
    remove();
  }
});
