/**
 * One block's bytes in the archive: the block record, then an offset table, then the block's
 * transaction records (store-records.ts layout), integers little-endian:
 *
 *   offset    0  block record            180 bytes (encodeBlockRecord: header 148 || hash 32)
 *           180  transaction count n     u32
 *           184  offsets[n + 1]          u32 each, from the blob's start; record i is the bytes
 *                                        offsets[i] .. offsets[i + 1], offsets[n] = blob length
 *   offsets[0]   the n transaction records
 *
 * A reader of one transaction needs only the offset pair at transactionOffsetPosition(i) and the
 * record it bounds, so it never reads the whole block.
 */
import { assert } from '../../errors.js';
import { blockHeaderBytes } from '../block-header.js';
import { hashBytes } from '../bytes.js';
import {
  type TransactionRecord,
  decodeBlockRecord,
  transactionRecordFixedBytes,
  transactionRecordLength,
  writeTransactionRecordAt,
} from '../store-records.js';

export const blockRecordBytes = blockHeaderBytes + hashBytes;
export const transactionCountPosition = blockRecordBytes;
export const transactionOffsetsPosition = transactionCountPosition + 4;
export const transactionOffsetBytes = 4;
/** Offsets are u32, so a blob is at most this long. */
export const blockBlobBytesMax = 0xffffffff;
/** The smallest blob: a block without transactions (record, count, offsets[0]). */
export const blockBlobBytesMin = transactionOffsetsPosition + transactionOffsetBytes;

/** Where in a blob offsets[index] lies; offsets[index + 1] follows it. */
export function transactionOffsetPosition(index: number): number {
  return transactionOffsetsPosition + transactionOffsetBytes * index;
}

/** Where the first transaction record starts in a blob of `transactionCount` transactions. */
export function transactionRecordsPosition(transactionCount: number): number {
  return transactionOffsetPosition(transactionCount + 1);
}

/**
 * Packs one block's blob into a reusable buffer: begin, one addTransaction per transaction in
 * block order, finish. Records are written in place; the buffer only grows (doubling), so a
 * node allocates nothing per transaction once it has seen its largest block.
 */
export class BlockBlobBuilder {
  #buffer: Buffer;
  #transactionCount = 0;
  #added = 0;
  #endBytes = 0;
  #building = false;

  constructor(initialBytes = 64 * 1024) {
    assert(Number.isInteger(initialBytes) && initialBytes >= blockBlobBytesMin, `the initial buffer holds at least an empty block (${blockBlobBytesMin} bytes)`);
    this.#buffer = Buffer.allocUnsafeSlow(initialBytes);
  }

  /** Starts a blob; the previous finish()'s bytes are overwritten from here on. */
  begin(blockRecord: Uint8Array, transactionCount: number): void {
    assert(blockRecord.length === blockRecordBytes, `a block record is ${blockRecordBytes} bytes, got ${blockRecord.length}`);
    assert(Number.isInteger(transactionCount) && transactionCount >= 0 && transactionCount <= 0xffffffff, `transaction count ${transactionCount} is a u32`);
    const headerCount = decodeBlockRecord(blockRecord).header.transactionCount;
    assert(headerCount === transactionCount, `the block header counts ${headerCount} transactions, the blob is begun with ${transactionCount}`);
    const recordsPosition = transactionRecordsPosition(transactionCount);
    assert(recordsPosition <= blockBlobBytesMax, `the offset table of ${transactionCount} transactions fits a blob`);
    this.#ensureCapacity(recordsPosition, 0);
    this.#buffer.set(blockRecord, 0);
    this.#buffer.writeUInt32LE(transactionCount, transactionCountPosition);
    this.#buffer.writeUInt32LE(recordsPosition, transactionOffsetPosition(0));
    this.#transactionCount = transactionCount;
    this.#added = 0;
    this.#endBytes = recordsPosition;
    this.#building = true;
  }

