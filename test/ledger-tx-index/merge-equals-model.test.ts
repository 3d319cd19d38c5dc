import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { decodeTxIndexEntry } from '../../src/ledger/store-records.js';
import { RunReader } from '../../src/ledger/tx-index/run-file.js';
import { mergeRunFiles } from '../../src/ledger/tx-index/run-merge.js';
import { type RunEntry, Xorshift32, assertSameRecords, entryOf, hex, parseRunFileStrictly, readAllWithCursor, removeDirectory, sortedUnique, temporaryDirectory, writeRun } from './run-fixture.js';

const directory = temporaryDirectory();
after(() => removeDirectory(directory));

/** The occurrence rule restated on decoded entries, independently of occurrence.ts. */
function modelPreferred(a: Uint8Array, b: Uint8Array): Uint8Array {
  const left = decodeTxIndexEntry(a);
  const right = decodeTxIndexEntry(b);
  assert.ok(!(left.applied && right.applied), 'the generator applies each hash at most once');
  if (left.applied) return a;
  if (right.applied) return b;
  if (left.height !== right.height) return left.height > right.height ? a : b;
  return left.index > right.index ? a : b;
}

for (const seed of [0x0c0ffee1, 0x0badcafe]) {
  test(`merging 5 random runs equals a Map model of the occurrence rule (seed ${seed.toString(16)})`, () => {
    const random = new Xorshift32(seed);
    // A pool smaller than the runs together, so hashes recur across runs; the first run crosses
    // the cursor's 23,301-record read chunk.
    const pool = Array.from({ length: 40_000 }, () => random.bytes(32));
    const appliedRun = pool.map(() => (random.below(3) === 0 ? random.below(5) : -1));
    const model = new Map<string, RunEntry>();
    const inputs: string[] = [];
    for (let run = 0; run < 5; run += 1) {
      const size = run === 0 ? 60_000 : 2_000 + random.below(10_000);
      const entries: RunEntry[] = [];
      for (let draw = 0; draw < size; draw += 1) {
        const slot = random.below(pool.length);
        // Heights from a narrow range so equal heights fall back to the index; index mod 5 = run
        // keeps one hash's occurrences in different runs at different positions.
        entries.push({ hash: pool[slot]!, entry: entryOf(BigInt(random.below(40)), random.below(100_000) * 5 + run, appliedRun[slot] === run) });
      }
      const unique = sortedUnique(entries);
      if (run === 0) assert.ok(unique.length > 23_301, `run 0 spans more than one read chunk (${unique.length} entries)`);
      const inputPath = path.join(directory, `${seed}-input-${run}.run`);
      writeRun(inputPath, unique);
      inputs.push(inputPath);
      for (const item of unique) {
        const key = hex(item.hash);
        const held = model.get(key);
        model.set(key, held === undefined ? item : { hash: item.hash, entry: modelPreferred(held.entry, item.entry) });
      }
    }
    const output = path.join(directory, `${seed}-merged.run`);
    const { entryCount } = mergeRunFiles(inputs, output);
    const expected = [...model.values()].sort((a, b) => Buffer.compare(a.hash, b.hash));
    assert.equal(entryCount, expected.length);
    assertSameRecords(parseRunFileStrictly(output).records, expected);
    assertSameRecords(readAllWithCursor(output), expected);
    const reader = RunReader.open(output);
    for (let probe = 0; probe < 2000; probe += 1) {
      const item = expected[random.below(expected.length)]!;
      assert.deepEqual(reader.lookup(item.hash), item.entry);
    }
    reader.close();
  });
}

test('a merge of one run copies it, and a merge of no runs writes an empty run', () => {
  const entries = sortedUnique(Array.from({ length: 500 }, (_, index) => ({ hash: new Xorshift32(index + 1).bytes(32), entry: entryOf(1n, index, false) })));
  const single = path.join(directory, 'single.run');
  writeRun(single, entries);
  assert.deepEqual(mergeRunFiles([single], path.join(directory, 'single-merged.run')), { entryCount: entries.length });
  assert.deepEqual(parseRunFileStrictly(path.join(directory, 'single-merged.run')).entries(), entries);
  assert.deepEqual(mergeRunFiles([], path.join(directory, 'none-merged.run')), { entryCount: 0 });
  assert.deepEqual(parseRunFileStrictly(path.join(directory, 'none-merged.run')).entries(), []);
});
