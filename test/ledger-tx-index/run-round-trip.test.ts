import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { RunReader, runBucketBits, runFileBytes } from '../../src/ledger/tx-index/run-file.js';
import {
  type RunEntry,
  Xorshift32,
  assertSameRecords,
  compareBytes,
  entryOf,
  hex,
  parseRunFileStrictly,
  randomRun,
  readAllWithCursor,
  removeDirectory,
  sortedUnique,
  temporaryDirectory,
  writeRun,
} from './run-fixture.js';

const directory = temporaryDirectory();
after(() => removeDirectory(directory));

/** Writes, then checks the bytes by the format, the cursor's reading, and a lookup of every hash. */
function roundTrip(name: string, entries: RunEntry[]): RunReader {
  const filePath = path.join(directory, name);
  const written = writeRun(filePath, entries);
  assert.equal(written.entryCount, entries.length);
  assert.equal(written.bytes, runFileBytes(entries.length));
  assert.equal(fs.statSync(filePath).size, written.bytes);
  assertSameRecords(parseRunFileStrictly(filePath).records, entries);
  assertSameRecords(readAllWithCursor(filePath), entries);
  const reader = RunReader.open(filePath);
  assert.equal(reader.entryCount, entries.length);
  for (const item of entries) {
    const found = reader.lookup(item.hash);
    if (found === undefined || compareBytes(found, item.entry) !== 0) assert.fail(`lookup ${hex(item.hash)} found ${found && hex(found)}, expected ${hex(item.entry)}`);
  }
  return reader;
}

function hashWithPrefix(random: Xorshift32, prefix: number[]): Uint8Array {
  const hash = random.bytes(32);
  hash.set(prefix, 0);
  return hash;
}

test('bucketBits follows max(0, min(24, floor(log2(count / 32))))', () => {
  const cases: [number, number][] = [
    [0, 0], [1, 0], [63, 0], [64, 1], [127, 1], [128, 2], [65_535, 10], [65_536, 11], [100_000, 11],
    [524_288, 14], [2 ** 29 - 1, 23], [2 ** 29, 24], [2 ** 32 - 1, 24],
  ];
  for (const [count, bits] of cases) assert.equal(runBucketBits(count), bits, `${count} entries`);
});

test('a run of 0 entries is valid: header, one table slot pair, no entries; every lookup misses', () => {
  const reader = roundTrip('empty.run', []);
  assert.equal(fs.statSync(path.join(directory, 'empty.run')).size, 32 + 2 * 4);
  assert.equal(reader.lookup(new Uint8Array(32)), undefined);
  assert.equal(reader.lookup(new Uint8Array(32).fill(0xff)), undefined);
  reader.close();
});

test('a run of 1 entry finds it and misses hashes just below and just above', () => {
  const hash = new Uint8Array(32).fill(0x80);
  const reader = roundTrip('one.run', [{ hash, entry: entryOf(7n, 3, true) }]);
  const below = new Uint8Array(hash);
  below[31] = 0x7f;
  const above = new Uint8Array(hash);
  above[31] = 0x81;
  assert.equal(reader.lookup(below), undefined);
  assert.equal(reader.lookup(above), undefined);
  assert.equal(reader.lookup(new Uint8Array(32)), undefined);
  assert.equal(reader.lookup(new Uint8Array(32).fill(0xff)), undefined);
  reader.close();
});

test('buckets left empty by clustered hashes miss, and the edges of the hash space miss', () => {
  const random = new Xorshift32(0x5eed_0001);
  // 256 entries make 8 buckets (top 3 bits); only buckets 0 and 7 hold entries.
  const entries = sortedUnique(
    Array.from({ length: 256 }, (_, index) => ({
      hash: hashWithPrefix(random, [index % 2 === 0 ? 0x01 : 0xfe]),
      entry: entryOf(BigInt(index), index, false),
    })),
  );
  assert.equal(entries.length, 256);
  const reader = roundTrip('clustered.run', entries);
  assert.equal(reader.bucketBits, 3);
  for (let bucket = 1; bucket < 7; bucket += 1) assert.equal(reader.lookup(hashWithPrefix(random, [bucket << 5])), undefined, `bucket ${bucket}`);
  assert.equal(reader.lookup(new Uint8Array(32)), undefined, 'below every hash');
  assert.equal(reader.lookup(new Uint8Array(32).fill(0xff)), undefined, 'above every hash');
  assert.equal(reader.lookup(hashWithPrefix(random, [0x01])), undefined, 'a miss inside a full bucket');
  reader.close();
});

test('one bucket holding thousands of entries (keys that are not hashes) still finds each and misses the rest', () => {
  const random = new Xorshift32(0x5eed_0002);
  const entries = sortedUnique(Array.from({ length: 5000 }, (_, index) => ({ hash: hashWithPrefix(random, [0, 0]), entry: entryOf(1n, index, false) })));
  const reader = roundTrip('crowded.run', entries);
  assert.equal(reader.bucketBits, 7);
  for (let probe = 0; probe < 200; probe += 1) assert.equal(reader.lookup(hashWithPrefix(random, [0, 0])), undefined);
  reader.close();
});

test('100,000 random hashes: each one found with its entry, random others missed', () => {
  const random = new Xorshift32(0x5eed_0003);
  const entries = randomRun(random, 100_000);
  const reader = roundTrip('large.run', entries);
  assert.equal(reader.bucketBits, 11);
  const held = new Set(entries.map((item) => hex(item.hash)));
  let misses = 0;
  for (let probe = 0; probe < 5000; probe += 1) {
    const hash = random.bytes(32);
    if (held.has(hex(hash))) continue;
    assert.equal(reader.lookup(hash), undefined);
    misses += 1;
  }
  assert.ok(misses > 4900);
  reader.close();
});

test('a lookup returns a copy that later lookups do not overwrite', () => {
  const random = new Xorshift32(0x5eed_0004);
  const entries = randomRun(random, 100);
  const reader = roundTrip('copies.run', entries);
  const first = reader.lookup(entries[0]!.hash)!;
  reader.lookup(entries[1]!.hash);
  assert.deepEqual(first, entries[0]!.entry);
  reader.close();
  assert.throws(() => reader.lookup(entries[0]!.hash), /closed/);
});
