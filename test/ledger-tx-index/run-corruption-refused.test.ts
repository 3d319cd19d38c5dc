import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { AurigraphError } from '../../src/errors.js';
import { RunReader } from '../../src/ledger/tx-index/run-file.js';
import { mergeRunFiles } from '../../src/ledger/tx-index/run-merge.js';
import { type RunEntry, Xorshift32, randomRun, removeDirectory, temporaryDirectory, writeRun } from './run-fixture.js';

const directory = temporaryDirectory();
const goodPath = path.join(directory, 'good.run');
let good: Buffer;
let entries: RunEntry[];
/** 1000 entries: bucketBits 4, table 17 slots, entries from byte 100. */
const entriesStart = 32 + 17 * 4;

before(() => {
  entries = randomRun(new Xorshift32(0x5eed_0101), 1000);
  writeRun(goodPath, entries);
  good = fs.readFileSync(goodPath);
});
after(() => removeDirectory(directory));

function damagedCopy(name: string, damage: (bytes: Buffer) => Buffer): string {
  const filePath = path.join(directory, name);
  fs.writeFileSync(filePath, damage(Buffer.from(good)));
  return filePath;
}

function assertRefusedAtOpen(name: string, damage: (bytes: Buffer) => Buffer, reason: RegExp): void {
  const filePath = damagedCopy(name, damage);
  assert.throws(
    () => RunReader.open(filePath),
    (error: unknown) =>
      error instanceof AurigraphError && error.kind === 'failed_precondition' && error.field === 'path' && error.message.includes(filePath) && reason.test(error.message),
    name,
  );
}

test('the undamaged file opens', () => {
  const reader = RunReader.open(goodPath);
  assert.equal(reader.entryCount, 1000);
  assert.equal(reader.bucketBits, 4);
  reader.close();
});

test('truncated or extended files are refused at open, naming the file', () => {
  assertRefusedAtOpen('empty.run', () => Buffer.alloc(0), /shorter than the 32-byte header/);
  assertRefusedAtOpen('header-cut.run', (bytes) => bytes.subarray(0, 20), /shorter than the 32-byte header/);
  assertRefusedAtOpen('table-cut.run', (bytes) => bytes.subarray(0, 40), /truncated or extended/);
  assertRefusedAtOpen('last-byte-cut.run', (bytes) => bytes.subarray(0, bytes.length - 1), /truncated or extended/);
  assertRefusedAtOpen('last-record-cut.run', (bytes) => bytes.subarray(0, bytes.length - 45), /truncated or extended/);
  assertRefusedAtOpen('extended.run', (bytes) => Buffer.concat([bytes, Buffer.alloc(1)]), /truncated or extended/);
});

test('a damaged header is refused at open, naming the file', () => {
  assertRefusedAtOpen('magic.run', (bytes) => ((bytes[0] = 0x61), bytes), /magic/);
  assertRefusedAtOpen('zeros.run', (bytes) => bytes.fill(0, 0, 32), /magic/);
  assertRefusedAtOpen('version.run', (bytes) => (bytes.writeUInt32LE(2, 8), bytes), /format version 2/);
  assertRefusedAtOpen('bucket-bits.run', (bytes) => (bytes.writeUInt32LE(5, 12), bytes), /bucketBits 5/);
  assertRefusedAtOpen('count.run', (bytes) => (bytes.writeBigUInt64LE(999n, 16), bytes), /truncated or extended/);
  assertRefusedAtOpen('count-huge.run', (bytes) => (bytes.writeBigUInt64LE(1n << 40n, 16), bytes), /claims/);
  assertRefusedAtOpen('reserved.run', (bytes) => (bytes.writeBigUInt64LE(1n, 24), bytes), /reserved/);
});

test('a bucket table that does not span the entries is refused at open', () => {
  assertRefusedAtOpen('table-first.run', (bytes) => (bytes.writeUInt32LE(1, 32), bytes), /bucket table from 1/);
  assertRefusedAtOpen('table-last.run', (bytes) => (bytes.writeUInt32LE(999, entriesStart - 4), bytes), /to 999/);
});

test('a bucket whose slots run backwards is refused at lookup, naming the file', () => {
  const filePath = damagedCopy('table-backwards.run', (bytes) => (bytes.writeUInt32LE(2000, 32 + 4), bytes));
  const reader = RunReader.open(filePath);
  const inBucketZero = entries.find((item) => item.hash[0]! >> 4 === 0)!;
  assert.throws(() => reader.lookup(inBucketZero.hash), (error: unknown) => error instanceof AurigraphError && error.message.includes(filePath) && /bucket 0/.test(error.message));
  reader.close();
});

test('an applied flag other than 0 or 1 is refused when read, by lookup and by a merge', () => {
  const filePath = damagedCopy('flag.run', (bytes) => ((bytes[entriesStart + 44] = 7), bytes));
  const reader = RunReader.open(filePath);
  assert.throws(() => reader.lookup(entries[0]!.hash), (error: unknown) => error instanceof AurigraphError && error.message.includes(filePath) && /applied flag is 7/.test(error.message));
  reader.close();
  const output = path.join(directory, 'flag-merged.run');
  assert.throws(() => mergeRunFiles([filePath], output), (error: unknown) => error instanceof AurigraphError && error.message.includes(filePath));
  assert.equal(fs.existsSync(output), false);
  assert.equal(fs.existsSync(`${output}.tmp`), false);
});

test('a missing file is the system error ENOENT, naming the file', () => {
  const missing = path.join(directory, 'missing.run');
  assert.throws(() => RunReader.open(missing), (error: unknown) => (error as NodeJS.ErrnoException).code === 'ENOENT' && (error as Error).message.includes(missing));
});
