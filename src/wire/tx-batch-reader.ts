/**
 * The acceptor's TxBatch walker: the raw protobuf bytes of a batch, as gRPC received them, are
 * read in place. `open` checks the batch-level framing and bounds once; `readTransaction`
 * fills a caller-owned, reused `TransactionCursor` with the offsets of one transaction's
 * fields in the input buffer and the stateless verdict on it. Nothing is allocated per
 * transaction unless it is rejected (the reject message is a string).
 *
 * Protobuf semantics kept: fields in any order, unknown fields skipped (groups included), a
 * repeated singular field's last occurrence wins. Damage inside one transaction's bytes is that
 * transaction's MALFORMED verdict; damage to the batch's own framing throws `invalidArgument`
 * naming the field. Oversized batches throw `BatchBoundError` (RESOURCE_EXHAUSTED).
 *
 * Back of the envelope: a 1,024-transaction ML-DSA-65 batch is ~3.5 MB; `open` touches each
 * transaction's tag and length only (~3 bytes each), `readTransaction` each field's tag and
 * length (~10 per transaction); payload and signature bytes are never read here.
 */
import { AurigraphError, invalidArgument } from '../errors.js';
import { KeyAlgorithm, RejectReason, TransactionKind } from '../generated/aurigraph.js';
import {
  describeScanFailure,
  readFixed32At,
  readFixed64At,
  readLength,
  readTag,
  readVarint,
  skipValue,
  varintResult,
  wireType,
  wireTypeName,
} from './proto-scan.js';
import { accountIdBytes } from './signing-bytes.js';
import { verifyRecordBytesFor, verifyRecordBytesMax, verifyRecordBytesMin } from './verify-record-layout.js';

/** What the walker enforces; taken from the node's configuration at start. */
export interface TxBatchLimits {
  /** This network's id; a transaction naming another is rejected as WRONG_CHAIN. */
  chainId: number;
  /** batching.maxBatchTransactions: more transactions is RESOURCE_EXHAUSTED. */
  maxBatchTransactions: number;
  /** batching.maxBatchBytes: a larger encoded batch is RESOURCE_EXHAUSTED. */
  maxBatchBytes: number;
  /** Largest payload accepted, 0 to 65,535 (the compact execution record stores a u16 length). */
  payloadBytesMax: number;
  /** shards.ringRecordBytes: a transaction whose verify record would not fit is MALFORMED. */
  verifyRecordBytes: number;
}

/** Bounds on the limits themselves, so buffers sized from them stay reasonable. */
export const batchTransactionsLimitMax = 1 << 20;
export const batchBytesLimitMax = 0x7fffffff;
export const payloadBytesLimitMax = 0xffff;

export type BatchBound = 'batching.maxBatchTransactions' | 'batching.maxBatchBytes';

/** A batch over a configured bound; the gRPC layer answers RESOURCE_EXHAUSTED (kind below). */
export class BatchBoundError extends AurigraphError {
  readonly bound: BatchBound;
  readonly limit: number;
  readonly actual: number;

  constructor(bound: BatchBound, limit: number, actual: number, field: string, message: string) {
    super('resource_exhausted', `${field}: ${message}`, field);
    this.name = 'BatchBoundError';
    this.bound = bound;
    this.limit = limit;
    this.actual = actual;
  }
}

/**
 * One transaction of the batch, as offsets into the batch buffer (`TxBatchReader.bytes`).
 * Owned by the caller and overwritten by every `readTransaction`; copy what must outlive that.
 */
export class TransactionCursor {
  /** Position in the batch, from zero. */
  index = -1;
  /** The Transaction message's own bytes. */
  messageOffset = 0;
  messageLength = 0;
  /** TransactionKind as sent (any int32; validated into the verdict). */
  kind = 0;
  fromOffset = 0;
  fromLength = 0;
  toOffset = 0;
  toLength = 0;
  /** Offset of the 8 little-endian bytes, or -1 when the field is absent (the value is zero). */
  amountOffset = -1;
  nonceOffset = -1;
  feeOffset = -1;
  chainId = 0;
  payloadOffset = 0;
  payloadLength = 0;
  signatureOffset = 0;
  signatureLength = 0;
  /** REJECT_REASON_NONE when the transaction passed the stateless checks. */
  rejectReason: number = RejectReason.REJECT_REASON_NONE;
  /** Names the field at fault; empty when accepted. */
  rejectMessage = '';

  get accepted(): boolean {
    return this.rejectReason === RejectReason.REJECT_REASON_NONE;
  }
}

