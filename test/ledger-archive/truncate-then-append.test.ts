import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { BlockArchive, segmentFileName } from '../../src/ledger/archive/block-archive.js';
import { BlockBlobBuilder } from '../../src/ledger/archive/block-blob.js';
import { decodeBlockRecord } from '../../src/ledger/store-records.js';
import { blobAt, blockRecordAt, temporaryDirectory } from './fixtures/archive-blocks.js';

const segmentBytes = 1024;

/** A block `height` other than blobAt's: same height, different transactions. */
function otherBlobAt(height: bigint): Uint8Array {
  const builder = new BlockBlobBuilder();
  builder.begin(blockRecordAt(height, 1), 1);
  builder.addTransaction(
    { batchId: 999n, batchIndex: 0, status: 1, reason: 0, txHash: new Uint8Array(32).fill(0xee), applied: true, storedBytes: new Uint8Array(700).fill(7) },
    new Uint8Array(),
  );
  return new Uint8Array(builder.finish());
}

function segmentFiles(directory: string): string[] {
  return readdirSync(directory).filter((name) => name.startsWith('segment-')).sort();
}

test('truncateTo drops later blocks, cuts the segment at the kept tail and deletes later segments; appends continue from there', () => {
  const { directory, remove } = temporaryDirectory('truncate');
  const archive = BlockArchive.open(directory, { writer: true, segmentBytes });
  try {
    for (let height = 0n; height < 30n; height += 1n) archive.append(height, blobAt(height));
    const segmentsBefore = segmentFiles(directory).length;
    archive.truncateTo(12n);
    assert.equal(archive.count(), 12n);
    assert.equal(statSync(path.join(directory, 'blocks.idx')).size, 12 * 16);
    assert.equal(archive.readBlob(12n), undefined);
    assert.equal(archive.readBlockRecord(29n), undefined);
    assert.deepEqual(new Uint8Array(archive.readBlob(11n)!), blobAt(11n));

    const remaining = segmentFiles(directory);
    assert.ok(remaining.length < segmentsBefore, 'later segments were deleted');
    const lastSegmentSize = statSync(path.join(directory, remaining.at(-1)!)).size;
    let lastSegmentBytes = 0;
    for (let height = 11n; height >= 0n; height -= 1n) {
      // The kept segment holds exactly the kept blocks that live in it.
      lastSegmentBytes += blobAt(height).length;
      if (lastSegmentBytes === lastSegmentSize) break;
      assert.ok(lastSegmentBytes < lastSegmentSize, 'the last segment ends at block 11');
    }

    for (let height = 12n; height < 20n; height += 1n) archive.append(height, otherBlobAt(height));
    assert.equal(archive.count(), 20n);
    for (let height = 0n; height < 12n; height += 1n) assert.deepEqual(new Uint8Array(archive.readBlob(height)!), blobAt(height));
    for (let height = 12n; height < 20n; height += 1n) assert.deepEqual(new Uint8Array(archive.readBlob(height)!), otherBlobAt(height));

    archive.truncateTo(0n);
    assert.equal(archive.count(), 0n);
    assert.deepEqual(segmentFiles(directory), [segmentFileName(0)]);
    assert.equal(statSync(path.join(directory, segmentFileName(0))).size, 0);
    archive.append(0n, blobAt(0n));
    assert.deepEqual(new Uint8Array(archive.readBlob(0n)!), blobAt(0n));
    assert.throws(() => archive.truncateTo(5n), /holds 1 blocks and cannot be truncated to 5/);
  } finally {
    archive.close();
    remove();
  }
});

test('a reader holding a segment the writer deleted and made again reads the new blocks, not the dropped ones', () => {
  const { directory, remove } = temporaryDirectory('truncate-reader');
  const writer = BlockArchive.open(directory, { writer: true, segmentBytes });
  const reader = BlockArchive.open(directory, { writer: false });
  try {
    for (let height = 0n; height < 30n; height += 1n) writer.append(height, blobAt(height));
    // The reader opens (and caches) every segment.
    for (let height = 0n; height < 30n; height += 1n) assert.deepEqual(new Uint8Array(reader.readBlob(height)!), blobAt(height));
    writer.truncateTo(3n);
    assert.equal(reader.count(), 3n);
    assert.equal(reader.readBlob(3n), undefined);
    for (let height = 3n; height < 30n; height += 1n) writer.append(height, otherBlobAt(height));
    for (let height = 3n; height < 30n; height += 1n) {
      const blob = reader.readBlob(height)!;
      assert.deepEqual(new Uint8Array(blob), otherBlobAt(height), `block ${height} as appended after the truncation`);
      assert.equal(decodeBlockRecord(reader.readBlockRecord(height)!).header.height, height);
      assert.equal(reader.readTransactionRecord(height, 0)!.readBigUInt64LE(0), 999n);
    }
    assert.ok(existsSync(path.join(directory, segmentFileName(10))), 'the later segments were made again');
  } finally {
    reader.close();
    writer.close();
    remove();
  }
});
