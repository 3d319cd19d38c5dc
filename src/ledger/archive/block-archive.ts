/**
 * The block archive: each block's blob (block-blob.ts) appended to plain segment files and found
 * through a fixed-width index, read with pread and never mapped, so history lives in the
 * operating system's page cache and not in the node's RSS. One writer per directory (the
 * ledger's commit thread); any number of readers, in any thread, each with its own instance.
 *
 *   blocks.idx             16 bytes per height h at h * 16: segment u32, length u32, offset u64
 *   segment-%08d.dat       blobs back to back; a new segment starts when a blob would take the
 *                          current one past segmentBytes (a larger blob sits alone in one)
 *
 * The writer writes a blob, then its index entry, and fsyncs only in sync() and close(): the
 * ledger runs without fsync, so the archive keeps what write() returned through a process crash
 * and the ledger's LMDB head decides, on open, what counts (truncateTo). A reader sees a block
 * once its index entry is in blocks.idx: the entry extends the file only after the blob's
 * write() returned, and a read never goes past the file's size.
 */
import fs from 'node:fs';
import path from 'node:path';
import { AurigraphError, assert, failedPrecondition, invalidArgument } from '../../errors.js';
import { decodeBlockRecord, transactionRecordFixedBytes } from '../store-records.js';
import {
  blockBlobBytesMin,
  blockRecordBytes,
  checkBlockBlobFrame,
  transactionCountPosition,
  transactionOffsetPosition,
  transactionRecordsPosition,
} from './block-blob.js';

export const indexFileName = 'blocks.idx';
export const indexEntryBytes = 16;
export const segmentBytesDefault = 256 * 1024 * 1024;
/** Readers of old blocks touch many segments; beyond this many open ones the oldest is closed. */
export const segmentFdsMax = 64;

export function segmentFileName(segment: number): string {
  assert(Number.isInteger(segment) && segment >= 0 && segment <= 0xffffffff, `segment number ${segment} is a u32`);
  return `segment-${String(segment).padStart(8, '0')}.dat`;
}

export interface BlockArchiveOptions {
  /** The one instance per directory that appends, truncates and fsyncs. */
  writer: boolean;
  /** A segment file is cut over to the next one before it would pass this size. */
  segmentBytes?: number;
}

interface IndexEntry {
  segment: number;
  lengthBytes: number;
  offsetBytes: number;
}

const segmentFilePattern = /^segment-(\d{8})\.dat$/;
const twoToThe32 = 0x1_0000_0000;
/** Heights at or past this have no index position a JavaScript number can hold exactly. */
const heightLimit = BigInt(Math.floor(Number.MAX_SAFE_INTEGER / indexEntryBytes));
const shortRead = Symbol('short read');

export class BlockArchive {
  readonly directory: string;
  readonly writer: boolean;
  readonly segmentBytes: number;

  #indexFd: number | undefined;
  /** Open segment files by number, least recently used first. */
  readonly #segmentFds = new Map<number, number>();
  readonly #readScratch = Buffer.allocUnsafeSlow(indexEntryBytes);
  readonly #entryScratch = Buffer.allocUnsafeSlow(indexEntryBytes);
  /** readTransactionRecord's count and offset pair; one page, see there. */
  readonly #spanScratch = Buffer.allocUnsafeSlow(4096);
  #closed = false;

  // The writer's state: the archive's tail, kept in memory so append needs no fstat.
  #count = 0n;
  #segment = 0;
  #segmentEndBytes = 0;
  readonly #unsyncedSegments = new Set<number>();
  #indexUnsynced = false;
  #directoryUnsynced = false;

  private constructor(directory: string, writer: boolean, segmentBytes: number) {
    this.directory = directory;
    this.writer = writer;
    this.segmentBytes = segmentBytes;
  }

  /**
   * Opens the archive in `directory`. The writer creates the directory and cuts a torn tail (an
   * index entry cut short, or one whose blob did not reach its segment) back to the last whole
   * block; the ledger then truncates to its own head. A reader creates nothing and sees an
   * archive whose writer has not started yet as empty.
   */
  static open(directory: string, options: BlockArchiveOptions): BlockArchive {
    const segmentBytes = options.segmentBytes ?? segmentBytesDefault;
    if (!Number.isSafeInteger(segmentBytes) || segmentBytes < blockBlobBytesMin) {
      throw invalidArgument('segmentBytes', `must be an integer of at least ${blockBlobBytesMin} bytes, got ${segmentBytes}`);
    }
    const archive = new BlockArchive(directory, options.writer, segmentBytes);
    if (options.writer) archive.#openWriter();
    return archive;
  }

