/**
 * Log entries: what the Raft log holds for one verified batch, and what every replica executes.
 * A fixed header, then one compact execution record per accepted transaction in batch order.
 * Signatures stay out: they were checked before ordering (DESIGN.md). Little-endian throughout.
 *
 * Header (128 bytes):
 *   offset  0  magic "AGB1"             4 bytes
 *           4  version                  u16   logEntryVersion
 *           6  origin node id length    u8    1 to 64 (config node.id allows 64 characters)
 *           7  zero                     u8
 *           8  request id               u32   the origin acceptor's id, to route receipts
 *          12  transaction count        u32
 *          16  client batch id          u64   TxBatch.batch_id
 *          24  leader timestamp ms      u64   the block time (deterministic: it is in the log)
 *          32  transactions root        32    Merkle root of the entry's transaction hashes
 *          64  origin node id           64    UTF-8, zero padded
 *
 * Compact execution record (128 bytes + payload padded to 8):
 *   offset  0  kind                     u8
 *           1  flags                    u8    verifyRecordFlag bits, kept for the block store
 *           2  payload length           u16
 *           4  index in client batch    u32   for the receipt
 *           8  from                     32
 *          40  to                       32    zeros when empty
 *          72  amount                   u64
 *          80  nonce                    u64
 *          88  fee                      u64
 *          96  tx hash                  32
 *         128  payload, then zeros to the next multiple of 8
 *
 * Size: a TRANSFER is 128 bytes, so 1,024 of them make a 128 KiB entry.
 */
import { assert } from '../errors.js';
import { TransactionKind } from '../generated/aurigraph.js';
import type { ExecutionTransactions } from '../ledger/types.js';
import { copyBytes, readUint16At, writeUint16At, writeUint32At } from './byte-copy.js';
import { readFixed32At, readFixed64At } from './proto-scan.js';
import { accountIdBytes, signingOffset } from './signing-bytes.js';
import type { VerifyRecordView } from './verify-record.js';
import { verifyRecordFlag } from './verify-record-layout.js';

export type { ExecutionTransactions };

export interface LogEntryHeader {
  /** The node whose acceptor received the batch (config node.id): 1 to 64 bytes of UTF-8. */
  originNodeId: string;
  /** That acceptor's request id, u32. */
  requestId: number;
  /** TxBatch.batch_id, u64. */
  clientBatchId: bigint;
  /** The leader's clock when it built the entry, ms since the Unix epoch, u64. */
  leaderTimestampMs: bigint;
}

export const logEntryMagic: Uint8Array = new TextEncoder().encode('AGB1');
export const logEntryVersion = 1;
export const logEntryHeaderBytes = 128;
export const originNodeIdBytesMax = 64;
export const compactRecordFixedBytes = 128;
export const compactPayloadBytesMax = 0xffff;
export const transactionHashBytes = 32;

const header = {
  magic: 0,
  version: 4,
  originNodeIdLength: 6,
  zero: 7,
  requestId: 8,
  transactionCount: 12,
  clientBatchId: 16,
  leaderTimestampMs: 24,
  transactionsRoot: 32,
  originNodeId: 64,
} as const;

const record = {
  kind: 0,
  flags: 1,
  payloadLength: 2,
  batchIndex: 4,
  from: 8,
  to: 40,
  amount: 72,
  nonce: 80,
  fee: 88,
  txHash: 96,
  payload: 128,
} as const;

const knownFlags = verifyRecordFlag.batchSigned | verifyRecordFlag.toPresent;
const uint64Max = (1n << 64n) - 1n;
const textDecoder = new TextDecoder('utf-8', { fatal: true });
const textEncoder = new TextEncoder();

function paddedTo8(length: number): number {
  return (length + 7) & ~7;
}

/** Bytes of one compact execution record with a payload of `payloadLength` bytes. */
export function compactRecordBytesFor(payloadLength: number): number {
  return compactRecordFixedBytes + paddedTo8(payloadLength);
}

/**
 * The largest entry a batch within the configured bounds can produce: every transaction costs
 * 128 bytes plus at most 7 bytes of padding, and all payloads together are within the batch's
 * bytes. (A small transaction is ~45 bytes on the wire, so an entry can be larger than its batch.)
 */
export function logEntryBytesMaxFor(maxBatchTransactions: number, maxBatchBytes: number): number {
  return logEntryHeaderBytes + maxBatchTransactions * (compactRecordFixedBytes + 7) + maxBatchBytes;
}

/**
 * Writes the compact execution record of a verified transaction at `target[offset]` and
 * returns the offset after it. For a shard worker that hands its accepted records to the
 * coordinator, which merges them into an entry with EntryBuilder.appendCompactRecord.
 */
