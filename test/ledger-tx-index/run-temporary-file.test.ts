import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { AurigraphError } from '../../src/errors.js';
import { RunFileWriter, RunReader } from '../../src/ledger/tx-index/run-file.js';
import { Xorshift32, assertSameRecords, parseRunFileStrictly, randomRun, removeDirectory, temporaryDirectory, writeRun } from './run-fixture.js';

// A writer writes `${path}.tmp` and renames it to `path` only when complete: a `.tmp` is never a
// run, and the index's owner deletes every `*.tmp` when it opens the index.
const directory = temporaryDirectory();
after(() => removeDirectory(directory));

function isTemporaryRefusal(filePath: string): (error: unknown) => boolean {
  return (error: unknown) => error instanceof AurigraphError && error.kind === 'failed_precondition' && error.message.includes(filePath) && /unfinished/.test(error.message);
}

test('while a writer is unfinished only the .tmp exists, and it does not open as a run', () => {
  const filePath = path.join(directory, 'unfinished.run');
  const writer = new RunFileWriter(filePath, 1000);
  for (const item of randomRun(new Xorshift32(0x5eed_0201), 1000)) writer.add(item.hash, 0, item.entry, 0);
  assert.equal(fs.existsSync(filePath), false);
  assert.equal(fs.existsSync(`${filePath}.tmp`), true);
  assert.throws(() => RunReader.open(filePath), (error: unknown) => (error as NodeJS.ErrnoException).code === 'ENOENT');
  assert.throws(() => RunReader.open(`${filePath}.tmp`), isTemporaryRefusal(`${filePath}.tmp`));
  writer.abort();
  assert.equal(fs.existsSync(`${filePath}.tmp`), false);
});

test('a complete run renamed to .tmp is still refused: the name decides', () => {
  const filePath = path.join(directory, 'complete.run');
  writeRun(filePath, randomRun(new Xorshift32(0x5eed_0202), 100));
  fs.copyFileSync(filePath, `${filePath}.tmp`);
  assert.throws(() => RunReader.open(`${filePath}.tmp`), isTemporaryRefusal(`${filePath}.tmp`));
});

test('finish leaves the run and no .tmp; a leftover .tmp of a crashed writer is replaced', () => {
  const filePath = path.join(directory, 'after-crash.run');
  fs.writeFileSync(`${filePath}.tmp`, Buffer.alloc(10_000, 0xab));
  const entries = randomRun(new Xorshift32(0x5eed_0203), 300);
  writeRun(filePath, entries);
  assert.equal(fs.existsSync(`${filePath}.tmp`), false);
  assertSameRecords(parseRunFileStrictly(filePath).records, entries);
});
