/**
 * Verify records: the acceptor copies each accepted transaction's fields straight from the
 * TxBatch bytes into its ring slot (`writeVerifyRecord`), and a shard worker reads them in place
 * (`VerifyRecordView`). The layout is in verify-record-layout.ts.
 */
import { assert } from '../errors.js';
import { copyBytes, writeUint16At, writeUint32At } from './byte-copy.js';
import { readFixed32At, readFixed64At } from './proto-scan.js';
import { accountIdBytes, signingBytesFixed, signingBytesPrefix, signingOffset } from './signing-bytes.js';
import type { TransactionCursor } from './tx-batch-reader.js';
import {
  verifyRecordBytesFor,
  verifyRecordFlag,
  verifyRecordHeaderBytes,
  verifyRecordLayoutVersion,
  verifyRecordOffset,
} from './verify-record-layout.js';

const signingStart = verifyRecordOffset.signingBytes;

/**
 * Writes the transaction under `cursor` (read from `input`, the batch bytes) as a verify record
 * at `target[offset ..< offset + recordBytes]`. Returns false, writing nothing, when it does not
 * fit: the caller rejects it as MALFORMED naming shards.ringRecordBytes (TxBatchReader already
 * does, given the same record size, so false means the two were configured differently).
 */
export function writeVerifyRecord(
  cursor: TransactionCursor,
  input: Uint8Array,
  target: Uint8Array,
  offset: number,
  recordBytes: number,
  requestId: number,
  index: number,
): boolean {
  assert(cursor.accepted, `transaction ${cursor.index} was rejected (${cursor.rejectMessage}); only accepted ones get verify records`);
  assert(cursor.fromLength === accountIdBytes, 'an accepted transaction has a 32-byte from');
  assert(cursor.toLength === accountIdBytes || cursor.toLength === 0, 'an accepted transaction has a 32-byte or empty to');
  assert(offset >= 0 && offset % 8 === 0 && offset + recordBytes <= target.length, `record slot ${offset}+${recordBytes} lies inside the target (${target.length} bytes), 8-aligned`);
  const payloadLength = cursor.payloadLength;
  const signatureLength = cursor.signatureLength;
  if (verifyRecordBytesFor(payloadLength, signatureLength) > recordBytes) return false;

  const flags = (signatureLength === 0 ? verifyRecordFlag.batchSigned : 0) | (cursor.toLength !== 0 ? verifyRecordFlag.toPresent : 0);
  writeUint32At(target, offset + verifyRecordOffset.requestId, requestId);
  writeUint32At(target, offset + verifyRecordOffset.index, index);
  target[offset + verifyRecordOffset.flags] = flags;
  target[offset + verifyRecordOffset.layoutVersion] = verifyRecordLayoutVersion;
  writeUint16At(target, offset + verifyRecordOffset.zero, 0);
  writeUint32At(target, offset + verifyRecordOffset.signatureLength, signatureLength);

  const signing = offset + signingStart;
  copyBytes(signingBytesPrefix, 0, signingBytesPrefix.length, target, signing + signingOffset.prefix);
  writeUint32At(target, signing + signingOffset.kind, cursor.kind);
  copyBytes(input, cursor.fromOffset, accountIdBytes, target, signing + signingOffset.from);
  if (cursor.toLength !== 0) copyBytes(input, cursor.toOffset, accountIdBytes, target, signing + signingOffset.to);
  else target.fill(0, signing + signingOffset.to, signing + signingOffset.to + accountIdBytes);
  copyFixed64(input, cursor.amountOffset, target, signing + signingOffset.amount);
  copyFixed64(input, cursor.nonceOffset, target, signing + signingOffset.nonce);
  copyFixed64(input, cursor.feeOffset, target, signing + signingOffset.fee);
  writeUint32At(target, signing + signingOffset.chainId, cursor.chainId);
  writeUint32At(target, signing + signingOffset.payloadLength, payloadLength);
  copyBytes(input, cursor.payloadOffset, payloadLength, target, signing + signingOffset.payload);
  copyBytes(input, cursor.signatureOffset, signatureLength, target, signing + signingBytesFixed + payloadLength);
  return true;
}

/** fixed64 fields are little-endian on the wire, as in the record: copy the 8 bytes, or zeros when absent. */
function copyFixed64(input: Uint8Array, sourceOffset: number, target: Uint8Array, targetOffset: number): void {
  if (sourceOffset < 0) target.fill(0, targetOffset, targetOffset + 8);
  else copyBytes(input, sourceOffset, 8, target, targetOffset);
}

