import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BlockArchive } from '../../src/ledger/archive/block-archive.js';
import { decodeBlockRecord } from '../../src/ledger/store-records.js';
import { blobAt, shapeAt, temporaryDirectory } from './fixtures/archive-blocks.js';

test('a reader instance opened before the writer made anything sees each appended block and nothing at or past the count', () => {
  const { directory, remove } = temporaryDirectory('reader');
  const reader = BlockArchive.open(directory, { writer: false });
  assert.equal(reader.count(), 0n);
  assert.equal(reader.readBlob(0n), undefined);
  const writer = BlockArchive.open(directory, { writer: true, segmentBytes: 1500 });
  try {
    for (let height = 0n; height < 20n; height += 1n) {
      assert.equal(reader.count(), height);
      assert.equal(reader.readBlob(height), undefined);
      assert.equal(reader.readBlockRecord(height), undefined);
      assert.equal(reader.readTransactionRecord(height, 0), undefined);
      writer.append(height, blobAt(height));
      assert.equal(reader.count(), height + 1n);
      assert.deepEqual(new Uint8Array(reader.readBlob(height)!), blobAt(height));
      assert.equal(decodeBlockRecord(reader.readBlockRecord(height)!).header.height, height);
      if (shapeAt(height).transactionCount > 0) assert.ok(reader.readTransactionRecord(height, 0) !== undefined);
    }
    for (let height = 0n; height < 20n; height += 1n) assert.deepEqual(new Uint8Array(reader.readBlob(height)!), blobAt(height));
    assert.equal(reader.readBlob(20n), undefined);
    assert.equal(reader.readBlob(1n << 62n), undefined);
  } finally {
    reader.close();
    writer.close();
    remove();
  }
});

test('a reader refuses the writer\'s operations', () => {
  const { directory, remove } = temporaryDirectory('reader-refuses');
  const writer = BlockArchive.open(directory, { writer: true });
  const reader = BlockArchive.open(directory, { writer: false });
  try {
    assert.throws(() => reader.append(0n, blobAt(0n)), /opened for reading \(writer: false\); append needs the instance opened with writer: true/);
    assert.throws(() => reader.truncateTo(0n), /truncateTo needs the instance opened with writer: true/);
    assert.throws(() => reader.sync(), /sync needs the instance opened with writer: true/);
  } finally {
    reader.close();
    writer.close();
    remove();
  }
});
