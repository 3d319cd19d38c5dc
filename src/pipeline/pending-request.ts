/**
 * One batch on its way through the coordinator, from its `begin` message to its answer: the
 * verdicts gathered so far (stateless ones from the acceptor, the rest from verify tasks), the
 * transaction hashes, and where each verified transaction's compact record lies.
 */
import { assert } from '../errors.js';
import { ReceiptStatus, RejectReason } from '../generated/aurigraph.js';
import type { BatchSignatureCheck } from '../exec/seal-batch.js';
import type { ReceiptsAnswer } from './messages.js';

const hashBytes = 32;

export type RequestPhase = 'intake' | 'sealing' | 'proposing' | 'proposed';

export class PendingRequest {
  readonly requestId: number;
  readonly count: number;
  readonly batchId: bigint;
  readonly batchSignature: BatchSignatureCheck | undefined;
  phase: RequestPhase = 'intake';
  /** REJECTED where refused before ordering; 0 while undecided or accepted. */
  readonly statuses: Uint8Array;
  readonly reasons: Uint8Array;
  readonly messages = new Map<number, string>();
  readonly hashes: Uint8Array;
  /** 1 where the transaction was hashed (a verify record was read). */
  readonly hashed: Uint8Array;
  /** The verify result holding each accepted transaction's compact record, and its offset. */
  readonly compactSources: (Uint8Array | undefined)[];
  readonly compactOffsets: Int32Array;
  recordsAnnounced = 0;
  recordsVerified = 0;
  /** Set by `end`: the acceptor wrote every record. */
  recordsExpected: number | undefined;
  /** The Merkle root of the entry proposed for it, to recognise that entry when it is applied. */
  entryRoot: Uint8Array | undefined;
  /** The log index the leader gave the entry. */
  proposedIndex: number | undefined;
  /** The request sent before this one on its stream (BeginRequest.after). */
  after: number | undefined;
  /** Set once this request's entry went to the orderer, or it was answered without one. */
  ordered = false;
  /** Requests of the same stream waiting for this one to be ordered. */
  readonly successors: Array<() => void> = [];

  constructor(requestId: number, count: number, batchId: bigint, batchSignature: BatchSignatureCheck | undefined) {
    assert(Number.isInteger(count) && count >= 1, `a request holds at least one transaction, got ${count}`);
    this.requestId = requestId;
    this.count = count;
    this.batchId = batchId;
    this.batchSignature = batchSignature;
    this.statuses = new Uint8Array(count);
    this.reasons = new Uint8Array(count);
    this.hashes = new Uint8Array(count * hashBytes);
    this.hashed = new Uint8Array(count);
    this.compactSources = new Array<Uint8Array | undefined>(count);
    this.compactOffsets = new Int32Array(count).fill(-1);
  }

  /** Marks the request ordered (proposed, or answered without an entry) and lets its successors go. */
  markOrdered(): void {
    if (this.ordered) return;
    this.ordered = true;
    for (const release of this.successors.splice(0)) release();
  }

  /** Every record is written and verified: the batch can be sealed. */
  get verified(): boolean {
    return this.recordsExpected !== undefined && this.recordsVerified === this.recordsExpected;
  }

  reject(index: number, reason: RejectReason, message: string): void {
    assert(index >= 0 && index < this.count, `index ${index} is within the batch of ${this.count}`);
    assert(reason !== RejectReason.REJECT_REASON_NONE, 'a rejection has a reason');
    this.statuses[index] = ReceiptStatus.REJECTED;
    this.reasons[index] = reason;
    this.messages.set(index, message);
    this.compactSources[index] = undefined;
    this.compactOffsets[index] = -1;
  }

  isRejected(index: number): boolean {
    return this.statuses[index] === ReceiptStatus.REJECTED;
  }

  /** Records a verified transaction: its hash, and its compact record unless it was rejected. */
  recordVerified(index: number, hash: Uint8Array, compact: Uint8Array, compactOffset: number): void {
    assert(index >= 0 && index < this.count && this.hashed[index] === 0, `transaction ${index} of request ${this.requestId} is verified once`);
    this.hashes.set(hash, index * hashBytes);
    this.hashed[index] = 1;
    this.recordsVerified += 1;
    if (compactOffset >= 0) {
      this.compactSources[index] = compact;
      this.compactOffsets[index] = compactOffset;
    }
  }

  hashOf(index: number): Uint8Array {
    return this.hashes.subarray(index * hashBytes, (index + 1) * hashBytes);
  }

  /** Rejects every transaction not yet rejected, as a failed batch signature does. */
  rejectAllRemaining(reason: RejectReason, message: string): void {
    for (let index = 0; index < this.count; index++) if (!this.isRejected(index)) this.reject(index, reason, message);
  }

  /** 1 for each transaction that goes into the log entry. */
  includedMask(): Uint8Array {
    const included = new Uint8Array(this.count);
    for (let index = 0; index < this.count; index++) included[index] = this.isRejected(index) ? 0 : 1;
    return included;
  }

  includedCount(): number {
    let included = 0;
    for (let index = 0; index < this.count; index++) if (!this.isRejected(index)) included += 1;
    return included;
  }

  /**
   * The receipts: REJECTED verdicts from here, merged in batch order with the block's outcome
   * for the transactions that were ordered (`blockOutcome` undefined when none was).
   */
  answer(
    blockOutcome: { batchIndexes: ArrayLike<number>; statuses: Uint8Array; reasons: Uint8Array; messages: readonly string[]; height: bigint; stateRoot: Uint8Array } | undefined,
  ): ReceiptsAnswer {
    const statuses = Uint8Array.from(this.statuses);
    const reasons = Uint8Array.from(this.reasons);
    const messages: Array<[number, string]> = [...this.messages];
    if (blockOutcome !== undefined) {
      const { batchIndexes } = blockOutcome;
      for (let position = 0; position < batchIndexes.length; position++) {
        const index = batchIndexes[position]!;
        assert(index < this.count && !this.isRejected(index), `block transaction ${position} is transaction ${index} of the batch, not rejected before ordering`);
        statuses[index] = blockOutcome.statuses[position]!;
        reasons[index] = blockOutcome.reasons[position]!;
        const message = blockOutcome.messages[position]!;
        if (message !== '') messages.push([index, message]);
      }
    }
    for (let index = 0; index < this.count; index++) {
      assert(statuses[index] !== ReceiptStatus.RECEIPT_STATUS_UNSPECIFIED, `transaction ${index} of request ${this.requestId} has a verdict`);
    }
    return {
      type: 'receipts',
      requestId: this.requestId,
      count: this.count,
      statuses,
      reasons,
      messages,
      txHashes: this.hashes,
      blockHeight: blockOutcome?.height ?? 0n,
      stateRoot: blockOutcome?.stateRoot ?? new Uint8Array(0),
    };
  }
}