/**
 * Reads verify records in place. One view is reused across records with `moveTo`; accessors
 * that return bytes return views into the ring (valid until the record is released).
 */
export class VerifyRecordView {
  readonly bytes: Uint8Array;
  readonly recordBytes: number;
  /** Where the current record starts in `bytes`. */
  offset = 0;

  constructor(bytes: Uint8Array, recordBytes: number, offset?: number) {
    assert(Number.isInteger(recordBytes) && recordBytes >= verifyRecordHeaderBytes, `recordBytes ${recordBytes} holds at least a record header (${verifyRecordHeaderBytes} bytes)`);
    this.bytes = bytes;
    this.recordBytes = recordBytes;
    if (offset !== undefined) this.moveTo(offset);
  }

  /** Points the view at the record at `offset`, checking what the writer guaranteed. */
  moveTo(offset: number): this {
    const bytes = this.bytes;
    assert(Number.isInteger(offset) && offset >= 0 && offset + this.recordBytes <= bytes.length, `record offset ${offset} lies inside the buffer`);
    this.offset = offset;
    assert(bytes[offset + verifyRecordOffset.layoutVersion] === verifyRecordLayoutVersion, `the record at ${offset} has layout version ${verifyRecordLayoutVersion}`);
    assert(
      verifyRecordBytesFor(this.payloadLength, this.signatureLength) <= this.recordBytes,
      `the record at ${offset} fits its ${this.recordBytes}-byte slot`,
    );
    return this;
  }

  get requestId(): number {
    return readFixed32At(this.bytes, this.offset + verifyRecordOffset.requestId);
  }

  get index(): number {
    return readFixed32At(this.bytes, this.offset + verifyRecordOffset.index);
  }

  get flags(): number {
    return this.bytes[this.offset + verifyRecordOffset.flags]!;
  }

  get isBatchSigned(): boolean {
    return (this.flags & verifyRecordFlag.batchSigned) !== 0;
  }

  get kind(): number {
    return readFixed32At(this.bytes, this.signingStart + signingOffset.kind);
  }

  get chainId(): number {
    return readFixed32At(this.bytes, this.signingStart + signingOffset.chainId);
  }

  get payloadLength(): number {
    return readFixed32At(this.bytes, this.signingStart + signingOffset.payloadLength);
  }

  get signatureLength(): number {
    return readFixed32At(this.bytes, this.offset + verifyRecordOffset.signatureLength);
  }

  get amount(): bigint {
    return readFixed64At(this.bytes, this.signingStart + signingOffset.amount);
  }

  get nonce(): bigint {
    return readFixed64At(this.bytes, this.signingStart + signingOffset.nonce);
  }

  get fee(): bigint {
    return readFixed64At(this.bytes, this.signingStart + signingOffset.fee);
  }

  /** Where the signing bytes start in `bytes`; field offsets follow signingOffset. */
  get signingStart(): number {
    return this.offset + signingStart;
  }

  get signingBytesLength(): number {
    return signingBytesFixed + this.payloadLength;
  }

  /** Where the signature starts in `bytes`. */
  get signatureStart(): number {
    return this.signingStart + this.signingBytesLength;
  }

  from(): Uint8Array {
    const start = this.signingStart + signingOffset.from;
    return this.bytes.subarray(start, start + accountIdBytes);
  }

  /** 32 zero bytes when the transaction had no `to` (see `flags`). */
  to(): Uint8Array {
    const start = this.signingStart + signingOffset.to;
    return this.bytes.subarray(start, start + accountIdBytes);
  }

  payload(): Uint8Array {
    const start = this.signingStart + signingOffset.payload;
    return this.bytes.subarray(start, start + this.payloadLength);
  }

  signature(): Uint8Array {
    const start = this.signatureStart;
    return this.bytes.subarray(start, start + this.signatureLength);
  }

  /** The signing bytes in place (no copy): hash or verify them before the record is released. */
  signingBytes(): Uint8Array {
    const start = this.signingStart;
    return this.bytes.subarray(start, start + this.signingBytesLength);
  }

  /** Copies the signing bytes to the start of `scratch` and returns their length. */
  signingBytesInto(scratch: Uint8Array): number {
    const length = this.signingBytesLength;
    assert(scratch.length >= length, `scratch (${scratch.length} bytes) holds the ${length} signing bytes`);
    copyBytes(this.bytes, this.signingStart, length, scratch, 0);
    return length;
  }
}
