import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { BlockArchive, segmentFileName } from '../../src/ledger/archive/block-archive.js';
import { blobAt, temporaryDirectory } from './fixtures/archive-blocks.js';

const segmentBytes = 1024;
const blockCount = 40n;

test('blobs fill a segment up to segmentBytes, then start the next; a larger blob sits alone in its segment', () => {
  const { directory, remove } = temporaryDirectory('rollover');
  const archive = BlockArchive.open(directory, { writer: true, segmentBytes });
  try {
    const lengths: number[] = [];
    for (let height = 0n; height < blockCount; height += 1n) {
      const blob = blobAt(height);
      lengths.push(blob.length);
      archive.append(height, blob);
    }
    assert.ok(lengths.some((length) => length > segmentBytes), 'some blob is larger than a segment');
    assert.ok(lengths.some((length) => length < segmentBytes / 3), 'some blobs share a segment');

    // Replay the placement rule over the lengths and compare with the index file entry by entry.
    const index = readFileSync(path.join(directory, 'blocks.idx'));
    assert.equal(index.length, Number(blockCount) * 16);
    let segment = 0;
    let endBytes = 0;
    const segmentEnds = new Map<number, number>();
    lengths.forEach((length, height) => {
      if (endBytes > 0 && endBytes + length > segmentBytes) {
        segment += 1;
        endBytes = 0;
      }
      assert.equal(index.readUInt32LE(height * 16), segment, `block ${height}'s segment`);
      assert.equal(index.readUInt32LE(height * 16 + 4), length, `block ${height}'s length`);
      assert.equal(index.readBigUInt64LE(height * 16 + 8), BigInt(endBytes), `block ${height}'s offset`);
      endBytes += length;
      segmentEnds.set(segment, endBytes);
    });
    assert.ok(segment >= 5, `the blocks span several segments (${segment + 1})`);

    const segmentFiles = readdirSync(directory).filter((name) => name.startsWith('segment-')).sort();
    assert.deepEqual(segmentFiles, [...segmentEnds.keys()].map(segmentFileName));
    for (const [number, end] of segmentEnds) assert.equal(statSync(path.join(directory, segmentFileName(number))).size, end);

    for (let height = 0n; height < blockCount; height += 1n) assert.deepEqual(new Uint8Array(archive.readBlob(height)!), blobAt(height));
  } finally {
    archive.close();
    remove();
  }
});
