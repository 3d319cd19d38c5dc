import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { RunReader } from '../../src/ledger/tx-index/run-file.js';
import { mergeRunFiles } from '../../src/ledger/tx-index/run-merge.js';
import { type RunEntry, entryOf, hex, parseRunFileStrictly, removeDirectory, temporaryDirectory, writeRun } from './run-fixture.js';

const directory = temporaryDirectory();
after(() => removeDirectory(directory));

function hashOf(value: number): Uint8Array {
  const hash = new Uint8Array(32);
  new DataView(hash.buffer).setUint32(0, value, false);
  hash[31] = 0x5a;
  return hash;
}

function runAt(name: string, entries: RunEntry[]): string {
  const filePath = path.join(directory, name);
  writeRun(filePath, entries);
  return filePath;
}

test('a hash in several runs keeps its applied occurrence, wherever it lies', () => {
  const runs = [
    runAt('applied-a.run', [{ hash: hashOf(1), entry: entryOf(10n, 0, false) }, { hash: hashOf(2), entry: entryOf(10n, 1, true) }]),
    runAt('applied-b.run', [{ hash: hashOf(1), entry: entryOf(20n, 0, true) }, { hash: hashOf(2), entry: entryOf(20n, 1, false) }]),
    runAt('applied-c.run', [{ hash: hashOf(1), entry: entryOf(30n, 0, false) }, { hash: hashOf(2), entry: entryOf(30n, 1, false) }]),
  ];
  const output = path.join(directory, 'applied-merged.run');
  assert.deepEqual(mergeRunFiles(runs, output), { entryCount: 2 });
  assert.deepEqual(parseRunFileStrictly(output).entries(), [
    { hash: hashOf(1), entry: entryOf(20n, 0, true) },
    { hash: hashOf(2), entry: entryOf(10n, 1, true) },
  ]);
});

test('without an applied occurrence the latest wins, by height then by index', () => {
  const runs = [
    runAt('latest-a.run', [{ hash: hashOf(1), entry: entryOf(40n, 7, false) }, { hash: hashOf(2), entry: entryOf(50n, 9, false) }, { hash: hashOf(3), entry: entryOf(1n, 1, true) }]),
    runAt('latest-b.run', [{ hash: hashOf(1), entry: entryOf(40n, 8, false) }, { hash: hashOf(2), entry: entryOf(51n, 0, false) }]),
  ];
  const output = path.join(directory, 'latest-merged.run');
  assert.deepEqual(mergeRunFiles(runs, output), { entryCount: 3 });
  const reader = RunReader.open(output);
  assert.deepEqual(reader.lookup(hashOf(1)), entryOf(40n, 8, false));
  assert.deepEqual(reader.lookup(hashOf(2)), entryOf(51n, 0, false));
  assert.deepEqual(reader.lookup(hashOf(3)), entryOf(1n, 1, true));
  reader.close();
});

test('two applied occurrences of one hash stop the merge: no output, inputs untouched', () => {
  const runs = [
    runAt('twice-a.run', [{ hash: hashOf(1), entry: entryOf(3n, 0, true) }, { hash: hashOf(4), entry: entryOf(3n, 1, false) }]),
    runAt('twice-b.run', [{ hash: hashOf(2), entry: entryOf(4n, 0, false) }, { hash: hashOf(4), entry: entryOf(5n, 2, true) }]),
    runAt('twice-c.run', [{ hash: hashOf(4), entry: entryOf(6n, 0, true) }]),
  ];
  const before = runs.map((run) => fs.readFileSync(run));
  const output = path.join(directory, 'twice-merged.run');
  assert.throws(() => mergeRunFiles(runs, output), new RegExp(`applied twice.*tx hash ${hex(hashOf(4))}`));
  assert.equal(fs.existsSync(output), false);
  assert.equal(fs.existsSync(`${output}.tmp`), false);
  runs.forEach((run, index) => assert.deepEqual(fs.readFileSync(run), before[index]));
});

test('duplicates that shrink the bucket table leave a file of exactly the format, no gap', () => {
  // 2 × 64 inputs size the writer for 128 entries (bucketBits 2); 64 unique hashes make bucketBits 1.
  const entries = Array.from({ length: 64 }, (_, index) => ({ hash: hashOf(index * 0x0400_0000), entry: entryOf(BigInt(index), 0, false) }));
  const later = entries.map((item) => ({ hash: item.hash, entry: entryOf(100n, 0, false) }));
  const output = path.join(directory, 'shrunk-merged.run');
  assert.deepEqual(mergeRunFiles([runAt('shrink-a.run', entries), runAt('shrink-b.run', later)], output), { entryCount: 64 });
  const parsed = parseRunFileStrictly(output);
  assert.equal(parsed.bucketBits, 1);
  assert.deepEqual(parsed.entries(), later);
});

test('a merge refuses the same input twice and an output among its inputs', () => {
  const run = runAt('self.run', [{ hash: hashOf(1), entry: entryOf(1n, 0, false) }]);
  assert.throws(() => mergeRunFiles([run, run], path.join(directory, 'self-merged.run')), /each run once/);
  assert.throws(() => mergeRunFiles([run], run), /also one of its inputs/);
});
