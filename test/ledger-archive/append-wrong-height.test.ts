import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AurigraphError } from '../../src/errors.js';
import { BlockArchive } from '../../src/ledger/archive/block-archive.js';
import { blobAt, temporaryDirectory } from './fixtures/archive-blocks.js';

test('an append at a height other than count() is refused with a message naming both heights and the directory', () => {
  const { directory, remove } = temporaryDirectory('wrong-height');
  const archive = BlockArchive.open(directory, { writer: true });
  try {
    for (let height = 0n; height < 3n; height += 1n) archive.append(height, blobAt(height));
    for (const height of [5n, 2n]) {
      assert.throws(
        () => archive.append(height, blobAt(height)),
        (error: unknown) =>
          error instanceof AurigraphError &&
          error.kind === 'failed_precondition' &&
          error.field === 'height' &&
          error.message.includes(directory) &&
          error.message.includes(`the next block appended is 3, not ${height}`) &&
          error.message.includes('truncateTo'),
      );
    }
    assert.equal(archive.count(), 3n);
    assert.equal(archive.readBlob(3n), undefined);
    archive.append(3n, blobAt(3n));
    assert.equal(archive.count(), 4n);
  } finally {
    archive.close();
    remove();
  }
});

test('a negative height or a bad segment size is refused as an invalid argument', () => {
  const { directory, remove } = temporaryDirectory('bad-arguments');
  const archive = BlockArchive.open(directory, { writer: true });
  try {
    assert.throws(() => archive.readBlob(-1n), (error: unknown) => error instanceof AurigraphError && error.kind === 'invalid_argument' && error.field === 'height');
    assert.throws(() => BlockArchive.open(directory, { writer: false, segmentBytes: 10 }), /segmentBytes: must be an integer of at least 188 bytes, got 10/);
  } finally {
    archive.close();
    remove();
  }
});