/**
 * Whether a kind carries a 32-byte `to` (true) or an empty one (false), indexed by kind.
 * transaction.proto: the receiving account for TRANSFER, the target contract for CONTRACT_CALL
 * and TRACE_LINK; empty for the others. Holding each kind to exactly one form also keeps the
 * signing bytes unambiguous, since an empty `to` is hashed as 32 zero bytes.
 */
const kindHasTo: readonly boolean[] = [false, true, false, false, true, false, false, true];
const kindNames: readonly string[] = [
  'TRANSACTION_KIND_UNSPECIFIED',
  'TRANSFER',
  'REGISTER_KEY',
  'CONTRACT_DEPLOY',
  'CONTRACT_CALL',
  'STORAGE_PUT',
  'STORAGE_DELETE',
  'TRACE_LINK',
];
const submitterKeyIdBytes = 32;
const noBytes = new Uint8Array(0);

function requireLimit(value: number, field: string, min: number, max: number): void {
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw invalidArgument(field, `must be an integer from ${min} to ${max}, got ${String(value)}`);
  }
}

export function checkTxBatchLimits(limits: TxBatchLimits): void {
  requireLimit(limits.chainId, 'chainId', 0, 0xffffffff);
  requireLimit(limits.maxBatchTransactions, 'batching.maxBatchTransactions', 1, batchTransactionsLimitMax);
  requireLimit(limits.maxBatchBytes, 'batching.maxBatchBytes', 1, batchBytesLimitMax);
  requireLimit(limits.payloadBytesMax, 'payloadBytesMax', 0, payloadBytesLimitMax);
  requireLimit(limits.verifyRecordBytes, 'shards.ringRecordBytes', verifyRecordBytesMin, verifyRecordBytesMax);
  if (limits.verifyRecordBytes % 8 !== 0) {
    throw invalidArgument('shards.ringRecordBytes', `must be a multiple of 8, got ${limits.verifyRecordBytes}`);
  }
}

export class TxBatchReader {
  readonly limits: Readonly<TxBatchLimits>;
  /** The batch being read (set by `open`); cursor offsets index it. */
  bytes: Uint8Array = noBytes;
  transactionCount = 0;
  batchSignatureOffset = 0;
  batchSignatureLength = 0;
  submitterKeyIdOffset = 0;
  submitterKeyIdLength = 0;
  submitterPublicKeyOffset = 0;
  submitterPublicKeyLength = 0;
  /** KeyAlgorithm as sent (int32). */
  submitterAlgorithm = 0;
  private batchIdOffset = -1;
  // Sized once for the largest batch allowed: no allocation per batch.
  private readonly messageStarts: Int32Array;
  private readonly messageEnds: Int32Array;

  constructor(limits: TxBatchLimits) {
    checkTxBatchLimits(limits);
    this.limits = Object.freeze({ ...limits });
    this.messageStarts = new Int32Array(limits.maxBatchTransactions);
    this.messageEnds = new Int32Array(limits.maxBatchTransactions);
  }

  /** TxBatch.batch_id (zero when absent). */
  get batchId(): bigint {
    return this.batchIdOffset < 0 ? 0n : readFixed64At(this.bytes, this.batchIdOffset);
  }

  get hasBatchSignature(): boolean {
    return this.batchSignatureLength !== 0;
  }

