/**
 * The messages between the acceptor thread (src/ingest) and the coordinator (this folder, main
 * thread), on the MessagePort the main thread hands the acceptor at start. Transaction bytes
 * never cross it: they travel through the shard rings; this port carries counts, verdicts of
 * the stateless checks, batch-signature fields and receipt columns.
 *
 * One request (one TxBatch) is, in this order on the port:
 *   begin      the batch's metadata, before any of its records is written
 *   records    after each commit to the rings: how many of the request's records each shard's
 *              ring received, in ring order (a batch larger than a ring's free space arrives
 *              in several of these, as the verifiers free space)
 *   end        every record is written; the transactions the stateless checks rejected
 * The acceptor writes one request into the rings at a time, so the records of a request are
 * contiguous in each ring and announced in the order they were written. A request whose
 * records all fit in the rings' free space (the usual case) goes as ONE `whole` message
 * carrying the three: one thread hop per batch instead of three.
 *
 * Answers come back as
 *   receipts   one column set per request, in batch index order
 *   refused    the request cannot be answered with receipts (not the leader, or leadership
 *              changed before the batch committed); the client must resubmit
 *   applied    the height of the last applied block, after each block, for reads
 * and what the coordinator answers in one task (a group of blocks committed together) goes as
 * one `answers` message carrying them in the order they were sent.
 */
import type { BatchSignatureCheck } from '../exec/seal-batch.js';

export type { BatchSignatureCheck };

export interface BeginRequest {
  type: 'begin';
  requestId: number;
  transactionCount: number;
  /** TxBatch.batch_id. */
  batchId: bigint;
  /** Present for a batch-signed batch: the fields the batch-signature check needs. */
  batchSignature?: BatchSignatureCheck;
  /**
   * The request sent before this one on the same stream, if it may still be unanswered: this
   * one is proposed only after it, so a stream's batches enter the log in the order sent (a
   * sender's nonces can run across the batches of one stream).
   */
  after?: number;
}

export interface RecordsWritten {
  type: 'records';
  requestId: number;
  /** Records of this request just committed to each shard's ring, indexed by shard. */
  shardCounts: number[];
}

/** [index in batch, RejectReason, message naming the field] */
export type StatelessRejection = [number, number, string];

export interface EndRequest {
  type: 'end';
  requestId: number;
  /** Records written in all: the sum of every `records` message of the request. */
  recordCount: number;
  rejections: StatelessRejection[];
}

/** begin, records (when any were written) and end of one request, in one message. */
export interface WholeRequest {
  type: 'whole';
  begin: BeginRequest;
  /** Records of this request committed to each shard's ring, indexed by shard; all zero when none. */
  shardCounts: number[];
  end: EndRequest;
}

export type IntakeMessage = BeginRequest | RecordsWritten | EndRequest | WholeRequest;

export interface ReceiptsAnswer {
  type: 'receipts';
  requestId: number;
  count: number;
  /** ReceiptStatus per index. */
  statuses: Uint8Array;
  /** RejectReason per index. */
  reasons: Uint8Array;
  /** [index, message] for REJECTED and FAILED receipts. */
  messages: Array<[number, string]>;
  /** 32 bytes per index; zeros where the transaction was never hashed. */
  txHashes: Uint8Array;
  /** 0 when nothing of the batch was ordered. */
  blockHeight: bigint;
  /** 32 bytes, or empty when nothing was ordered. */
  stateRoot: Uint8Array;
}

export interface RefusedAnswer {
  type: 'refused';
  requestId: number;
  /** Says why and what the client should do, e.g. "node-1 is not the leader; the leader is node-2 at 10.0.0.2:9004". */
  message: string;
  /** The leader, when the refusal is "not the leader" and one is known: the client goes there. */
  leaderId?: string;
  leaderAddress?: string;
}

export interface AppliedNotice {
  type: 'applied';
  height: bigint;
}

export type AnswerMessage = ReceiptsAnswer | RefusedAnswer | AppliedNotice;

/** Several answers in one message, to be handled in order. */
export interface AnswerBatch {
  type: 'answers';
  answers: AnswerMessage[];
}

export type CoordinatorMessage = AnswerMessage | AnswerBatch;