export function writeCompactRecord(source: VerifyRecordView, txHash: Uint8Array, target: Uint8Array, offset: number): number {
  const payloadLength = source.payloadLength;
  const kind = source.kind;
  assert(kind >= TransactionKind.TRANSFER && kind <= TransactionKind.TRACE_LINK, `a verified transaction has a known kind, got ${kind}`);
  assert(payloadLength <= compactPayloadBytesMax, `payload (${payloadLength} bytes) fits the record's u16 length`);
  assert(txHash.length === transactionHashBytes, `a transaction hash is ${transactionHashBytes} bytes, got ${txHash.length}`);
  const size = compactRecordBytesFor(payloadLength);
  assert(offset >= 0 && offset % 8 === 0 && offset + size <= target.length, `compact record ${offset}+${size} lies inside the target (${target.length} bytes), 8-aligned`);
  const bytes = source.bytes;
  const signing = source.signingStart;
  target[offset + record.kind] = kind;
  target[offset + record.flags] = source.flags & knownFlags;
  writeUint16At(target, offset + record.payloadLength, payloadLength);
  writeUint32At(target, offset + record.batchIndex, source.index);
  // from, to, amount, nonce and fee lie back to back in the signing bytes, as in this record.
  copyBytes(bytes, signing + signingOffset.from, record.txHash - record.from, target, offset + record.from);
  copyBytes(txHash, 0, transactionHashBytes, target, offset + record.txHash);
  copyBytes(bytes, signing + signingOffset.payload, payloadLength, target, offset + record.payload);
  target.fill(0, offset + record.payload + payloadLength, offset + size);
  return offset + size;
}

/** Size of the compact record at `source[offset]`, read from its payload length. */
export function compactRecordBytesAt(source: Uint8Array, offset: number): number {
  assert(offset >= 0 && offset + compactRecordFixedBytes <= source.length, `compact record at ${offset} lies inside the source (${source.length} bytes)`);
  return compactRecordBytesFor(readUint16At(source, offset + record.payloadLength));
}

/**
 * Builds one log entry. Reused across batches: `begin`, `append` accepted transactions in batch
 * order, `finish`. The buffer grows by doubling up to `entryBytesMax` and never past it.
 */
export class EntryBuilder {
  readonly entryBytesMax: number;
  private buffer: Uint8Array;
  private length = 0;
  private transactionCount = 0;
  private lastBatchIndex = -1;
  private building = false;

  constructor(entryBytesMax: number, initialBytes = 64 * 1024) {
    assert(Number.isSafeInteger(entryBytesMax) && entryBytesMax >= logEntryHeaderBytes && entryBytesMax <= 0x7fffffff, `entryBytesMax (${entryBytesMax}) is an integer from ${logEntryHeaderBytes} to 2^31 - 1`);
    this.entryBytesMax = entryBytesMax;
    this.buffer = new Uint8Array(Math.min(entryBytesMax, Math.max(logEntryHeaderBytes, initialBytes)));
  }

  get count(): number {
    return this.transactionCount;
  }

  get byteLength(): number {
    return this.length;
  }

  begin(entryHeader: LogEntryHeader): void {
    const { originNodeId, requestId, clientBatchId, leaderTimestampMs } = entryHeader;
    assert(Number.isInteger(requestId) && requestId >= 0 && requestId <= 0xffffffff, `requestId ${requestId} is a u32`);
    assert(typeof clientBatchId === 'bigint' && clientBatchId >= 0n && clientBatchId <= uint64Max, `clientBatchId ${clientBatchId} is a u64`);
    assert(typeof leaderTimestampMs === 'bigint' && leaderTimestampMs >= 0n && leaderTimestampMs <= uint64Max, `leaderTimestampMs ${leaderTimestampMs} is a u64`);
    const buffer = this.buffer;
    buffer.fill(0, 0, logEntryHeaderBytes);
    const nodeIdField = buffer.subarray(header.originNodeId, header.originNodeId + originNodeIdBytesMax);
    const encoded = textEncoder.encodeInto(originNodeId, nodeIdField);
    assert(
      originNodeId.length > 0 && encoded.read === originNodeId.length,
      `originNodeId ${JSON.stringify(originNodeId)} is 1 to ${originNodeIdBytesMax} bytes of UTF-8`,
    );
    buffer.set(logEntryMagic, header.magic);
    writeUint16At(buffer, header.version, logEntryVersion);
    buffer[header.originNodeIdLength] = encoded.written;
    writeUint32At(buffer, header.requestId, requestId);
    const view = new DataView(buffer.buffer, buffer.byteOffset, logEntryHeaderBytes);
    view.setBigUint64(header.clientBatchId, clientBatchId, true);
    view.setBigUint64(header.leaderTimestampMs, leaderTimestampMs, true);
    this.length = logEntryHeaderBytes;
    this.transactionCount = 0;
    this.lastBatchIndex = -1;
    this.building = true;
  }