  /**
   * Reads the batch's top-level fields and finds its transactions. Throws BatchBoundError over
   * a bound, and invalidArgument (naming the field) for broken framing, no transactions, or
   * inconsistent batch-signature fields. The bytes must stay unchanged while they are read.
   */
  open(bytes: Uint8Array): void {
    if (!(bytes instanceof Uint8Array)) throw invalidArgument('batch', 'expected the encoded TxBatch as a Buffer or Uint8Array');
    this.reset();
    const { maxBatchBytes, maxBatchTransactions } = this.limits;
    if (bytes.length > maxBatchBytes) {
      throw new BatchBoundError(
        'batching.maxBatchBytes',
        maxBatchBytes,
        bytes.length,
        'batch',
        `${bytes.length} bytes exceed this node's limit of ${maxBatchBytes} (batching.maxBatchBytes); split the batch`,
      );
    }
    this.bytes = bytes;
    const end = bytes.length;
    let count = 0;
    let position = 0;
    while (position < end) {
      const tagPosition = position;
      position = readTag(bytes, position, end);
      if (position < 0) throw invalidArgument('batch', `the field tag at byte ${tagPosition} ${describeScanFailure(position)}`);
      const tag = varintResult.low;
      const fieldNumber = tag >>> 3;
      switch (fieldNumber) {
        case 1:
          expectBatchWireType(tag, wireType.fixed64, 'batch_id');
          if (end - position < 8) throw invalidArgument('batch_id', `the 8 bytes at byte ${position} run past the end of the batch`);
          this.batchIdOffset = position;
          position += 8;
          break;
        case 2: {
          expectBatchWireType(tag, wireType.lengthDelimited, 'transactions');
          const contentStart = readLength(bytes, position, end);
          if (contentStart < 0) {
            throw invalidArgument('transactions', `transaction ${count} (length prefix at byte ${position}) ${describeScanFailure(contentStart)}`);
          }
          const contentEnd = contentStart + varintResult.low;
          if (count < maxBatchTransactions) {
            this.messageStarts[count] = contentStart;
            this.messageEnds[count] = contentEnd;
          }
          count += 1;
          position = contentEnd;
          break;
        }
        case 3:
          position = this.readBatchBytesField(tag, position, 'batch_signature');
          this.batchSignatureOffset = position - varintResult.low;
          this.batchSignatureLength = varintResult.low;
          break;
        case 4:
          position = this.readBatchBytesField(tag, position, 'submitter_key_id');
          this.submitterKeyIdOffset = position - varintResult.low;
          this.submitterKeyIdLength = varintResult.low;
          break;
        case 5:
          position = this.readBatchBytesField(tag, position, 'submitter_public_key');
          this.submitterPublicKeyOffset = position - varintResult.low;
          this.submitterPublicKeyLength = varintResult.low;
          break;
        case 6: {
          expectBatchWireType(tag, wireType.varint, 'submitter_algorithm');
          const next = readVarint(bytes, position, end);
          if (next < 0) throw invalidArgument('submitter_algorithm', `the value at byte ${position} ${describeScanFailure(next)}`);
          this.submitterAlgorithm = varintResult.low | 0;
          position = next;
          break;
        }
        default: {
          const next = skipValue(bytes, position, end, tag, 0);
          if (next < 0) throw invalidArgument('batch', `unknown field ${fieldNumber} at byte ${tagPosition} ${describeScanFailure(next)}`);
          position = next;
        }
      }
    }
    if (count > maxBatchTransactions) {
      throw new BatchBoundError(
        'batching.maxBatchTransactions',
        maxBatchTransactions,
        count,
        'transactions',
        `${count} transactions exceed this node's limit of ${maxBatchTransactions} per batch (batching.maxBatchTransactions); split the batch`,
      );
    }
    if (count === 0) throw invalidArgument('transactions', 'the batch has no transactions; send at least one');
    this.transactionCount = count;
    this.checkBatchSignatureFields();
  }

  /**
   * Fills `cursor` with transaction `index` (0 ≤ index < transactionCount) and its stateless
   * verdict; returns `cursor.accepted`. Never throws for anything in the transaction's bytes.
   */
  readTransaction(index: number, cursor: TransactionCursor): boolean {
    if (!Number.isInteger(index) || index < 0 || index >= this.transactionCount) {
      throw invalidArgument('index', `must be an integer from 0 to ${this.transactionCount - 1}, got ${index}`);
    }
    const start = this.messageStarts[index]!;
    const end = this.messageEnds[index]!;
    resetCursor(cursor, index, start, end);
    if (!this.scanTransaction(cursor, start, end)) return false;
    this.checkTransaction(cursor);
    return cursor.accepted;
  }

  private reset(): void {
    this.bytes = noBytes;
    this.transactionCount = 0;
    this.batchIdOffset = -1;
    this.batchSignatureOffset = 0;
    this.batchSignatureLength = 0;
    this.submitterKeyIdOffset = 0;
    this.submitterKeyIdLength = 0;
    this.submitterPublicKeyOffset = 0;
    this.submitterPublicKeyLength = 0;
    this.submitterAlgorithm = 0;
  }

  /** Reads a top-level bytes field; returns the position after it, its length in varintResult.low. */
  private readBatchBytesField(tag: number, position: number, field: string): number {
    expectBatchWireType(tag, wireType.lengthDelimited, field);
    const contentStart = readLength(this.bytes, position, this.bytes.length);
    if (contentStart < 0) throw invalidArgument(field, `the length prefix at byte ${position} ${describeScanFailure(contentStart)}`);
    return contentStart + varintResult.low;
  }

