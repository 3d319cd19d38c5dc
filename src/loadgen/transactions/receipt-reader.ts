/**
 * Reads ReceiptBatch bytes as they arrive on a stream, without a JavaScript object per receipt:
 * for each receipt its batch id, index, status and reject reason go to a visitor. Batch ids are
 * read as numbers (this workload's ids stay far below 2^53). Malformed bytes throw: the node
 * wrote them, so that is a bug worth stopping for.
 */
import { readFixed32At, readLength, readTag, readVarint, skipValue, varintResult } from '../../wire/proto-scan.js';

export interface ReceiptVisitor {
  receipt(batchId: number, index: number, status: number, rejectReason: number, message: () => string): void;
}

const tagBatchBatchId = 0x09;
const tagBatchReceipts = 0x12;
const tagBatchId = 0x09;
const tagIndex = 0x15;
const tagStatus = 0x20;
const tagRejectReason = 0x28;
const tagRejectMessage = 0x32;

function fail(what: string, position: number): never {
  throw new Error(`a ReceiptBatch from the node is malformed: ${what} at byte ${position}`);
}

function readUint64AsNumber(bytes: Uint8Array, position: number): number {
  return readFixed32At(bytes, position + 4) * 0x1_0000_0000 + readFixed32At(bytes, position);
}

/** Visits every receipt of one ReceiptBatch message; returns how many there were. */
export function readReceiptBatch(bytes: Uint8Array, visitor: ReceiptVisitor): number {
  let position = 0;
  let count = 0;
  const end = bytes.length;
  while (position < end) {
    const afterTag = readTag(bytes, position, end);
    if (afterTag < 0) fail('a bad tag', position);
    const tag = varintResult.low;
    if (tag === tagBatchReceipts) {
      const start = readLength(bytes, afterTag, end);
      if (start < 0) fail('a receipt runs past the end', afterTag);
      const receiptEnd = start + varintResult.low;
      readReceipt(bytes, start, receiptEnd, visitor);
      count += 1;
      position = receiptEnd;
    } else {
      position = skipValue(bytes, afterTag, end, tag, 0);
      if (position < 0) fail(tag === tagBatchBatchId ? 'a truncated batch id' : 'an unreadable field', afterTag);
    }
  }
  return count;
}

function readReceipt(bytes: Uint8Array, start: number, end: number, visitor: ReceiptVisitor): void {
  let position = start;
  let batchId = 0;
  let index = 0;
  let status = 0;
  let rejectReason = 0;
  let messageStart = -1;
  let messageEnd = -1;
  while (position < end) {
    const afterTag = readTag(bytes, position, end);
    if (afterTag < 0) fail('a bad tag in a receipt', position);
    const tag = varintResult.low;
    if (tag === tagBatchId) {
      if (end - afterTag < 8) fail('a truncated batch id', afterTag);
      batchId = readUint64AsNumber(bytes, afterTag);
      position = afterTag + 8;
    } else if (tag === tagIndex) {
      if (end - afterTag < 4) fail('a truncated index', afterTag);
      index = readFixed32At(bytes, afterTag);
      position = afterTag + 4;
    } else if (tag === tagStatus || tag === tagRejectReason) {
      position = readVarint(bytes, afterTag, end);
      if (position < 0) fail('a bad varint', afterTag);
      if (tag === tagStatus) status = varintResult.low;
      else rejectReason = varintResult.low;
    } else if (tag === tagRejectMessage) {
      messageStart = readLength(bytes, afterTag, end);
      if (messageStart < 0) fail('a truncated reject message', afterTag);
      messageEnd = messageStart + varintResult.low;
      position = messageEnd;
    } else {
      position = skipValue(bytes, afterTag, end, tag, 0);
      if (position < 0) fail('an unreadable receipt field', afterTag);
    }
  }
  const message = () => (messageStart < 0 ? '' : Buffer.from(bytes.buffer, bytes.byteOffset + messageStart, messageEnd - messageStart).toString('utf8'));
  visitor.receipt(batchId, index, status, rejectReason, message);
}
