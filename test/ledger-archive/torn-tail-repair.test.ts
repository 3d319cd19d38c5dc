import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, existsSync, readdirSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { BlockArchive, segmentFileName } from '../../src/ledger/archive/block-archive.js';
import { blobAt, temporaryDirectory } from './fixtures/archive-blocks.js';

const segmentBytes = 1024;

/** Writes blocks 0..count-1 with a writer that is then closed. */
function writeBlocks(directory: string, count: bigint): void {
  const writer = BlockArchive.open(directory, { writer: true, segmentBytes });
  for (let height = 0n; height < count; height += 1n) writer.append(height, blobAt(height));
  writer.close();
}

function assertHolds(archive: BlockArchive, count: bigint): void {
  assert.equal(archive.count(), count);
  for (let height = 0n; height < count; height += 1n) assert.deepEqual(new Uint8Array(archive.readBlob(height)!), blobAt(height));
  assert.equal(archive.readBlob(count), undefined);
}

function indexPath(directory: string): string {
  return path.join(directory, 'blocks.idx');
}

function lastSegment(directory: string): string {
  return path.join(directory, readdirSync(directory).filter((name) => name.startsWith('segment-')).sort().at(-1)!);
}

test('a partial index entry at the tail is cut when the writer opens', () => {
  const { directory, remove } = temporaryDirectory('torn-index');
  try {
    writeBlocks(directory, 10n);
    appendFileSync(indexPath(directory), Buffer.from([1, 2, 3, 4, 5, 6, 7]));
    const reader = BlockArchive.open(directory, { writer: false });
    assert.equal(reader.count(), 10n, 'a reader ignores a trailing partial entry');
    reader.close();

    const writer = BlockArchive.open(directory, { writer: true, segmentBytes });
    try {
      assert.equal(statSync(indexPath(directory)).size, 10 * 16);
      assertHolds(writer, 10n);
      writer.append(10n, blobAt(10n));
      assertHolds(writer, 11n);
    } finally {
      writer.close();
    }
  } finally {
    remove();
  }
});

test('an entry whose blob did not reach its segment is cut, with the partial blob', () => {
  const { directory, remove } = temporaryDirectory('torn-blob');
  try {
    writeBlocks(directory, 12n);
    // Cut block 11's blob short: its entry now points past its segment's end.
    const segment = lastSegment(directory);
    const blob11 = blobAt(11n);
    const sizeBytes = statSync(segment).size;
    truncateSync(segment, sizeBytes - Math.floor(blob11.length / 2));

    const writer = BlockArchive.open(directory, { writer: true, segmentBytes });
    try {
      assertHolds(writer, 11n);
      assert.equal(statSync(indexPath(directory)).size, 11 * 16);
      assert.ok(!existsSync(segment) || statSync(segment).size === sizeBytes - blob11.length, 'the partial blob is gone');
      writer.append(11n, blob11);
      writer.append(12n, blobAt(12n));
      assertHolds(writer, 13n);
    } finally {
      writer.close();
    }
  } finally {
    remove();
  }
});

test('a blob written without its index entry, in a new segment, is dropped with that segment', () => {
  const { directory, remove } = temporaryDirectory('torn-segment');
  try {
    writeBlocks(directory, 8n);
    const segments = readdirSync(directory).filter((name) => name.startsWith('segment-')).length;
    const stray = path.join(directory, segmentFileName(segments));
    writeFileSync(stray, Buffer.from(blobAt(8n)));
    const lastSegmentPath = lastSegment(directory);
    assert.equal(lastSegmentPath, stray);

    const writer = BlockArchive.open(directory, { writer: true, segmentBytes });
    try {
      assert.equal(existsSync(stray), false, 'the segment no entry points into is deleted');
      assertHolds(writer, 8n);
      writer.append(8n, blobAt(8n));
      assertHolds(writer, 9n);
    } finally {
      writer.close();
    }
  } finally {
    remove();
  }
});

test('several tail entries whose blobs never reached the disk are all cut back to the last whole block', () => {
  const { directory, remove } = temporaryDirectory('torn-many');
  try {
    writeBlocks(directory, 6n);
    // Entries zero-filled past the file, as after an operating-system crash before fsync.
    appendFileSync(indexPath(directory), Buffer.alloc(3 * 16));
    const writer = BlockArchive.open(directory, { writer: true, segmentBytes });
    try {
      assertHolds(writer, 6n);
    } finally {
      writer.close();
    }
  } finally {
    remove();
  }
});