  /** Appends a verified transaction; `txHash` is SHA-256 of its signing bytes. */
  append(source: VerifyRecordView, txHash: Uint8Array): void {
    assert(this.building, 'begin() comes before append()');
    this.checkBatchOrder(source.index);
    this.reserve(compactRecordBytesFor(source.payloadLength));
    this.length = writeCompactRecord(source, txHash, this.buffer, this.length);
    this.transactionCount += 1;
  }

  /** Copies a compact record written by `writeCompactRecord`; returns the offset after it in `source`. */
  appendCompactRecord(source: Uint8Array, offset: number): number {
    assert(this.building, 'begin() comes before appendCompactRecord()');
    const size = compactRecordBytesAt(source, offset);
    assert(offset + size <= source.length, `compact record ${offset}+${size} lies inside the source (${source.length} bytes)`);
    this.checkBatchOrder(readFixed32At(source, offset + record.batchIndex));
    this.reserve(size);
    copyBytes(source, offset, size, this.buffer, this.length);
    this.length += size;
    this.transactionCount += 1;
    return offset + size;
  }

  /**
   * Completes the entry with the Merkle root of its transaction hashes (in entry order) and
   * returns it in a buffer of its own, exactly sized, ready to transfer to the Raft thread.
   */
  finish(transactionsRoot: Uint8Array): Uint8Array {
    assert(this.building, 'begin() comes before finish()');
    assert(transactionsRoot.length === transactionHashBytes, `transactionsRoot is ${transactionHashBytes} bytes, got ${transactionsRoot.length}`);
    writeUint32At(this.buffer, header.transactionCount, this.transactionCount);
    this.buffer.set(transactionsRoot, header.transactionsRoot);
    this.building = false;
    return this.buffer.slice(0, this.length);
  }

  private checkBatchOrder(batchIndex: number): void {
    assert(batchIndex > this.lastBatchIndex, `records arrive in batch order: index ${batchIndex} after ${this.lastBatchIndex}`);
    this.lastBatchIndex = batchIndex;
  }

  private reserve(size: number): void {
    const needed = this.length + size;
    assert(needed <= this.entryBytesMax, `the entry stays within entryBytesMax (${this.entryBytesMax} bytes); it would need ${needed}`);
    if (needed <= this.buffer.length) return;
    let capacity = this.buffer.length;
    while (capacity < needed) capacity *= 2;
    const grown = new Uint8Array(Math.min(capacity, this.entryBytesMax));
    grown.set(this.buffer.subarray(0, this.length));
    this.buffer = grown;
  }
}

function corrupt(message: string): Error {
  return new Error(`log entry: ${message} (an entry from our own log; this is a bug or disk corruption)`);
}

/**
 * A log entry, checked once on construction (every length, kind, flag and padding byte), with
 * O(1) access to each transaction. Throws an Error naming the defect for anything our builder
 * would not have written.
 */
export class LogEntryView implements ExecutionTransactions {
  readonly bytes: Uint8Array;
  readonly count: number;
  readonly version: number;
  readonly originNodeId: string;
  readonly requestId: number;
  readonly clientBatchId: bigint;
  readonly leaderTimestampMs: bigint;
  private readonly recordOffsets: Int32Array;

