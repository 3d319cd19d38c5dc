/**
 * A damaged log entry fails loudly on construction with an Error naming what is wrong: every
 * header field, record field, padding byte and truncation point.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { merkleRoot } from '../../src/crypto/index.js';
import { EntryBuilder, LogEntryView, logEntryBytesMaxFor, logEntryHeaderBytes } from '../../src/wire/index.js';
import { recordBytes, verifiedBatch } from './log-entry-fixtures.js';

function validEntry(): Uint8Array {
  const batch = verifiedBatch(8, 6);
  const builder = new EntryBuilder(logEntryBytesMaxFor(64, 1 << 20));
  builder.begin({ originNodeId: 'node-2', requestId: 5, clientBatchId: 6n, leaderTimestampMs: 7n });
  batch.transactions.forEach((_, index) => builder.append(batch.view.moveTo(index * recordBytes), batch.hashes[index]!));
  return builder.finish(merkleRoot(batch.hashes));
}

function corrupted(edit: (bytes: Uint8Array, view: DataView) => void): Uint8Array {
  const bytes = validEntry();
  edit(bytes, new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  return bytes;
}

const firstRecord = logEntryHeaderBytes;

test('each kind of damage is refused with a message naming it', () => {
  const entry = new LogEntryView(validEntry());
  const secondRecord = entry.recordOffset(1);
  const cases: Array<[string, Uint8Array, RegExp]> = [
    ['magic', corrupted((bytes) => (bytes[3] = 0x32)), /does not start with the magic "AGB1"/],
    ['version', corrupted((_, view) => view.setUint16(4, 2, true)), /version 2; this code reads version 1/],
    ['header zero byte', corrupted((bytes) => (bytes[7] = 1)), /header byte 7 is 1/],
    ['node id length 0', corrupted((bytes) => (bytes[6] = 0)), /origin node id length 0/],
    ['node id length 65', corrupted((bytes) => (bytes[6] = 65)), /origin node id length 65/],
    ['node id padding', corrupted((bytes) => (bytes[64 + 63] = 1)), /origin node id padding is not zero/],
    ['node id utf-8', corrupted((bytes) => (bytes[64] = 0xff)), /origin node id is not valid UTF-8/],
    ['count too large', corrupted((_, view) => view.setUint32(12, 1_000_000, true)), /transaction count 1000000 does not fit/],
    ['count too small', corrupted((_, view) => view.setUint32(12, 5, true)), /bytes after the last of 5 records/],
    ['count one more', corrupted((_, view) => view.setUint32(12, 7, true)), /record 6 at byte \d+ runs past the end/],
    ['record kind 0', corrupted((bytes) => (bytes[firstRecord] = 0)), /record 0 has kind 0, expected 1 to 7/],
    ['record kind 8', corrupted((bytes) => (bytes[secondRecord] = 8)), /record 1 has kind 8/],
    ['record flags', corrupted((bytes) => (bytes[firstRecord + 1] = 0x80)), /record 0 has unknown flag bits 128/],
    ['batch order', corrupted((_, view) => view.setUint32(secondRecord + 4, 0, true)), /record 1 has batch index 0, not after 0/],
    ['payload length', corrupted((_, view) => view.setUint16(firstRecord + 2, 0xffff, true)), /record 0's 65535-byte payload runs past the end/],
    ['trailing bytes', (() => {
      const bytes = validEntry();
      const longer = new Uint8Array(bytes.length + 8);
      longer.set(bytes);
      return longer;
    })(), /8 bytes after the last of 6 records/],
    ['short header', validEntry().subarray(0, 100), /100 bytes, shorter than the 128-byte header/],
  ];
  const padded = [...Array(entry.count).keys()].find((index) => entry.payload(index).length % 8 !== 0);
  assert.ok(padded !== undefined, 'the seeded entry has a payload that needs padding');
  const paddingAt = entry.recordOffset(padded) + 128 + entry.payload(padded).length;
  cases.push(['payload padding', corrupted((bytes) => (bytes[paddingAt] = 1)), new RegExp(`record ${padded}'s payload padding is not zero`)]);
  for (const [name, bytes, pattern] of cases) {
    assert.throws(() => new LogEntryView(bytes), (error: unknown) => {
      assert.ok(error instanceof Error, name);
      assert.match(error.message, /^log entry: /, name);
      assert.match(error.message, pattern, name);
      return true;
    }, name);
  }
  assert.throws(() => new LogEntryView('entry' as unknown as Uint8Array), /log entry: expected a Uint8Array/);
});

test('every truncation of an entry is refused', () => {
  const bytes = validEntry();
  let refused = 0;
  for (let cut = 0; cut < bytes.length; cut++) {
    assert.throws(() => new LogEntryView(bytes.subarray(0, cut)), /^Error: log entry: /, `cut at ${cut}`);
    refused += 1;
  }
  assert.equal(refused, bytes.length);
});
