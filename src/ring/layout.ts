/**
 * The byte layout of one ring inside its SharedArrayBuffer, and the checks that a buffer really
 * is a ring. Everything the two sides share lives in this buffer; nothing else is shared.
 *
 *   bytes   0..63   identity, written once by createRing: magic, layout version, capacity, record size
 *   bytes  64..127  written only by the producer: head, head epochs, closed flag, full count,
 *                   producer waiters, data doorbell
 *   bytes 128..191  written only by the consumer: tail, tail epochs, consumer waiters
 *   bytes 192..255  unused, so the first record starts on its own 64-byte cache line
 *   bytes 256..     `capacityRecords` records of `recordBytes` bytes each
 *
 * Each side writes its own cache line, so the producer's hot stores do not invalidate the line
 * the consumer writes and the other way round.
 *
 * Sequence numbers: head and tail are 32-bit counts of records committed and released, modulo
 * 2^32, kept in Int32 words (read back as unsigned with `>>> 0`). The slot of sequence `s` is
 * `s & (capacityRecords - 1)`, and the number of queued records is `(head - tail) >>> 0`: unsigned
 * subtraction modulo 2^32 stays exact across the wrap as long as the true difference is below
 * 2^32, which holds because it never exceeds capacityRecords (at most 2^24, asserted below).
 * The exact 53-bit totals for metrics are rebuilt from the low word and an epoch word pair
 * (see counter.ts).
 */
import { assert, invalidArgument } from '../errors.js';

export interface RingOptions {
  /** How many records the ring holds; a power of two from 1 to 2^24. */
  records: number;
  /** Bytes in every record; a multiple of 8 from 8 to 65536. */
  recordBytes: number;
}

export interface RingLayout {
  capacityRecords: number;
  recordBytes: number;
  /** Byte offset of record slot 0 in the buffer; a multiple of 64. */
  recordsOffsetBytes: number;
  /** Total size of the SharedArrayBuffer. */
  byteLength: number;
}

/** Int32 word indices of the header fields. */
export const ringWord = {
  magic: 0,
  layoutVersion: 1,
  capacityRecords: 2,
  recordBytes: 3,

  // Producer's cache line (bytes 64..127).
  head: 16,
  headEpochBefore: 17,
  headEpochAfter: 18,
  closed: 19,
  fullCountLow: 20,
  fullCountEpochBefore: 21,
  fullCountEpochAfter: 22,
  producerWaiters: 23,
  dataDoorbell: 24,

  // Consumer's cache line (bytes 128..191).
  tail: 32,
  tailEpochBefore: 33,
  tailEpochAfter: 34,
  consumerWaiters: 35,
} as const;

/** 'RING' in ASCII, read as a little-endian Int32. */
export const ringMagic = 0x474e4952;
export const ringLayoutVersion = 1;
export const ringHeaderBytes = 256;
export const ringRecordsMax = 2 ** 24;
export const ringRecordBytesMax = 65_536;
export const ringByteLengthMax = 2 ** 30;

function isPowerOfTwo(value: number): boolean {
  return Number.isInteger(value) && value >= 1 && (value & (value - 1)) === 0;
}

/** Checks ring options and returns the layout they give; errors name the bad field. */
export function ringLayoutFor(options: RingOptions): RingLayout {
  const { records, recordBytes } = options;
  if (typeof records !== 'number' || !Number.isInteger(records) || records < 1) {
    throw invalidArgument('records', `must be a positive integer power of two, got ${String(records)}`);
  }
  if (records > ringRecordsMax || !isPowerOfTwo(records)) {
    throw invalidArgument('records', `must be a power of two from 1 to ${ringRecordsMax}, got ${records}`);
  }
  if (typeof recordBytes !== 'number' || !Number.isInteger(recordBytes) || recordBytes < 8) {
    throw invalidArgument('recordBytes', `must be a positive multiple of 8, got ${String(recordBytes)}`);
  }
  if (recordBytes % 8 !== 0 || recordBytes > ringRecordBytesMax) {
    throw invalidArgument('recordBytes', `must be a multiple of 8 from 8 to ${ringRecordBytesMax}, got ${recordBytes}`);
  }
  const byteLength = ringHeaderBytes + records * recordBytes;
  if (byteLength > ringByteLengthMax) {
    throw invalidArgument(
      'records',
      `records × recordBytes = ${records * recordBytes} bytes exceeds the ring limit of ${ringByteLengthMax} bytes; ` +
        'use fewer or smaller records',
    );
  }
  return { capacityRecords: records, recordBytes, recordsOffsetBytes: ringHeaderBytes, byteLength };
}

/**
 * Reads and checks the layout of a buffer made by createRing. Both sides call this when they
 * attach, so a wrong buffer fails at construction instead of corrupting records later.
 */
export function readRingLayout(buffer: SharedArrayBuffer): RingLayout {
  if (!(buffer instanceof SharedArrayBuffer)) {
    throw invalidArgument('buffer', 'must be the SharedArrayBuffer returned by createRing');
  }
  if (buffer.byteLength < ringHeaderBytes) {
    throw invalidArgument('buffer', `is ${buffer.byteLength} bytes, smaller than a ring header; it was not made by createRing`);
  }
  const words = new Int32Array(buffer, 0, ringHeaderBytes / 4);
  if (Atomics.load(words, ringWord.magic) !== ringMagic) {
    throw invalidArgument('buffer', 'does not start with the ring magic number; it was not made by createRing');
  }
  const version = Atomics.load(words, ringWord.layoutVersion);
  if (version !== ringLayoutVersion) {
    throw invalidArgument('buffer', `has ring layout version ${version}, this code reads version ${ringLayoutVersion}`);
  }
  const layout = ringLayoutFor({
    records: Atomics.load(words, ringWord.capacityRecords),
    recordBytes: Atomics.load(words, ringWord.recordBytes),
  });
  if (layout.byteLength !== buffer.byteLength) {
    throw invalidArgument('buffer', `is ${buffer.byteLength} bytes but its header describes a ${layout.byteLength}-byte ring`);
  }
  return layout;
}

/** Allocates a ring once, on the owning thread; hand the returned buffer to both sides. */
export function createRing(options: RingOptions): SharedArrayBuffer {
  const layout = ringLayoutFor(options);
  const buffer = new SharedArrayBuffer(layout.byteLength);
  const words = new Int32Array(buffer, 0, ringHeaderBytes / 4);
  Atomics.store(words, ringWord.capacityRecords, layout.capacityRecords);
  Atomics.store(words, ringWord.recordBytes, layout.recordBytes);
  Atomics.store(words, ringWord.layoutVersion, ringLayoutVersion);
  // Magic last: a buffer with the magic is a complete ring.
  Atomics.store(words, ringWord.magic, ringMagic);
  assert(readRingLayout(buffer).byteLength === layout.byteLength, 'a new ring reads back its own layout');
  return buffer;
}

