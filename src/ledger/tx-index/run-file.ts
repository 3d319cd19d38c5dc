/**
 * Run files: the cold, immutable part of the tx-hash index. A run maps unique 32-byte transaction
 * hashes, sorted ascending, to 13-byte index entries (store-records.ts). Runs are read with pread
 * (fs.readSync at a position), never mapped, so they cost the process no resident memory beyond
 * the buffers of the reads in flight. See README.md for the layout and the reasons.
 *
 *   header   32 bytes: magic "AGTXRUN1", u32 LE version 1, u32 LE bucketBits, u64 LE entryCount,
 *            u64 LE reserved 0
 *   table    (2^bucketBits + 1) × u32 LE; bucket b (the top bucketBits bits of a hash) holds the
 *            entries [table[b], table[b + 1])
 *   entries  entryCount × 45 bytes: hash (32) || entry (13), strictly ascending by hash
 */
import fs from 'node:fs';
import path from 'node:path';
import { AurigraphError, alreadyExists, assert, failedPrecondition } from '../../errors.js';
import { hashBytes } from '../bytes.js';
import { positionKeyBytes, txIndexEntryBytes } from '../store-records.js';

export const runFileMagic = 'AGTXRUN1';
export const runFileVersion = 1;
export const runHeaderBytes = 32;
export const runRecordBytes = hashBytes + txIndexEntryBytes;
export const runBucketBitsMax = 24;
/** Entries per bucket the table aims at: one table slot (4 bytes) per this many 45-byte records. */
export const runEntriesPerBucketTarget = 32;
/** Bucket table slots are u32 entry indexes. */
export const runEntryCountMax = 0xffff_ffff;
/** A writer writes `${path}${runTemporarySuffix}` and renames it; such a file is never a run. */
export const runTemporarySuffix = '.tmp';

const mebibyte = 1024 * 1024;
/** Sequential reads stay at or under 1 MiB and hold whole records. */
const readChunkRecords = Math.floor(mebibyte / runRecordBytes);
/** Writes go out in chunks of at least 1 MiB. */
const writeChunkRecords = Math.ceil(mebibyte / runRecordBytes);
/** A lookup reads its whole bucket in one pread up to this many records, and narrows first by single-record preads beyond (skewed, non-hash keys). */
const lookupBucketReadRecordsMax = 1024;
const appliedOffsetInRecord = hashBytes + positionKeyBytes;

/** The format's bucketBits for a run of `entryCount` entries: max(0, min(24, floor(log2(entryCount / 32)))). */
export function runBucketBits(entryCount: number): number {
  assert(Number.isSafeInteger(entryCount) && entryCount >= 0, `an entry count is a non-negative integer, got ${entryCount}`);
  let bits = 0;
  while (bits < runBucketBitsMax && runEntriesPerBucketTarget * 2 ** (bits + 1) <= entryCount) bits += 1;
  return bits;
}

/** Bytes of the bucket table for `bucketBits`. */
export function runTableBytes(bucketBits: number): number {
  return (2 ** bucketBits + 1) * 4;
}

/** The exact size of a run file of `entryCount` entries. */
export function runFileBytes(entryCount: number): number {
  return runHeaderBytes + runTableBytes(runBucketBits(entryCount)) + entryCount * runRecordBytes;
}

/** The bucket of the hash at `bytes[offset]`: its top `bucketBits` bits (bucketBits ≤ 24). */
function bucketOf(bytes: Uint8Array, offset: number, bucketBits: number): number {
  const top24 = (bytes[offset]! << 16) | (bytes[offset + 1]! << 8) | bytes[offset + 2]!;
  return top24 >>> (24 - bucketBits);
}

/**
 * Unsigned byte order of two 32-byte hashes in place. A JavaScript loop, not Buffer#compare with
 * offsets: random hashes differ in their first bytes, and the loop measured about 9 ns per compare
 * against 120 ns through Buffer#compare's argument checks and native call (README.md).
 */