  private checkBatchSignatureFields(): void {
    if (this.batchSignatureLength === 0) {
      if (this.submitterKeyIdLength !== 0) {
        throw invalidArgument('submitter_key_id', 'is set but batch_signature is empty; send both, or neither when each transaction is signed');
      }
      return;
    }
    if (this.submitterKeyIdLength !== submitterKeyIdBytes) {
      throw invalidArgument(
        'submitter_key_id',
        `must be ${submitterKeyIdBytes} bytes (SHA-256 of the submitter's public key) when batch_signature is set, got ${this.submitterKeyIdLength}`,
      );
    }
    const algorithm = this.submitterAlgorithm;
    if (algorithm !== KeyAlgorithm.ML_DSA_44 && algorithm !== KeyAlgorithm.ML_DSA_65 && algorithm !== KeyAlgorithm.ML_DSA_87) {
      throw invalidArgument(
        'submitter_algorithm',
        `must be ML_DSA_44 (1), ML_DSA_65 (2) or ML_DSA_87 (3) when batch_signature is set, got ${algorithm}`,
      );
    }
  }

  /** Records the field offsets; false (with a MALFORMED verdict) when the bytes are not a valid Transaction. */
  private scanTransaction(cursor: TransactionCursor, start: number, end: number): boolean {
    const bytes = this.bytes;
    let position = start;
    while (position < end) {
      const tagPosition = position;
      position = readTag(bytes, position, end);
      if (position < 0) return malformed(cursor, 'transaction', `the field tag at byte ${tagPosition - start} ${describeScanFailure(position)}`);
      const tag = varintResult.low;
      switch (tag >>> 3) {
        case 1: {
          if ((tag & 7) !== wireType.varint) return wrongWireType(cursor, 'kind', tag, wireType.varint);
          const next = readVarint(bytes, position, end);
          if (next < 0) return malformed(cursor, 'kind', `the value ${describeScanFailure(next)}`);
          cursor.kind = varintResult.low | 0;
          position = next;
          break;
        }
        case 2:
          if ((tag & 7) !== wireType.lengthDelimited) return wrongWireType(cursor, 'from', tag, wireType.lengthDelimited);
          position = readLength(bytes, position, end);
          if (position < 0) return malformed(cursor, 'from', `the length prefix ${describeScanFailure(position)}`);
          cursor.fromOffset = position;
          cursor.fromLength = varintResult.low;
          position += varintResult.low;
          break;
        case 3:
          if ((tag & 7) !== wireType.lengthDelimited) return wrongWireType(cursor, 'to', tag, wireType.lengthDelimited);
          position = readLength(bytes, position, end);
          if (position < 0) return malformed(cursor, 'to', `the length prefix ${describeScanFailure(position)}`);
          cursor.toOffset = position;
          cursor.toLength = varintResult.low;
          position += varintResult.low;
          break;
        case 4:
          if ((tag & 7) !== wireType.fixed64) return wrongWireType(cursor, 'amount', tag, wireType.fixed64);
          if (end - position < 8) return malformed(cursor, 'amount', 'the 8 bytes run past the end of the transaction');
          cursor.amountOffset = position;
          position += 8;
          break;
        case 5:
          if ((tag & 7) !== wireType.fixed64) return wrongWireType(cursor, 'nonce', tag, wireType.fixed64);
          if (end - position < 8) return malformed(cursor, 'nonce', 'the 8 bytes run past the end of the transaction');
          cursor.nonceOffset = position;
          position += 8;
          break;
        case 6:
          if ((tag & 7) !== wireType.fixed64) return wrongWireType(cursor, 'fee', tag, wireType.fixed64);
          if (end - position < 8) return malformed(cursor, 'fee', 'the 8 bytes run past the end of the transaction');
          cursor.feeOffset = position;
          position += 8;
          break;
        case 7:
          if ((tag & 7) !== wireType.fixed32) return wrongWireType(cursor, 'chain_id', tag, wireType.fixed32);
          if (end - position < 4) return malformed(cursor, 'chain_id', 'the 4 bytes run past the end of the transaction');
          cursor.chainId = readFixed32At(bytes, position);
          position += 4;
          break;
        case 8:
          if ((tag & 7) !== wireType.lengthDelimited) return wrongWireType(cursor, 'payload', tag, wireType.lengthDelimited);
          position = readLength(bytes, position, end);
          if (position < 0) return malformed(cursor, 'payload', `the length prefix ${describeScanFailure(position)}`);
          cursor.payloadOffset = position;
          cursor.payloadLength = varintResult.low;
          position += varintResult.low;
          break;
        case 9:
          if ((tag & 7) !== wireType.lengthDelimited) return wrongWireType(cursor, 'signature', tag, wireType.lengthDelimited);
          position = readLength(bytes, position, end);
          if (position < 0) return malformed(cursor, 'signature', `the length prefix ${describeScanFailure(position)}`);
          cursor.signatureOffset = position;
          cursor.signatureLength = varintResult.low;
          position += varintResult.low;
          break;
        default: {
          const next = skipValue(bytes, position, end, tag, 0);
          if (next < 0) return malformed(cursor, 'transaction', `unknown field ${tag >>> 3} at byte ${tagPosition - start} ${describeScanFailure(next)}`);
          position = next;
        }
      }
    }
    return true;
  }

