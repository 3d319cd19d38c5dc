import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { AurigraphError } from '../../src/errors.js';
import { RunFileWriter } from '../../src/ledger/tx-index/run-file.js';
import { entryOf, removeDirectory, temporaryDirectory, writeRun } from './run-fixture.js';

const directory = temporaryDirectory();
after(() => removeDirectory(directory));

function hashOf(firstByte: number, lastByte = 0): Uint8Array {
  const hash = new Uint8Array(32);
  hash[0] = firstByte;
  hash[31] = lastByte;
  return hash;
}

/** Adds the hashes in the given order; returns the writer so the test can abort it. */
function writerAfter(name: string, hashes: Uint8Array[]): { writer: RunFileWriter; error: unknown } {
  const writer = new RunFileWriter(path.join(directory, name), 10);
  try {
    for (const hash of hashes) writer.add(hash, 0, entryOf(1n, 0, false), 0);
    return { writer, error: undefined };
  } catch (error) {
    return { writer, error };
  }
}

function assertRefusedAndDiscardable(name: string, hashes: Uint8Array[]): void {
  const { writer, error } = writerAfter(name, hashes);
  assert.ok(error instanceof Error && /strictly ascending/.test(error.message), `refused: ${String(error)}`);
  writer.abort();
  assert.equal(fs.existsSync(path.join(directory, name)), false);
  assert.equal(fs.existsSync(path.join(directory, `${name}.tmp`)), false, 'abort removes the temporary file');
}

test('a hash below the previous one is refused', () => {
  assertRefusedAndDiscardable('descending.run', [hashOf(1), hashOf(3), hashOf(2)]);
});

test('a hash equal to the previous one is refused', () => {
  assertRefusedAndDiscardable('duplicate.run', [hashOf(1), hashOf(2, 9), hashOf(2, 9)]);
});

test('order is checked across a write-chunk boundary (23,302 records)', () => {
  const writer = new RunFileWriter(path.join(directory, 'chunked.run'), 30_000);
  const hash = Buffer.alloc(32);
  const entry = entryOf(1n, 0, false);
  for (let index = 0; index < 23_302; index += 1) {
    hash.writeUInt32BE(index + 1, 0);
    writer.add(hash, 0, entry, 0);
  }
  hash.writeUInt32BE(23_302, 0);
  assert.throws(() => writer.add(hash, 0, entry, 0), /strictly ascending/);
  writer.abort();
});

test('more entries than the writer was sized for are refused', () => {
  const writer = new RunFileWriter(path.join(directory, 'small.run'), 2);
  writer.add(hashOf(1), 0, entryOf(1n, 0, false), 0);
  writer.add(hashOf(2), 0, entryOf(1n, 1, false), 0);
  assert.throws(() => writer.add(hashOf(3), 0, entryOf(1n, 2, false), 0), /at most 2 entries/);
  writer.abort();
});

test('an entry whose applied flag is neither 0 nor 1 is refused', () => {
  const writer = new RunFileWriter(path.join(directory, 'flag.run'), 2);
  const entry = entryOf(1n, 0, false);
  entry[12] = 2;
  assert.throws(() => writer.add(hashOf(1), 0, entry, 0), /applied flag is 0 or 1/);
  writer.abort();
});

test('a run is never overwritten: a writer for an existing path is refused', () => {
  const filePath = path.join(directory, 'existing.run');
  writeRun(filePath, [{ hash: hashOf(1), entry: entryOf(1n, 0, true) }]);
  assert.throws(
    () => new RunFileWriter(filePath, 1),
    (error: unknown) => error instanceof AurigraphError && error.kind === 'already_exists' && error.message.includes(filePath),
  );
});

test('an entry count bound beyond u32 is refused', () => {
  assert.throws(() => new RunFileWriter(path.join(directory, 'huge.run'), 2 ** 32), (error: unknown) => error instanceof AurigraphError && error.field === 'entryCountMax');
});
