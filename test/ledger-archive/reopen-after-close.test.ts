import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BlockArchive } from '../../src/ledger/archive/block-archive.js';
import { blobAt, shapeAt, temporaryDirectory } from './fixtures/archive-blocks.js';

const segmentBytes = 1500;

test('a writer reopened after close keeps every block and appends after them; readers see the same', () => {
  const { directory, remove } = temporaryDirectory('reopen');
  try {
    const first = BlockArchive.open(directory, { writer: true, segmentBytes });
    for (let height = 0n; height < 15n; height += 1n) first.append(height, blobAt(height));
    first.sync();
    for (let height = 15n; height < 25n; height += 1n) first.append(height, blobAt(height));
    first.close();
    first.close();

    const second = BlockArchive.open(directory, { writer: true, segmentBytes });
    try {
      assert.equal(second.count(), 25n);
      for (let height = 0n; height < 25n; height += 1n) assert.deepEqual(new Uint8Array(second.readBlob(height)!), blobAt(height));
      for (let height = 25n; height < 30n; height += 1n) second.append(height, blobAt(height));
    } finally {
      second.close();
    }

    const reader = BlockArchive.open(directory, { writer: false });
    try {
      assert.equal(reader.count(), 30n);
      for (let height = 0n; height < 30n; height += 1n) {
        assert.deepEqual(new Uint8Array(reader.readBlob(height)!), blobAt(height));
        if (shapeAt(height).transactionCount > 0) assert.ok(reader.readTransactionRecord(height, shapeAt(height).transactionCount - 1) !== undefined);
      }
    } finally {
      reader.close();
    }
  } finally {
    remove();
  }
});

test('a closed archive refuses use with a message saying to open it again', () => {
  const { directory, remove } = temporaryDirectory('closed');
  try {
    const writer = BlockArchive.open(directory, { writer: true });
    writer.append(0n, blobAt(0n));
    writer.close();
    assert.throws(() => writer.readBlob(0n), /is closed; open it again/);
    assert.throws(() => writer.append(1n, blobAt(1n)), /is closed; open it again/);
    assert.throws(() => writer.count(), /is closed/);
  } finally {
    remove();
  }
});