  /** The stateless rules of transaction.proto, first failure wins. */
  private checkTransaction(cursor: TransactionCursor): void {
    const kind = cursor.kind;
    if (kind < TransactionKind.TRANSFER || kind > TransactionKind.TRACE_LINK) {
      const sent = kind === TransactionKind.TRANSACTION_KIND_UNSPECIFIED ? 'it is not set' : `got ${kind}`;
      malformed(cursor, 'kind', `must be one of TRANSFER (1) to TRACE_LINK (7); ${sent}`);
      return;
    }
    if (cursor.fromLength !== accountIdBytes) {
      malformed(cursor, 'from', `must be exactly ${accountIdBytes} bytes (the sender's account id), got ${cursor.fromLength}`);
      return;
    }
    if (kindHasTo[kind]) {
      if (cursor.toLength !== accountIdBytes) {
        malformed(cursor, 'to', `must be exactly ${accountIdBytes} bytes for ${kindNames[kind]}, got ${cursor.toLength}`);
        return;
      }
    } else if (cursor.toLength !== 0) {
      malformed(cursor, 'to', `must be empty for ${kindNames[kind]}, got ${cursor.toLength} bytes`);
      return;
    }
    if (kind === TransactionKind.TRANSFER && cursor.payloadLength !== 0) {
      malformed(cursor, 'payload', `must be empty for TRANSFER, got ${cursor.payloadLength} bytes`);
      return;
    }
    const { payloadBytesMax, verifyRecordBytes, chainId } = this.limits;
    if (cursor.payloadLength > payloadBytesMax) {
      malformed(cursor, 'payload', `${cursor.payloadLength} bytes exceed this node's limit of ${payloadBytesMax}`);
      return;
    }
    if (this.batchSignatureLength !== 0) {
      if (cursor.signatureLength !== 0) {
        malformed(cursor, 'signature', 'must be empty when the batch carries batch_signature');
        return;
      }
    } else if (cursor.signatureLength === 0) {
      malformed(cursor, 'signature', 'is missing; sign each transaction or send a batch_signature');
      return;
    }
    const recordBytes = verifyRecordBytesFor(cursor.payloadLength, cursor.signatureLength);
    if (recordBytes > verifyRecordBytes) {
      malformed(
        cursor,
        'signature',
        `with the payload needs a ${recordBytes}-byte verify record, more than this node's ${verifyRecordBytes} (shards.ringRecordBytes)`,
      );
      return;
    }
    if (cursor.chainId !== chainId) {
      cursor.rejectReason = RejectReason.WRONG_CHAIN;
      cursor.rejectMessage = `chain_id: ${cursor.chainId} names another network; this node's chain id is ${chainId}`;
    }
  }
}

function resetCursor(cursor: TransactionCursor, index: number, start: number, end: number): void {
  cursor.index = index;
  cursor.messageOffset = start;
  cursor.messageLength = end - start;
  cursor.kind = 0;
  cursor.fromOffset = start;
  cursor.fromLength = 0;
  cursor.toOffset = start;
  cursor.toLength = 0;
  cursor.amountOffset = -1;
  cursor.nonceOffset = -1;
  cursor.feeOffset = -1;
  cursor.chainId = 0;
  cursor.payloadOffset = start;
  cursor.payloadLength = 0;
  cursor.signatureOffset = start;
  cursor.signatureLength = 0;
  cursor.rejectReason = RejectReason.REJECT_REASON_NONE;
  cursor.rejectMessage = '';
}

function malformed(cursor: TransactionCursor, field: string, message: string): false {
  cursor.rejectReason = RejectReason.MALFORMED;
  cursor.rejectMessage = `${field}: ${message}`;
  return false;
}

function wrongWireType(cursor: TransactionCursor, field: string, tag: number, expected: number): false {
  return malformed(cursor, field, `has wire type ${wireTypeName(tag)}, expected ${wireTypeName(expected)}`);
}

function expectBatchWireType(tag: number, expected: number, field: string): void {
  if ((tag & 7) !== expected) throw invalidArgument(field, `has wire type ${wireTypeName(tag)}, expected ${wireTypeName(expected)}`);
}
