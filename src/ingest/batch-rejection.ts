/**
 * The answer on a stream to a batch refused as a whole (over a bound, or broken framing): the
 * stream stays open, and the batch gets a ReceiptBatch in which every transaction is REJECTED
 * with a message naming the bound or the field. Unary SubmitBatch answers such a batch with the
 * gRPC status instead (RESOURCE_EXHAUSTED, INVALID_ARGUMENT).
 *
 * RejectReason has no value for "batch too large", so a bound is reported as MALFORMED with a
 * message that starts "RESOURCE_EXHAUSTED:" and names the setting.
 *
 * The transactions are counted by a tolerant scan of the top-level fields, since the batch
 * walker stopped at the error; with broken framing the count is what could be read (at least one
 * receipt is always sent, so the client learns the batch's fate).
 */
import { AurigraphError } from '../errors.js';
import { ReceiptStatus, RejectReason } from '../generated/aurigraph.js';
import { encodeReceiptBatch } from '../wire/index.js';
import { readFixed64At, readTag, skipValue, varintResult } from '../wire/proto-scan.js';

const hashBytes = 32;
/** One receipt each, but no more than the largest count a batch may claim honestly. */
const receiptsMax = 1 << 20;

export interface BatchOutline {
  batchId: bigint;
  transactionCount: number;
}

/** batch_id and how many `transactions` fields precede the first framing error. */
export function outlineBatch(bytes: Uint8Array): BatchOutline {
  let batchId = 0n;
  let transactionCount = 0;
  let position = 0;
  while (position < bytes.length) {
    const next = readTag(bytes, position, bytes.length);
    if (next < 0) break;
    const tag = varintResult.low;
    if (tag === ((1 << 3) | 1) && bytes.length - next >= 8) batchId = readFixed64At(bytes, next);
    if (tag >>> 3 === 2) transactionCount += 1;
    position = skipValue(bytes, next, bytes.length, tag, 0);
    if (position < 0) break;
  }
  return { batchId, transactionCount: Math.min(transactionCount, receiptsMax) };
}

/** The ReceiptBatch bytes answering a batch refused with `error` as a whole. */
export function encodeBatchRejection(bytes: Uint8Array, error: AurigraphError): Buffer {
  const { batchId, transactionCount } = outlineBatch(bytes);
  const count = Math.max(1, transactionCount);
  const message = error.kind === 'resource_exhausted' ? `RESOURCE_EXHAUSTED: ${error.message}` : error.message;
  return encodeReceiptBatch({
    batchId,
    count,
    statuses: new Uint8Array(count).fill(ReceiptStatus.REJECTED),
    rejectReasons: new Uint8Array(count).fill(RejectReason.MALFORMED),
    rejectMessages: new Array<string>(count).fill(message),
    txHashes: new Uint8Array(count * hashBytes),
    blockHeight: 0n,
    stateRoot: new Uint8Array(0),
  });
}
