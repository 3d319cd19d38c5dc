/**
 * Encodes a ReceiptBatch from columns (one entry per transaction index) without building
 * Receipt objects. The output is byte for byte what the generated ReceiptBatch.encode writes for
 * the same content (fields in field-number order, proto3 defaults omitted), so any protobuf
 * decoder reads it. Two passes: sizes, then bytes into one exactly sized Buffer.
 *
 * Per receipt, by status:
 *   COMMITTED, FAILED   block_height = blockHeight, state_root = stateRoot
 *   REJECTED            block_height = 0, state_root empty (it never reached the log)
 * A transaction rejected before it was hashed has an all-zero slot in `txHashes`; its receipt
 * has no tx_hash (an all-zero SHA-256 output does not occur in practice).
 */
import { assert } from '../errors.js';
import { ReceiptStatus, RejectReason } from '../generated/aurigraph.js';

export interface ReceiptColumns {
  /** TxBatch.batch_id, echoed in the batch and in every receipt. */
  batchId: bigint;
  /** Transactions in the batch; indexes run from 0 to count - 1. */
  count: number;
  /** ReceiptStatus per index: COMMITTED, REJECTED or FAILED. */
  statuses: Uint8Array;
  /** RejectReason per index; REJECT_REASON_NONE for COMMITTED. */
  rejectReasons: Uint8Array;
  /** reject_message per index, set only for REJECTED and FAILED (a sparse array is fine). */
  rejectMessages: readonly (string | undefined)[];
  /** count × 32 bytes: the transaction hashes in index order; all zeros where there is none. */
  txHashes: Uint8Array;
  /** Height of the block that applied the batch; 0 when nothing was ordered. */
  blockHeight: bigint;
  /** State root after that block (32 bytes), or empty when nothing was ordered. */
  stateRoot: Uint8Array;
  /** Receipt.result per index, for kinds that produce one. */
  results?: readonly (Uint8Array | undefined)[];
  /** Receipt.gas_used per index, for contract kinds. */
  gasUsed?: BigUint64Array;
}

/** Which indexes go into one ReceiptBatch message: [first, end). Defaults to the whole batch. */
export interface ReceiptRange {
  first: number;
  end: number;
}

const hashBytes = 32;
const uint64Max = (1n << 64n) - 1n;

// Tags: (field number << 3) | wire type.
const tagBatchBatchId = 9;
const tagBatchReceipts = 18;
const tagBatchId = 9;
const tagIndex = 21;
const tagTxHash = 26;
const tagStatus = 32;
const tagRejectReason = 40;
const tagRejectMessage = 50;
const tagBlockHeight = 57;
const tagStateRoot = 66;
const tagResult = 74;
const tagGasUsed = 81;

function varintBytes(value: number): number {
  if (value < 0x80) return 1;
  if (value < 0x4000) return 2;
  if (value < 0x200000) return 3;
  if (value < 0x10000000) return 4;
  return 5;
}

function writeVarint(target: Buffer, position: number, value: number): number {
  while (value >= 0x80) {
    target[position++] = (value & 0x7f) | 0x80;
    value >>>= 7;
  }
  target[position++] = value;
  return position;
}

function hasHash(hashes: Uint8Array, index: number): boolean {
  const start = index * hashBytes;
  for (let offset = start; offset < start + hashBytes; offset++) if (hashes[offset] !== 0) return true;
  return false;
}

function isOrdered(status: number): boolean {
  return status === ReceiptStatus.COMMITTED || status === ReceiptStatus.FAILED;
}

function checkColumns(columns: ReceiptColumns, range: ReceiptRange): void {
  const { count, statuses, rejectReasons, rejectMessages, txHashes, stateRoot, blockHeight, batchId, results, gasUsed } = columns;
  assert(Number.isInteger(count) && count >= 0 && count <= 0xffffffff, `count ${count} is a u32`);
  assert(Number.isInteger(range.first) && Number.isInteger(range.end) && range.first >= 0 && range.first <= range.end && range.end <= count, `range [${range.first}, ${range.end}) lies within the ${count} receipts`);
  assert(statuses.length >= count && rejectReasons.length >= count, 'statuses and rejectReasons have an entry per transaction');
  assert(txHashes.length >= count * hashBytes, `txHashes holds ${count} hashes of ${hashBytes} bytes`);
  assert(stateRoot.length === hashBytes || stateRoot.length === 0, `stateRoot is ${hashBytes} bytes or empty, got ${stateRoot.length}`);
  assert(typeof batchId === 'bigint' && batchId >= 0n && batchId <= uint64Max, `batchId ${batchId} is a u64`);
  assert(typeof blockHeight === 'bigint' && blockHeight >= 0n && blockHeight <= uint64Max, `blockHeight ${blockHeight} is a u64`);
  assert(results === undefined || results.length <= count, 'results has at most an entry per transaction');
  assert(gasUsed === undefined || gasUsed.length >= count, 'gasUsed has an entry per transaction');
  for (let index = range.first; index < range.end; index++) {
    const status = statuses[index]!;
    assert(
      status === ReceiptStatus.COMMITTED || status === ReceiptStatus.REJECTED || status === ReceiptStatus.FAILED,
      `receipt ${index} has status COMMITTED, REJECTED or FAILED, got ${status}`,
    );
    if (status === ReceiptStatus.COMMITTED) {
      assert(rejectReasons[index] === RejectReason.REJECT_REASON_NONE, `committed receipt ${index} has no reject reason`);
      assert(!rejectMessages[index], `committed receipt ${index} has no reject message`);
    } else {
      assert(rejectReasons[index] !== RejectReason.REJECT_REASON_NONE, `receipt ${index} (status ${status}) says why`);
    }
  }
}