  constructor(bytes: Uint8Array) {
    if (!(bytes instanceof Uint8Array)) throw corrupt('expected a Uint8Array');
    if (bytes.length < logEntryHeaderBytes) throw corrupt(`${bytes.length} bytes, shorter than the ${logEntryHeaderBytes}-byte header`);
    for (let index = 0; index < logEntryMagic.length; index++) {
      if (bytes[header.magic + index] !== logEntryMagic[index]) throw corrupt('does not start with the magic "AGB1"');
    }
    this.bytes = bytes;
    this.version = readUint16At(bytes, header.version);
    if (this.version !== logEntryVersion) throw corrupt(`version ${this.version}; this code reads version ${logEntryVersion}`);
    if (bytes[header.zero] !== 0) throw corrupt(`header byte ${header.zero} is ${bytes[header.zero]}, expected zero`);
    const nodeIdLength = bytes[header.originNodeIdLength]!;
    if (nodeIdLength < 1 || nodeIdLength > originNodeIdBytesMax) throw corrupt(`origin node id length ${nodeIdLength}, expected 1 to ${originNodeIdBytesMax}`);
    const nodeIdField = bytes.subarray(header.originNodeId, header.originNodeId + originNodeIdBytesMax);
    if (nodeIdField.subarray(nodeIdLength).some((byte) => byte !== 0)) throw corrupt('origin node id padding is not zero');
    try {
      this.originNodeId = textDecoder.decode(nodeIdField.subarray(0, nodeIdLength));
    } catch {
      throw corrupt('origin node id is not valid UTF-8');
    }
    this.requestId = readFixed32At(bytes, header.requestId);
    this.clientBatchId = readFixed64At(bytes, header.clientBatchId);
    this.leaderTimestampMs = readFixed64At(bytes, header.leaderTimestampMs);
    const count = readFixed32At(bytes, header.transactionCount);
    if (count > (bytes.length - logEntryHeaderBytes) / compactRecordFixedBytes) {
      throw corrupt(`transaction count ${count} does not fit in ${bytes.length} bytes`);
    }
    this.count = count;
    this.recordOffsets = new Int32Array(count);
    let offset = logEntryHeaderBytes;
    let lastBatchIndex = -1;
    for (let index = 0; index < count; index++) {
      if (bytes.length - offset < compactRecordFixedBytes) throw corrupt(`record ${index} at byte ${offset} runs past the end (${bytes.length} bytes)`);
      const kind = bytes[offset + record.kind]!;
      if (kind < TransactionKind.TRANSFER || kind > TransactionKind.TRACE_LINK) throw corrupt(`record ${index} has kind ${kind}, expected 1 to 7`);
      const flags = bytes[offset + record.flags]!;
      if ((flags & ~knownFlags) !== 0) throw corrupt(`record ${index} has unknown flag bits ${flags}`);
      const batchIndex = readFixed32At(bytes, offset + record.batchIndex);
      if (batchIndex <= lastBatchIndex) throw corrupt(`record ${index} has batch index ${batchIndex}, not after ${lastBatchIndex}`);
      lastBatchIndex = batchIndex;
      const payloadLength = readUint16At(bytes, offset + record.payloadLength);
      const size = compactRecordBytesFor(payloadLength);
      if (bytes.length - offset < size) throw corrupt(`record ${index}'s ${payloadLength}-byte payload runs past the end (${bytes.length} bytes)`);
      for (let padding = offset + record.payload + payloadLength; padding < offset + size; padding++) {
        if (bytes[padding] !== 0) throw corrupt(`record ${index}'s payload padding is not zero`);
      }
      this.recordOffsets[index] = offset;
      offset += size;
    }
    if (offset !== bytes.length) throw corrupt(`${bytes.length - offset} bytes after the last of ${count} records`);
  }

  transactionsRoot(): Uint8Array {
    return this.bytes.subarray(header.transactionsRoot, header.transactionsRoot + transactionHashBytes);
  }

  /** Byte offset of transaction `index`'s compact record in `bytes`. */
  recordOffset(index: number): number {
    const offset = this.recordOffsets[index];
    if (offset === undefined) throw new RangeError(`index: must be an integer from 0 to ${this.count - 1}, got ${index}`);
    return offset;
  }

  kind(index: number): number {
    return this.bytes[this.recordOffset(index) + record.kind]!;
  }

  flags(index: number): number {
    return this.bytes[this.recordOffset(index) + record.flags]!;
  }

  /** Position of the transaction in the client's batch, for its receipt. */
  batchIndex(index: number): number {
    return readFixed32At(this.bytes, this.recordOffset(index) + record.batchIndex);
  }

  from(index: number): Uint8Array {
    return this.field(index, record.from, accountIdBytes);
  }

  /** 32 zero bytes when the transaction had no `to`. */
  to(index: number): Uint8Array {
    return this.field(index, record.to, accountIdBytes);
  }

  amount(index: number): bigint {
    return readFixed64At(this.bytes, this.recordOffset(index) + record.amount);
  }

  nonce(index: number): bigint {
    return readFixed64At(this.bytes, this.recordOffset(index) + record.nonce);
  }

  fee(index: number): bigint {
    return readFixed64At(this.bytes, this.recordOffset(index) + record.fee);
  }

  txHash(index: number): Uint8Array {
    return this.field(index, record.txHash, transactionHashBytes);
  }

  payload(index: number): Uint8Array {
    const offset = this.recordOffset(index);
    const start = offset + record.payload;
    return this.bytes.subarray(start, start + readUint16At(this.bytes, offset + record.payloadLength));
  }

  private field(index: number, fieldOffset: number, length: number): Uint8Array {
    const start = this.recordOffset(index) + fieldOffset;
    return this.bytes.subarray(start, start + length);
  }
}