  addTransaction(record: Omit<TransactionRecord, 'message'>, messageBytes: Uint8Array): void {
    assert(this.#building, 'addTransaction follows begin');
    assert(this.#added < this.#transactionCount, `the blob was begun with ${this.#transactionCount} transactions; one more was added`);
    const startBytes = this.#endBytes;
    const endBytes = startBytes + transactionRecordLength(record, messageBytes);
    assert(endBytes <= blockBlobBytesMax, `a blob is at most ${blockBlobBytesMax} bytes (u32 offsets)`);
    this.#ensureCapacity(endBytes, startBytes);
    const writtenEnd = writeTransactionRecordAt(this.#buffer, startBytes, record, messageBytes);
    assert(writtenEnd === endBytes && endBytes >= startBytes + transactionRecordFixedBytes, 'transaction offsets increase by at least a record');
    this.#added += 1;
    this.#buffer.writeUInt32LE(endBytes, transactionOffsetPosition(this.#added));
    this.#endBytes = endBytes;
  }

  /** The blob: a view of the builder's buffer, valid until the next begin. */
  finish(): Uint8Array {
    assert(this.#building, 'finish follows begin');
    assert(this.#added === this.#transactionCount, `the blob was begun with ${this.#transactionCount} transactions, ${this.#added} were added`);
    this.#building = false;
    return this.#buffer.subarray(0, this.#endBytes);
  }

  /** Grows the buffer (doubling) to hold `bytes`, keeping its first `keptBytes`. */
  #ensureCapacity(bytes: number, keptBytes: number): void {
    if (bytes <= this.#buffer.length) return;
    let capacity = this.#buffer.length * 2;
    while (capacity < bytes) capacity *= 2;
    const grown = Buffer.allocUnsafeSlow(Math.min(capacity, blockBlobBytesMax));
    this.#buffer.copy(grown, 0, 0, keptBytes);
    this.#buffer = grown;
  }
}

export interface DecodedBlockBlob {
  /** The 180-byte block record (decodeBlockRecord reads it). */
  blockRecord: Uint8Array;
  transactionCount: number;
  /** Record `index` as a view of the blob. */
  transactionRecord(index: number): Uint8Array;
}

/** Checks the count and offset table of a whole blob and returns views onto it. */
export function decodeBlockBlob(bytes: Uint8Array): DecodedBlockBlob {
  const transactionCount = checkBlockBlobFrame(bytes);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let previous = view.getUint32(transactionOffsetPosition(0), true);
  for (let index = 1; index <= transactionCount; index += 1) {
    const offset = view.getUint32(transactionOffsetPosition(index), true);
    assert(offset >= previous + transactionRecordFixedBytes, `blob transaction offsets increase by at least a record (offsets[${index}] = ${offset} after ${previous})`);
    previous = offset;
  }
  return {
    blockRecord: bytes.subarray(0, blockRecordBytes),
    transactionCount,
    transactionRecord(index: number): Uint8Array {
      assert(Number.isInteger(index) && index >= 0 && index < transactionCount, `transaction index ${index} is below the blob's count ${transactionCount}`);
      const start = view.getUint32(transactionOffsetPosition(index), true);
      const end = view.getUint32(transactionOffsetPosition(index + 1), true);
      return bytes.subarray(start, end);
    },
  };
}

/**
 * The checks that cost O(1): the blob holds its record, count and offset table, the table starts
 * right after itself and ends at the blob's end. Returns the transaction count.
 */
export function checkBlockBlobFrame(bytes: Uint8Array): number {
  assert(bytes.length >= blockBlobBytesMin && bytes.length <= blockBlobBytesMax, `a block blob is ${blockBlobBytesMin}..${blockBlobBytesMax} bytes, got ${bytes.length}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const transactionCount = view.getUint32(transactionCountPosition, true);
  const recordsPosition = transactionRecordsPosition(transactionCount);
  assert(recordsPosition <= bytes.length, `a blob of ${bytes.length} bytes holds the offset table of its ${transactionCount} transactions`);
  const first = view.getUint32(transactionOffsetPosition(0), true);
  const last = view.getUint32(transactionOffsetPosition(transactionCount), true);
  assert(first === recordsPosition, `a blob's records start right after its offset table (${recordsPosition}), got ${first}`);
  assert(last === bytes.length, `a blob's last offset is its length ${bytes.length}, got ${last}`);
  return transactionCount;
}