  /** Heights present: 0 .. count - 1. */
  count(): bigint {
    this.#checkOpen();
    if (this.writer) return this.#count;
    const fd = this.#indexFdForReading();
    if (fd === undefined) return 0n;
    // A trailing partial entry is one the writer is writing (or a torn tail it will cut).
    return BigInt(Math.floor(fs.fstatSync(fd).size / indexEntryBytes));
  }

  /** Appends block `height`'s blob; `height` must be count(). Durable at the next sync(). */
  append(height: bigint, blob: Uint8Array): void {
    this.#checkOpen();
    this.#checkWriter('append');
    checkHeightArgument(height);
    if (height !== this.#count) {
      throw failedPrecondition(
        `block archive ${this.directory} holds ${this.#count} blocks (heights below ${this.#count}), so the next block appended is ${this.#count}, not ${height}; ` +
          `truncate the archive to the ledger's head (truncateTo) before appending`,
        'height',
      );
    }
    checkBlockBlobFrame(blob);
    const blobHeight = decodeBlockRecord(blob.subarray(0, blockRecordBytes)).header.height;
    assert(blobHeight === height, `the blob appended at height ${height} holds block ${blobHeight}`);
    assert(height < heightLimit, `height ${height} has an index position below 2^53`);

    if (this.#segmentEndBytes > 0 && this.#segmentEndBytes + blob.length > this.segmentBytes) this.#startSegment(this.#segment + 1);
    const segmentFd = this.#segmentFd(this.#segment, true)!;
    writeFully(segmentFd, blob, this.#segmentEndBytes);

    const entry = this.#entryScratch;
    entry.writeUInt32LE(this.#segment, 0);
    entry.writeUInt32LE(blob.length, 4);
    entry.writeUInt32LE(this.#segmentEndBytes % twoToThe32, 8);
    entry.writeUInt32LE(Math.floor(this.#segmentEndBytes / twoToThe32), 12);
    writeFully(this.#indexFd!, entry, Number(height) * indexEntryBytes);

    this.#segmentEndBytes += blob.length;
    this.#count = height + 1n;
    this.#unsyncedSegments.add(this.#segment);
    this.#indexUnsynced = true;
  }

  /**
   * Drops heights at and past `count`: blocks.idx is cut to count entries, the segment holding
   * block count - 1 is cut at that block's end and later segments are deleted.
   */
  truncateTo(count: bigint): void {
    this.#checkOpen();
    this.#checkWriter('truncateTo');
    if (typeof count !== 'bigint' || count < 0n) throw invalidArgument('count', `must be a non-negative bigint, got ${String(count)}`);
    if (count > this.#count) {
      throw failedPrecondition(
        `block archive ${this.directory} holds ${this.#count} blocks and cannot be truncated to ${count}; ` +
          `the ledger's head is past the archive's tail, so the archive lost blocks: rebuild it from the Raft log or a peer`,
        'count',
      );
    }
    this.#cutTo(count);
  }

  /** Block `height`'s whole blob, or undefined at or past count(). */
  readBlob(height: bigint): Buffer | undefined {
    return this.#read(height, (entry, fd) => readAt(fd, entry, 0, entry.lengthBytes));
  }

  /** `lengthBytes` bytes of block `height`'s blob from `startBytes`, which must lie within it. */
  readRange(height: bigint, startBytes: number, lengthBytes: number): Buffer | undefined {
    assert(Number.isSafeInteger(startBytes) && startBytes >= 0 && Number.isSafeInteger(lengthBytes) && lengthBytes >= 0, `range ${startBytes} + ${lengthBytes} is two non-negative integers`);
    return this.#read(height, (entry, fd) => {
      assert(startBytes + lengthBytes <= entry.lengthBytes, `range ${startBytes} + ${lengthBytes} lies within block ${height}'s blob of ${entry.lengthBytes} bytes`);
      return readAt(fd, entry, startBytes, lengthBytes);
    });
  }

  /** Block `height`'s 180-byte block record (decodeBlockRecord reads it). */
  readBlockRecord(height: bigint): Buffer | undefined {
    return this.readRange(height, 0, blockRecordBytes);
  }

  /**
   * Transaction `index`'s record in block `height` (decodeTransactionRecord reads it), or
   * undefined when the block does not exist or has no such transaction.
   *
   * The pair offsets[index], offsets[index + 1] alone cannot tell a real index from one past
   * the count (its bytes would be record bytes), so the count is read too. For the first
   * ~1,000 transactions of a block the count and the pair come in one pread of at most a page
   * (measured here: a 4 KiB pread from the page cache costs what an 8-byte one does, ~2 µs);
   * past that, the count and the pair are two preads. Then one pread for the record.
   */
  readTransactionRecord(height: bigint, index: number): Buffer | undefined {
    assert(Number.isSafeInteger(index) && index >= 0, `transaction index ${index} is a non-negative integer`);
    const pairEndPosition = transactionOffsetPosition(index + 2);
    const spanBytes = pairEndPosition - transactionCountPosition;
    const span = this.#spanScratch;
    return this.#read(height, (entry, fd) => {
      // The offset table ends at or before the blob does, so a pair past the blob is past the count.
      if (pairEndPosition > entry.lengthBytes) return undefined;
      let transactionCount: number;
      let pairAt: number;
      if (spanBytes <= span.length) {
        if (!readExactly(fd, span, spanBytes, entry.offsetBytes + transactionCountPosition)) return shortRead;
        transactionCount = span.readUInt32LE(0);
        pairAt = spanBytes - 8;
      } else {
        if (!readExactly(fd, span, 4, entry.offsetBytes + transactionCountPosition)) return shortRead;
        transactionCount = span.readUInt32LE(0);
        if (index >= transactionCount) return undefined;
        if (!readExactly(fd, span, 8, entry.offsetBytes + pairEndPosition - 8)) return shortRead;
        pairAt = 0;
      }
      if (index >= transactionCount) return undefined;
      assert(transactionRecordsPosition(transactionCount) <= entry.lengthBytes, `block ${height}'s blob holds the offset table of its ${transactionCount} transactions`);
      const startBytes = span.readUInt32LE(pairAt);
      const endBytes = span.readUInt32LE(pairAt + 4);
      assert(
        startBytes >= transactionRecordsPosition(transactionCount) && endBytes >= startBytes + transactionRecordFixedBytes && endBytes <= entry.lengthBytes,
        `block ${height}'s transaction ${index} lies after the offset table and within the blob (${startBytes}..${endBytes} of ${entry.lengthBytes})`,
      );
      return readAt(fd, entry, startBytes, endBytes - startBytes);
    });
  }

  /** Makes everything appended or truncated so far durable: segments, then blocks.idx, then the directory. */
  sync(): void {
    this.#checkOpen();
    this.#checkWriter('sync');
    for (const segment of this.#unsyncedSegments) {
      const fd = this.#segmentFd(segment, false);
      assert(fd !== undefined, `segment ${segment} written since the last sync still exists`);
      fs.fsyncSync(fd);
    }
    this.#unsyncedSegments.clear();
    if (this.#indexUnsynced) fs.fsyncSync(this.#indexFd!);
    this.#indexUnsynced = false;
    if (this.#directoryUnsynced) {
      const directoryFd = fs.openSync(this.directory, 'r');
      try {
        fs.fsyncSync(directoryFd);
      } finally {
        fs.closeSync(directoryFd);
      }
    }
    this.#directoryUnsynced = false;
  }

  /** Syncs (writer) and closes every file; a second call does nothing. */
  close(): void {
    if (this.#closed) return;
    try {
      if (this.writer) this.sync();
    } finally {
      this.#closed = true;
      for (const fd of this.#segmentFds.values()) fs.closeSync(fd);
      this.#segmentFds.clear();
      if (this.#indexFd !== undefined) fs.closeSync(this.#indexFd);
      this.#indexFd = undefined;
    }
  }

  // ---- writer ------------------------------------------------------------------------------

  #openWriter(): void {
    fs.mkdirSync(this.directory, { recursive: true });
    this.#indexFd = fs.openSync(this.#path(indexFileName), fs.constants.O_RDWR | fs.constants.O_CREAT, 0o644);
    let count = BigInt(Math.floor(fs.fstatSync(this.#indexFd).size / indexEntryBytes));
    this.#count = count;
    // A crash while writing leaves at most a torn tail; an operating-system crash without fsync
    // can leave several entries whose blobs never reached the disk, so walk back to a whole one.
    while (count > 0n) {
      const entry = this.#readUncheckedEntry(count - 1n)!;
      if (isPossibleEntry(entry) && entry.offsetBytes + entry.lengthBytes <= this.#segmentSizeBytes(entry.segment)) break;
      count -= 1n;
    }
    this.#cutTo(count);
  }

  /** Sets the tail to `count` blocks on disk and in memory (see truncateTo). */
  #cutTo(count: bigint): void {
    let lastSegment = 0;
    let endBytes = 0;
    if (count > 0n) {
      const last = this.#readEntry(count - 1n);
      assert(last !== undefined, `block ${count - 1n} below the archive's count has an index entry`);
      lastSegment = last.segment;
      endBytes = last.offsetBytes + last.lengthBytes;
    }
    // The index first: a crash between the two steps then leaves entries only for blobs that exist.
    fs.ftruncateSync(this.#indexFd!, Number(count) * indexEntryBytes);
    this.#count = count;
    this.#indexUnsynced = true;
    for (const name of fs.readdirSync(this.directory)) {
      const match = segmentFilePattern.exec(name);
      if (match === null || Number(match[1]) <= lastSegment) continue;
      const segment = Number(match[1]);
      // Emptied before the unlink: a reader holding this file open then reads short, reopens by
      // name and finds the new segment, instead of a dropped block's bytes.
      fs.truncateSync(this.#path(name), 0);
      this.#forgetSegment(segment);
      fs.unlinkSync(this.#path(name));
      this.#unsyncedSegments.delete(segment);
      this.#directoryUnsynced = true;
    }
    const fd = this.#segmentFd(lastSegment, true)!;
    fs.ftruncateSync(fd, endBytes);
    this.#segment = lastSegment;
    this.#segmentEndBytes = endBytes;
    this.#unsyncedSegments.add(lastSegment);
  }

  #startSegment(segment: number): void {
    const fd = fs.openSync(this.#path(segmentFileName(segment)), fs.constants.O_RDWR | fs.constants.O_CREAT | fs.constants.O_TRUNC, 0o644);
    this.#cacheSegmentFd(segment, fd);
    this.#segment = segment;
    this.#segmentEndBytes = 0;
    this.#directoryUnsynced = true;
  }

  #segmentSizeBytes(segment: number): number {
    const fd = this.#segmentFd(segment, false);
    return fd === undefined ? 0 : fs.fstatSync(fd).size;
  }

  // ---- reading -----------------------------------------------------------------------------

  /**
   * Runs `operation` on block `height`'s index entry and segment. A short read means the cached
   * segment file was replaced (truncateTo deleted it and a later append made a new one) or the
   * block was truncated meanwhile: the entry is read again and the segment reopened, once.
   */
  #read<Result>(height: bigint, operation: (entry: IndexEntry, fd: number) => Result | typeof shortRead): Result | undefined {
    this.#checkOpen();
    checkHeightArgument(height);
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const entry = this.#readEntry(height);
      if (entry === undefined) return undefined;
      const fd = this.#segmentFd(entry.segment, false);
      const result = fd === undefined ? shortRead : operation(entry, fd);
      if (result !== shortRead) return result;
      this.#forgetSegment(entry.segment);
    }
    const entry = this.#readEntry(height);
    if (entry === undefined) return undefined;
    throw this.#damaged(
      segmentFileName(entry.segment),
      height,
      `ends before block ${height}'s blob (${entry.lengthBytes} bytes at offset ${entry.offsetBytes}) does`,
    );
  }

  /** Block `height`'s index entry, or undefined at or past the count. */
  #readEntry(height: bigint): IndexEntry | undefined {
    const entry = this.#readUncheckedEntry(height);
    if (entry !== undefined && !isPossibleEntry(entry)) {
      throw this.#damaged(indexFileName, height, `holds an impossible entry for block ${height} (segment ${entry.segment}, ${entry.lengthBytes} bytes at offset ${entry.offsetBytes})`);
    }
    return entry;
  }

  #readUncheckedEntry(height: bigint): IndexEntry | undefined {
    if (height >= heightLimit) return undefined;
    if (this.writer && height >= this.#count) return undefined;
    const fd = this.writer ? this.#indexFd! : this.#indexFdForReading();
    if (fd === undefined) return undefined;
    const scratch = this.#readScratch;
    if (!readExactly(fd, scratch, indexEntryBytes, Number(height) * indexEntryBytes)) {
      if (this.writer) throw this.#damaged(indexFileName, height, `ends before the entry of block ${height}, below the writer's count ${this.#count}`);
      return undefined;
    }
    return {
      segment: scratch.readUInt32LE(0),
      lengthBytes: scratch.readUInt32LE(4),
      offsetBytes: scratch.readUInt32LE(8) + scratch.readUInt32LE(12) * twoToThe32,
    };
  }

  #indexFdForReading(): number | undefined {
    if (this.#indexFd === undefined) this.#indexFd = openIfExists(this.#path(indexFileName));
    return this.#indexFd;
  }

  /** The segment's cached fd, opening it when first needed; undefined when it does not exist (and `create` is false). */
  #segmentFd(segment: number, create: boolean): number | undefined {
    const cached = this.#segmentFds.get(segment);
    if (cached !== undefined) {
      this.#segmentFds.delete(segment);
      this.#segmentFds.set(segment, cached);
      return cached;
    }
    const filePath = this.#path(segmentFileName(segment));
    let fd: number | undefined;
    if (this.writer) {
      fd = create ? fs.openSync(filePath, fs.constants.O_RDWR | fs.constants.O_CREAT, 0o644) : openIfExists(filePath, 'r+');
    } else {
      fd = openIfExists(filePath, 'r');
    }
    if (fd !== undefined) this.#cacheSegmentFd(segment, fd);
    return fd;
  }

  #cacheSegmentFd(segment: number, fd: number): void {
    this.#forgetSegment(segment);
    this.#segmentFds.set(segment, fd);
    if (this.#segmentFds.size <= segmentFdsMax) return;
    for (const [oldest, oldestFd] of this.#segmentFds) {
      if (this.writer && oldest === this.#segment) continue;
      fs.closeSync(oldestFd);
      this.#segmentFds.delete(oldest);
      return;
    }
  }

  #forgetSegment(segment: number): void {
    const fd = this.#segmentFds.get(segment);
    if (fd === undefined) return;
    fs.closeSync(fd);
    this.#segmentFds.delete(segment);
  }

  // ---- checks ------------------------------------------------------------------------------

  #path(name: string): string {
    return path.join(this.directory, name);
  }

  #checkOpen(): void {
    if (this.#closed) throw failedPrecondition(`block archive ${this.directory} is closed; open it again (BlockArchive.open) to use it`);
  }

  #checkWriter(operation: string): void {
    if (!this.writer) {
      throw failedPrecondition(`block archive ${this.directory} was opened for reading (writer: false); ${operation} needs the instance opened with writer: true`);
    }
  }

  #damaged(file: string, height: bigint, what: string): AurigraphError {
    return failedPrecondition(
      `block archive ${this.directory}: ${file} ${what} (height ${height}); the archive is damaged: ` +
        `reopen it as the writer to cut a torn tail, or rebuild it from the Raft log or a peer`,
    );
  }
}

/** An entry a writer could have written: a blob at least as long as an empty block's, at a safe offset. */
function isPossibleEntry(entry: IndexEntry): boolean {
  return entry.lengthBytes >= blockBlobBytesMin && Number.isSafeInteger(entry.offsetBytes + entry.lengthBytes);
}

function checkHeightArgument(height: bigint): void {
  if (typeof height !== 'bigint' || height < 0n) throw invalidArgument('height', `must be a non-negative bigint, got ${String(height)}`);
}

/** Reads `lengthBytes` at `startBytes` of the entry's blob into a new buffer, or shortRead. */
function readAt(fd: number, entry: IndexEntry, startBytes: number, lengthBytes: number): Buffer | typeof shortRead {
  const bytes = Buffer.allocUnsafe(lengthBytes);
  return readExactly(fd, bytes, lengthBytes, entry.offsetBytes + startBytes) ? bytes : shortRead;
}

/** Fills target[0, lengthBytes) from `positionBytes`; false when the file ends first. */
function readExactly(fd: number, target: Buffer, lengthBytes: number, positionBytes: number): boolean {
  let doneBytes = 0;
  while (doneBytes < lengthBytes) {
    const readBytes = fs.readSync(fd, target, doneBytes, lengthBytes - doneBytes, positionBytes + doneBytes);
    if (readBytes === 0) return false;
    doneBytes += readBytes;
  }
  return true;
}

function writeFully(fd: number, bytes: Uint8Array, positionBytes: number): void {
  let doneBytes = 0;
  while (doneBytes < bytes.length) doneBytes += fs.writeSync(fd, bytes, doneBytes, bytes.length - doneBytes, positionBytes + doneBytes);
}

function openIfExists(filePath: string, flags: 'r' | 'r+' = 'r'): number | undefined {
  try {
    return fs.openSync(filePath, flags);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
