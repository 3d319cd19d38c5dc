/**
 * Helpers for the tx-index run tests: a seeded xorshift PRNG, entry builders, and an independent
 * reading of the run file format (the whole file at once, which the node itself never does) to
 * check every byte the writer lays out.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RunFileWriter, type RunFileWritten, RunReader } from '../../src/ledger/tx-index/run-file.js';
import { writeTxIndexEntry } from '../../src/ledger/store-records.js';

/** xorshift32: deterministic, so a failing seed replays. */
export class Xorshift32 {
  #state: number;

  constructor(seed: number) {
    assert.ok(seed !== 0, 'xorshift needs a non-zero seed');
    this.#state = seed >>> 0;
  }

  nextU32(): number {
    let x = this.#state;
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    this.#state = x;
    return x;
  }

  /** An integer in [0, bound). */
  below(bound: number): number {
    return this.nextU32() % bound;
  }

  bytes(length: number): Uint8Array {
    const bytes = new Uint8Array(length);
    for (let offset = 0; offset < length; offset += 4) {
      const word = this.nextU32();
      for (let byte = 0; byte < 4 && offset + byte < length; byte += 1) bytes[offset + byte] = (word >>> (8 * byte)) & 0xff;
    }
    return bytes;
  }
}

export interface RunEntry {
  hash: Uint8Array;
  entry: Uint8Array;
}

export function entryOf(height: bigint, index: number, applied: boolean): Uint8Array {
  const entry = Buffer.alloc(13);
  writeTxIndexEntry(entry, height, index, applied);
  return new Uint8Array(entry);
}

export function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  return Buffer.compare(a, b);
}

/** The records (hash || entry) of `entries`, back to back as in a run file. */
export function recordsOf(entries: readonly RunEntry[]): Buffer {
  const records = Buffer.alloc(entries.length * 45);
  entries.forEach((item, index) => {
    records.set(item.hash, index * 45);
    records.set(item.entry, index * 45 + 32);
  });
  return records;
}

/** The entries of back-to-back records, as copies. */
export function entriesOf(records: Buffer): RunEntry[] {
  assert.equal(records.length % 45, 0);
  return Array.from({ length: records.length / 45 }, (_, index) => ({
    hash: new Uint8Array(records.subarray(index * 45, index * 45 + 32)),
    entry: new Uint8Array(records.subarray(index * 45 + 32, index * 45 + 45)),
  }));
}

/** Records equal to `expected`'s, naming the first record that differs (deepEqual over 100k objects costs seconds). */
export function assertSameRecords(actual: Buffer, expected: readonly RunEntry[]): void {
  const want = recordsOf(expected);
  if (actual.equals(want)) return;
  assert.equal(actual.length / 45, expected.length, 'entry count');
  let index = 0;
  while (actual.compare(want, index * 45, index * 45 + 45, index * 45, index * 45 + 45) === 0) index += 1;
  assert.fail(`record ${index}: got ${actual.toString('hex', index * 45, index * 45 + 45)}, expected ${want.toString('hex', index * 45, index * 45 + 45)}`);
}

/** Sorted by hash, the first occurrence of a hash kept (Array#sort is stable). */
export function sortedUnique(entries: readonly RunEntry[]): RunEntry[] {
  const sorted = [...entries].sort((a, b) => compareBytes(a.hash, b.hash));
  return sorted.filter((item, index) => index === 0 || compareBytes(sorted[index - 1]!.hash, item.hash) !== 0);
}

/** Writes `entries` (already strictly ascending) as a run sized exactly for them. */
export function writeRun(filePath: string, entries: readonly RunEntry[]): RunFileWritten {
  const writer = new RunFileWriter(filePath, entries.length);
  for (const item of entries) writer.add(item.hash, 0, item.entry, 0);
  return writer.finish();
}

/** Every record through the reader's chunked cursor, back to back. */
export function readAllWithCursor(filePath: string): Buffer {
  const reader = RunReader.open(filePath);
  try {
    const records = Buffer.alloc(reader.entryCount * 45);
    let written = 0;
    for (const cursor = reader.openCursor(); !cursor.done; cursor.advance()) {
      cursor.buffer.copy(records, written, cursor.offset, cursor.offset + 45);
      written += 45;
    }
    assert.equal(written, records.length, 'the cursor yields every entry');
    return records;
  } finally {
    reader.close();
  }
}

/**
 * Parses the file by the format's definition alone and asserts every rule of it: magic, version,
 * bucketBits = max(0, min(24, floor(log2(count / 32)))), reserved 0, exact size, each table slot
 * the first entry of its bucket, hashes strictly ascending, applied flags 0 or 1.
 */
export function parseRunFileStrictly(filePath: string): { bucketBits: number; records: Buffer; entries: () => RunEntry[] } {
  const file = fs.readFileSync(filePath);
  assert.equal(file.toString('latin1', 0, 8), 'AGTXRUN1');
  assert.equal(file.readUInt32LE(8), 1);
  const bucketBits = file.readUInt32LE(12);
  const count = Number(file.readBigUInt64LE(16));
  assert.equal(file.readBigUInt64LE(24), 0n);
  const expectedBits = count < 64 ? 0 : Math.max(0, Math.min(24, Math.floor(Math.log2(count / 32))));
  assert.equal(bucketBits, expectedBits, `bucketBits for ${count} entries`);
  const slots = 2 ** bucketBits + 1;
  const entriesStart = 32 + slots * 4;
  assert.equal(file.length, entriesStart + count * 45, 'file size');
  const records = file.subarray(entriesStart);
  for (let index = 0; index < count; index += 1) {
    const offset = index * 45;
    assert.ok(records[offset + 44]! <= 1, `entry ${index}'s applied flag`);
    if (index > 0) assert.ok(records.compare(records, offset, offset + 32, offset - 45, offset - 13) < 0, `entry ${index} above entry ${index - 1}`);
  }
  const bucketOf = (offset: number): number => (bucketBits === 0 ? 0 : ((records[offset]! << 16) | (records[offset + 1]! << 8) | records[offset + 2]!) >>> (24 - bucketBits));
  let index = 0;
  for (let bucket = 0; bucket < slots; bucket += 1) {
    while (index < count && bucketOf(index * 45) < bucket) index += 1;
    assert.equal(file.readUInt32LE(32 + bucket * 4), index, `table slot ${bucket}`);
  }
  return { bucketBits, records, entries: () => entriesOf(records) };
}

export function temporaryDirectory(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'aurigraph-tx-index-'));
}

export function removeDirectory(directory: string): void {
  fs.rmSync(directory, { recursive: true, force: true });
}

/** `count` random unique hashes with random entries, sorted. */
export function randomRun(random: Xorshift32, count: number): RunEntry[] {
  const entries: RunEntry[] = [];
  for (let index = 0; index < count; index += 1) {
    entries.push({ hash: random.bytes(32), entry: entryOf(BigInt(random.nextU32()), random.nextU32(), random.below(2) === 1) });
  }
  return sortedUnique(entries);
}