/** Bytes of receipt `index`'s content (without its tag and length prefix). */
function receiptContentBytes(columns: ReceiptColumns, index: number): number {
  const status = columns.statuses[index]!;
  const reason = columns.rejectReasons[index]!;
  let size = 0;
  if (columns.batchId !== 0n) size += 1 + 8;
  if (index !== 0) size += 1 + 4;
  if (hasHash(columns.txHashes, index)) size += 1 + 1 + hashBytes;
  size += 1 + varintBytes(status);
  if (reason !== 0) size += 1 + varintBytes(reason);
  const message = columns.rejectMessages[index];
  if (message) {
    const messageBytes = Buffer.byteLength(message, 'utf8');
    size += 1 + varintBytes(messageBytes) + messageBytes;
  }
  if (isOrdered(status)) {
    if (columns.blockHeight !== 0n) size += 1 + 8;
    if (columns.stateRoot.length !== 0) size += 1 + 1 + hashBytes;
  }
  const result = columns.results?.[index];
  if (result !== undefined && result.length !== 0) size += 1 + varintBytes(result.length) + result.length;
  const gas = columns.gasUsed?.[index];
  if (gas !== undefined && gas !== 0n) size += 1 + 8;
  return size;
}

/** The ReceiptBatch encoding of the receipts in `range` (default: all), ready for grpc-js. */
export function encodeReceiptBatch(columns: ReceiptColumns, range: ReceiptRange = { first: 0, end: columns.count }): Buffer {
  checkColumns(columns, range);
  let total = columns.batchId !== 0n ? 1 + 8 : 0;
  for (let index = range.first; index < range.end; index++) {
    const content = receiptContentBytes(columns, index);
    total += 1 + varintBytes(content) + content;
  }
  const out = Buffer.allocUnsafe(total);
  let position = 0;
  if (columns.batchId !== 0n) {
    out[position++] = tagBatchBatchId;
    position = out.writeBigUInt64LE(columns.batchId, position);
  }
  for (let index = range.first; index < range.end; index++) {
    out[position++] = tagBatchReceipts;
    position = writeVarint(out, position, receiptContentBytes(columns, index));
    position = writeReceipt(columns, index, out, position);
  }
  assert(position === total, `receipt batch filled its ${total} bytes exactly, wrote ${position}`);
  return out;
}

function writeReceipt(columns: ReceiptColumns, index: number, out: Buffer, position: number): number {
  const status = columns.statuses[index]!;
  const reason = columns.rejectReasons[index]!;
  if (columns.batchId !== 0n) {
    out[position++] = tagBatchId;
    position = out.writeBigUInt64LE(columns.batchId, position);
  }
  if (index !== 0) {
    out[position++] = tagIndex;
    position = out.writeUInt32LE(index, position);
  }
  if (hasHash(columns.txHashes, index)) {
    out[position++] = tagTxHash;
    out[position++] = hashBytes;
    out.set(columns.txHashes.subarray(index * hashBytes, (index + 1) * hashBytes), position);
    position += hashBytes;
  }
  out[position++] = tagStatus;
  position = writeVarint(out, position, status);
  if (reason !== 0) {
    out[position++] = tagRejectReason;
    position = writeVarint(out, position, reason);
  }
  const message = columns.rejectMessages[index];
  if (message) {
    const messageBytes = Buffer.byteLength(message, 'utf8');
    out[position++] = tagRejectMessage;
    position = writeVarint(out, position, messageBytes);
    const written = out.write(message, position, messageBytes, 'utf8');
    assert(written === messageBytes, `reject message ${index} wrote its ${messageBytes} UTF-8 bytes`);
    position += written;
  }
  if (isOrdered(status)) {
    if (columns.blockHeight !== 0n) {
      out[position++] = tagBlockHeight;
      position = out.writeBigUInt64LE(columns.blockHeight, position);
    }
    if (columns.stateRoot.length !== 0) {
      out[position++] = tagStateRoot;
      out[position++] = hashBytes;
      out.set(columns.stateRoot, position);
      position += hashBytes;
    }
  }
  const result = columns.results?.[index];
  if (result !== undefined && result.length !== 0) {
    out[position++] = tagResult;
    position = writeVarint(out, position, result.length);
    out.set(result, position);
    position += result.length;
  }
  const gas = columns.gasUsed?.[index];
  if (gas !== undefined && gas !== 0n) {
    out[position++] = tagGasUsed;
    position = out.writeBigUInt64LE(gas, position);
  }
  return position;
}