export function compareHashes(a: Uint8Array, aOffset: number, b: Uint8Array, bOffset: number): number {
  for (let byte = 0; byte < hashBytes; byte += 1) {
    const order = a[aOffset + byte]! - b[bOffset + byte]!;
    if (order !== 0) return order;
  }
  return 0;
}

function runFileError(filePath: string, problem: string): AurigraphError {
  return failedPrecondition(
    `tx index run file ${filePath} ${problem}; it is damaged or not a run file (runs are derived data: restore the ` +
      `file from a backup or rebuild the tx index, and remove stray files from the index directory)`,
    'path',
  );
}

function readExactly(fd: number, buffer: Buffer, length: number, position: number, filePath: string): void {
  let done = 0;
  while (done < length) {
    const read = fs.readSync(fd, buffer, done, length - done, position + done);
    if (read === 0) throw runFileError(filePath, `ended at byte ${position + done}, inside a read of ${length} bytes at ${position}`);
    done += read;
  }
}

function writeExactly(fd: number, buffer: Buffer, length: number, position: number): void {
  let done = 0;
  while (done < length) done += fs.writeSync(fd, buffer, done, length - done, position + done);
}

function fsyncDirectory(directory: string): void {
  const fd = fs.openSync(directory, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

export interface RunFileWritten {
  entryCount: number;
  bytes: number;
}

/**
 * Writes one run file from entries added in strictly ascending hash order, with the final count
 * known only at `finish` (a merge knows an upper bound: duplicates collapse). Entries are laid
 * out after a table sized for `entryCountMax`; when fewer entries make the format's bucketBits
 * smaller, `finish` moves them down so the file has no gap. Header and table are written last,
 * then the file is fsynced and renamed from `${path}.tmp`, and the directory fsynced: a run file
 * exists whole or not at all. Adding copies the record into a ≥ 1 MiB chunk; nothing is
 * allocated per entry.
 */
export class RunFileWriter {
  readonly path: string;
  readonly temporaryPath: string;
  readonly entryCountMax: number;
  readonly #fd: number;
  readonly #bucketBitsMax: number;
  readonly #entriesStartMax: number;
  /** table[b] = index of the first entry whose bucket (at #bucketBitsMax) is ≥ b; filled as entries arrive. */
  readonly #table: Uint32Array;
  #nextBucketToFill = 0;
  readonly #chunk: Buffer = Buffer.allocUnsafe(writeChunkRecords * runRecordBytes);
  #chunkRecords = 0;
  #entryCount = 0;
  /** The hash of the last entry written out, for the order check across a chunk boundary. */
  readonly #previousHash: Buffer = Buffer.alloc(hashBytes);
  #state: 'open' | 'finished' | 'aborted' = 'open';

  constructor(filePath: string, entryCountMax: number) {
    if (!Number.isSafeInteger(entryCountMax) || entryCountMax < 0 || entryCountMax > runEntryCountMax) {
      throw failedPrecondition(`a run holds 0 to ${runEntryCountMax} entries, got an upper bound of ${entryCountMax}`, 'entryCountMax');
    }
    if (fs.existsSync(filePath)) throw alreadyExists('path', `tx index run file ${filePath} already exists; runs are immutable, write a new name`);
    this.path = filePath;
    this.temporaryPath = filePath + runTemporarySuffix;
    this.entryCountMax = entryCountMax;
    this.#bucketBitsMax = runBucketBits(entryCountMax);
    this.#entriesStartMax = runHeaderBytes + runTableBytes(this.#bucketBitsMax);
    this.#table = new Uint32Array(2 ** this.#bucketBitsMax + 1);
    // 'w+' truncates a leftover from a crashed writer of the same name, and reads as well as
    // writes: finish may move the entries down.
    this.#fd = fs.openSync(this.temporaryPath, 'w+');
  }

  get entryCount(): number {
    return this.#entryCount;
  }

  /** Adds the 45-byte record (hash || entry) at `record[offset]`. */
  addRecord(record: Uint8Array, offset: number): void {
    this.add(record, offset, record, offset + hashBytes);
  }

  /** Adds the hash at `hash[hashOffset]` with the 13-byte entry at `entry[entryOffset]`. */
  add(hash: Uint8Array, hashOffset: number, entry: Uint8Array, entryOffset: number): void {
    // Per-entry checks build their messages only on failure.
    if (this.#state !== 'open') assert(false, `run writer for ${this.path} is ${this.#state}`);
    if (hashOffset < 0 || hashOffset + hashBytes > hash.length) assert(false, `a hash is ${hashBytes} bytes at offset ${hashOffset} of ${hash.length}`);
    if (entryOffset < 0 || entryOffset + txIndexEntryBytes > entry.length) {
      assert(false, `an entry is ${txIndexEntryBytes} bytes at offset ${entryOffset} of ${entry.length}`);
    }
    if (this.#entryCount >= this.entryCountMax) assert(false, `run ${this.path} was sized for at most ${this.entryCountMax} entries`);
    if (entry[entryOffset + positionKeyBytes]! > 1) assert(false, `a tx index entry's applied flag is 0 or 1, got ${entry[entryOffset + positionKeyBytes]}`);
    const chunk = this.#chunk;
    if (this.#entryCount > 0) {
      const previous = this.#chunkRecords > 0 ? chunk : this.#previousHash;
      const previousOffset = this.#chunkRecords > 0 ? (this.#chunkRecords - 1) * runRecordBytes : 0;
      if (compareHashes(previous, previousOffset, hash, hashOffset) >= 0) {
        assert(false, `run ${this.path}: hashes are added strictly ascending, entry ${this.#entryCount} is not above entry ${this.#entryCount - 1}`);
      }
    }
    const bucket = bucketOf(hash, hashOffset, this.#bucketBitsMax);
    const table = this.#table;
    for (let fill = this.#nextBucketToFill; fill <= bucket; fill += 1) table[fill] = this.#entryCount;
    if (bucket >= this.#nextBucketToFill) this.#nextBucketToFill = bucket + 1;

    const start = this.#chunkRecords * runRecordBytes;
    for (let byte = 0; byte < hashBytes; byte += 1) chunk[start + byte] = hash[hashOffset + byte]!;
    for (let byte = 0; byte < txIndexEntryBytes; byte += 1) chunk[start + hashBytes + byte] = entry[entryOffset + byte]!;
    this.#chunkRecords += 1;
    this.#entryCount += 1;
    if (this.#chunkRecords === writeChunkRecords) this.#flush();
  }

  #flush(): void {
    if (this.#chunkRecords === 0) return;
    const firstEntry = this.#entryCount - this.#chunkRecords;
    writeExactly(this.#fd, this.#chunk, this.#chunkRecords * runRecordBytes, this.#entriesStartMax + firstEntry * runRecordBytes);
    this.#chunk.copy(this.#previousHash, 0, (this.#chunkRecords - 1) * runRecordBytes, (this.#chunkRecords - 1) * runRecordBytes + hashBytes);
    this.#chunkRecords = 0;
  }

  /** Completes the file: entries in place, table and header written, fsynced, renamed to `path`. */
  finish(): RunFileWritten {
    assert(this.#state === 'open', `run writer for ${this.path} is ${this.#state}`);
    try {
      this.#flush();
      const entryCount = this.#entryCount;
      const table = this.#table;
      for (let fill = this.#nextBucketToFill; fill < table.length; fill += 1) table[fill] = entryCount;

      const bucketBits = runBucketBits(entryCount);
      assert(bucketBits <= this.#bucketBitsMax, 'fewer entries never need more buckets');
      const tableBytes = runTableBytes(bucketBits);
      const entriesStart = runHeaderBytes + tableBytes;
      if (entriesStart !== this.#entriesStartMax) this.#moveEntries(this.#entriesStartMax, entriesStart, entryCount);
      const bytes = entriesStart + entryCount * runRecordBytes;
      fs.ftruncateSync(this.#fd, bytes);

      // Bucket b at fewer bits starts where bucket b << shift starts at #bucketBitsMax bits.
      const shift = this.#bucketBitsMax - bucketBits;
      const head = Buffer.alloc(runHeaderBytes + tableBytes);
      head.write(runFileMagic, 0, 'latin1');
      head.writeUInt32LE(runFileVersion, 8);
      head.writeUInt32LE(bucketBits, 12);
      head.writeBigUInt64LE(BigInt(entryCount), 16);
      head.writeBigUInt64LE(0n, 24);
      for (let bucket = 0; bucket <= 2 ** bucketBits; bucket += 1) head.writeUInt32LE(table[bucket * 2 ** shift]!, runHeaderBytes + bucket * 4);
      assert(head.readUInt32LE(runHeaderBytes) === 0 && head.readUInt32LE(runHeaderBytes + tableBytes - 4) === entryCount, 'the bucket table spans every entry');
      writeExactly(this.#fd, head, head.length, 0);
      fs.fsyncSync(this.#fd);
      fs.closeSync(this.#fd);
      this.#state = 'finished';
      fs.renameSync(this.temporaryPath, this.path);
      fsyncDirectory(path.dirname(this.path));
      return { entryCount, bytes };
    } catch (error) {
      if (this.#state === 'open') this.abort();
      throw error;
    }
  }

  /** Moves the entries down to close the gap a table sized for entryCountMax left (front to back: the target is below the source). */
  #moveEntries(from: number, to: number, entryCount: number): void {
    assert(to < from, 'entries only move down');
    const chunk = this.#chunk;
    for (let moved = 0; moved < entryCount; ) {
      const records = Math.min(writeChunkRecords, entryCount - moved);
      readExactly(this.#fd, chunk, records * runRecordBytes, from + moved * runRecordBytes, this.temporaryPath);
      writeExactly(this.#fd, chunk, records * runRecordBytes, to + moved * runRecordBytes);
      moved += records;
    }
  }

  /** Abandons the file: closes it and removes `${path}.tmp`. No-op once finished or aborted. */
  abort(): void {
    if (this.#state !== 'open') return;
    this.#state = 'aborted';
    fs.closeSync(this.#fd);
    fs.rmSync(this.temporaryPath, { force: true });
  }
}

/**
 * A read-only run file. `open` validates the header, the file size and the table's two ends, and
 * refuses `*.tmp` (a writer's unfinished output: the caller deletes those when it opens the
 * index). Every read is a pread into a buffer of this reader; nothing is mapped.
 */
export class RunReader {
  readonly path: string;
  readonly entryCount: number;
  readonly bucketBits: number;
  readonly #fd: number;
  readonly #entriesStart: number;
  readonly #slots: Buffer = Buffer.allocUnsafe(8);
  #bucket: Buffer = Buffer.allocUnsafe(64 * runRecordBytes);
  #closed = false;

  private constructor(filePath: string, fd: number, entryCount: number, bucketBits: number) {
    this.path = filePath;
    this.#fd = fd;
    this.entryCount = entryCount;
    this.bucketBits = bucketBits;
    this.#entriesStart = runHeaderBytes + runTableBytes(bucketBits);
  }

  static open(filePath: string): RunReader {
    if (filePath.endsWith(runTemporarySuffix)) {
      throw failedPrecondition(`${filePath} is an unfinished run file (${runTemporarySuffix}), never a run; delete it`, 'path');
    }
    // A missing file throws the system error itself (code ENOENT, naming the path): readers whose
    // manifest snapshot names a run a merge has since deleted recognise it by that code.
    const fd = fs.openSync(filePath, 'r');
    try {
      return RunReader.#validate(filePath, fd);
    } catch (error) {
      fs.closeSync(fd);
      throw error;
    }
  }

  static #validate(filePath: string, fd: number): RunReader {
    const fileBytes = fs.fstatSync(fd).size;
    if (fileBytes < runHeaderBytes) throw runFileError(filePath, `is ${fileBytes} bytes, shorter than the ${runHeaderBytes}-byte header`);
    const header = Buffer.allocUnsafe(runHeaderBytes);
    readExactly(fd, header, runHeaderBytes, 0, filePath);
    const magic = header.toString('latin1', 0, 8);
    if (magic !== runFileMagic) throw runFileError(filePath, `starts with ${JSON.stringify(magic)}, not the magic ${JSON.stringify(runFileMagic)}`);
    const version = header.readUInt32LE(8);
    if (version !== runFileVersion) throw runFileError(filePath, `has format version ${version}; this node reads version ${runFileVersion}`);
    const entryCountBig = header.readBigUInt64LE(16);
    if (entryCountBig > BigInt(runEntryCountMax)) throw runFileError(filePath, `claims ${entryCountBig} entries, above the format's ${runEntryCountMax}`);
    const entryCount = Number(entryCountBig);
    const bucketBits = header.readUInt32LE(12);
    if (bucketBits !== runBucketBits(entryCount)) {
      throw runFileError(filePath, `has bucketBits ${bucketBits}, but ${entryCount} entries call for ${runBucketBits(entryCount)}`);
    }
    const reserved = header.readBigUInt64LE(24);
    if (reserved !== 0n) throw runFileError(filePath, `has ${reserved} in its reserved header field, not 0`);
    const expectedBytes = runFileBytes(entryCount);
    if (fileBytes !== expectedBytes) {
      throw runFileError(filePath, `is ${fileBytes} bytes, but a run of ${entryCount} entries is ${expectedBytes} bytes (truncated or extended)`);
    }
    const ends = Buffer.allocUnsafe(4);
    readExactly(fd, ends, 4, runHeaderBytes, filePath);
    const tableFirst = ends.readUInt32LE(0);
    readExactly(fd, ends, 4, runHeaderBytes + runTableBytes(bucketBits) - 4, filePath);
    const tableLast = ends.readUInt32LE(0);
    if (tableFirst !== 0 || tableLast !== entryCount) {
      throw runFileError(filePath, `has a bucket table from ${tableFirst} to ${tableLast}, not from 0 to its ${entryCount} entries`);
    }
    return new RunReader(filePath, fd, entryCount, bucketBits);
  }

  /**
   * The entry stored for `hash`, in a new 13-byte array, or undefined. Two preads: the bucket's
   * two table slots, then the bucket's records (about 32 × 45 bytes); a binary search within.
   */
  lookup(hash: Uint8Array): Uint8Array | undefined {
    this.#checkOpen();
    if (hash.length !== hashBytes) assert(false, `a tx hash is ${hashBytes} bytes, got ${hash.length}`);
    if (this.entryCount === 0) return undefined;
    const bucket = bucketOf(hash, 0, this.bucketBits);
    readExactly(this.#fd, this.#slots, 8, runHeaderBytes + bucket * 4, this.path);
    let low = this.#slots.readUInt32LE(0);
    let high = this.#slots.readUInt32LE(4);
    if (low > high || high > this.entryCount) throw runFileError(this.path, `has bucket ${bucket} spanning entries ${low} to ${high} of ${this.entryCount}`);
    // A bucket of hashes holds about 32 records; keys that are not hashes can crowd one bucket, and
    // single-record probes then narrow it so the one read below stays bounded.
    const probe = this.#bucket;
    while (high - low > lookupBucketReadRecordsMax) {
      const middle = low + Math.floor((high - low) / 2);
      readExactly(this.#fd, probe, runRecordBytes, this.#entriesStart + middle * runRecordBytes, this.path);
      const order = compareHashes(probe, 0, hash, 0);
      if (order === 0) return this.#entryAt(probe, 0);
      if (order < 0) low = middle + 1;
      else high = middle;
    }
    const records = high - low;
    if (records === 0) return undefined;
    if (this.#bucket.length < records * runRecordBytes) this.#bucket = Buffer.allocUnsafe(records * runRecordBytes);
    const recordsBytes = this.#bucket;
    readExactly(this.#fd, recordsBytes, records * runRecordBytes, this.#entriesStart + low * runRecordBytes, this.path);
    let first = 0;
    let last = records - 1;
    while (first <= last) {
      const middle = (first + last) >>> 1;
      const order = compareHashes(recordsBytes, middle * runRecordBytes, hash, 0);
      if (order === 0) return this.#entryAt(recordsBytes, middle * runRecordBytes);
      if (order < 0) first = middle + 1;
      else last = middle - 1;
    }
    return undefined;
  }

  #entryAt(records: Buffer, recordOffset: number): Uint8Array {
    const entry = new Uint8Array(txIndexEntryBytes);
    for (let byte = 0; byte < txIndexEntryBytes; byte += 1) entry[byte] = records[recordOffset + hashBytes + byte]!;
    if (entry[positionKeyBytes]! > 1) throw runFileError(this.path, `holds an entry whose applied flag is ${entry[positionKeyBytes]}, not 0 or 1`);
    return entry;
  }

  /** A cursor over every record in order, reading at most 1 MiB per pread. */
  openCursor(): RunCursor {
    this.#checkOpen();
    return new RunCursor(this, this.#fd, this.#entriesStart);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    fs.closeSync(this.#fd);
  }

  get closed(): boolean {
    return this.#closed;
  }

  #checkOpen(): void {
    if (this.#closed) assert(false, `run reader for ${this.path} is closed`);
  }
}

/**
 * Sequential access for merges: `buffer` and `offset` locate the current 45-byte record
 * (hash || entry) until the next `advance()`; `done` once past the last. Records are read in
 * whole-record chunks of at most 1 MiB.
 */
export class RunCursor {
  readonly #reader: RunReader;
  readonly #fd: number;
  readonly #entriesStart: number;
  readonly #chunk: Buffer;
  #chunkRecords = 0;
  #recordInChunk = 0;
  /** Entries read from the file so far (the chunk's last one included). */
  #entriesRead = 0;
  #done = false;

  constructor(reader: RunReader, fd: number, entriesStart: number) {
    this.#reader = reader;
    this.#fd = fd;
    this.#entriesStart = entriesStart;
    this.#chunk = Buffer.allocUnsafe(Math.min(readChunkRecords, Math.max(1, reader.entryCount)) * runRecordBytes);
    this.#fill();
  }

  get done(): boolean {
    return this.#done;
  }

  get buffer(): Buffer {
    return this.#chunk;
  }

  /** Offset of the current record in `buffer`. */
  get offset(): number {
    return this.#recordInChunk * runRecordBytes;
  }

  advance(): void {
    if (this.#done) assert(false, `cursor over ${this.#reader.path} advanced past its end`);
    this.#recordInChunk += 1;
    if (this.#recordInChunk === this.#chunkRecords) this.#fill();
  }

  #fill(): void {
    assert(!this.#reader.closed, `run reader for ${this.#reader.path} is closed`);
    const records = Math.min(this.#chunk.length / runRecordBytes, this.#reader.entryCount - this.#entriesRead);
    this.#recordInChunk = 0;
    this.#chunkRecords = records;
    if (records === 0) {
      this.#done = true;
      return;
    }
    readExactly(this.#fd, this.#chunk, records * runRecordBytes, this.#entriesStart + this.#entriesRead * runRecordBytes, this.#reader.path);
    this.#entriesRead += records;
    for (let record = 0; record < records; record += 1) {
      const applied = this.#chunk[record * runRecordBytes + appliedOffsetInRecord]!;
      if (applied > 1) throw runFileError(this.#reader.path, `holds an entry whose applied flag is ${applied}, not 0 or 1`);
    }
  }
}
