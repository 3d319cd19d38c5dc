/**
 * Intake: a TxBatch's raw bytes become verify records in the shard rings (docs/pipeline.md steps
 * 1 to 4). The batch is walked in place (TxBatchReader); each transaction that passes the
 * stateless checks is written straight into its home shard's ring (home = shardOf(sender), the
 * ledger's function), and the coordinator is told what was written, in order.
 *
 * Bounds, so memory stays fixed however fast clients send:
 *   - one batch is written at a time (the walker and the ring producers are single-owner);
 *   - a batch is admitted only while the transactions admitted and not yet answered stay within
 *     batching.maxInflightTransactions (a larger batch goes alone when nothing is in flight);
 *   - a full ring stops the writing: what is written is committed and announced, so the
 *     verifiers free space, and the intake waits for it. The caller keeps the client's stream
 *     paused until its batch's intake is done, so HTTP/2 flow control holds the client back.
 * Nothing is dropped: every transaction of an admitted batch ends as a record or a rejection.
 */
import { AurigraphError, assert, unavailable } from '../errors.js';
import { idKey, shardLookup } from '../ledger/index.js';
import type { BatchSignatureCheck, BeginRequest, EndRequest, ReceiptsAnswer, StatelessRejection } from '../pipeline/messages.js';
import { RingProducer } from '../ring/index.js';
import { TransactionCursor, TxBatchReader, type TxBatchLimits, writeVerifyRecord } from '../wire/index.js';
import type { PipelineLink } from './pipeline-link.js';

export interface BatchIntakeOptions {
  limits: TxBatchLimits;
  shardRings: SharedArrayBuffer[];
  maxInflightTransactions: number;
  link: PipelineLink;
}

export type IntakeOutcome =
  /** The batch is in the pipeline; `answer` resolves with its receipts. */
  | { accepted: true; batchId: bigint; answer: Promise<ReceiptsAnswer> }
  /** The batch was refused as a whole (a bound or its framing); nothing of it was written. */
  | { accepted: false; error: AurigraphError };

/** The batches of one client stream: each is ordered after the one before (BeginRequest.after). */
export class StreamOrder {
  /** The request id of the stream's last batch, once it has one. */
  lastRequestId: number | undefined;
}

/** How long one wait for ring space lasts before it looks again; waits repeat until space frees. */
const spaceWaitMs = 1_000;

export class BatchIntake {
  readonly #reader: TxBatchReader;
  readonly #cursor = new TransactionCursor();
  readonly #producers: RingProducer[];
  readonly #recordBytes: number;
  readonly #shardCount: number;
  readonly #inflightMax: number;
  readonly #link: PipelineLink;
  #inflight = 0;
  /** Batches waiting for the intake or for admission, in arrival order. */
  #queue: Promise<void> = Promise.resolve();
  #admissionWaiter: (() => void) | undefined;
  #broken: AurigraphError | undefined;

  constructor(options: BatchIntakeOptions) {
    this.#reader = new TxBatchReader(options.limits);
    this.#producers = options.shardRings.map((ring) => new RingProducer(ring));
    this.#recordBytes = options.limits.verifyRecordBytes;
    this.#producers.forEach((producer, shard) => {
      assert(producer.recordBytes === this.#recordBytes, `shard ${shard}'s ring records are ${this.#recordBytes} bytes, as the batch walker assumes`);
    });
    this.#shardCount = options.shardRings.length;
    this.#inflightMax = options.maxInflightTransactions;
    this.#link = options.link;
  }

  /** Transactions admitted and not yet answered. */
  get inflightTransactions(): number {
    return this.#inflight;
  }

  /**
   * Writes the batch into the rings. Resolves once its intake is done (every record written and
   * announced, or the batch refused), which is when the caller may read the next batch.
   */
  submit(bytes: Uint8Array, stream?: StreamOrder): Promise<IntakeOutcome> {
    const outcome = this.#queue.then(async () => {
      if (this.#broken !== undefined) throw this.#broken;
      try {
        return await this.#intake(bytes, stream);
      } catch (error) {
        // A bug left the rings with reserved, unannounced slots: nothing written after this
        // could be trusted, so every later batch is refused until the node restarts.
        this.#broken = unavailable(`the intake stopped after an internal error (see the node log); restart the node: ${String(error)}`);
        throw error;
      }
    });
    this.#queue = outcome.then(
      () => undefined,
      () => undefined,
    );
    return outcome;
  }

  async #intake(bytes: Uint8Array, stream: StreamOrder | undefined): Promise<IntakeOutcome> {
    const reader = this.#reader;
    try {
      reader.open(bytes);
    } catch (error) {
      if (error instanceof AurigraphError) return { accepted: false, error };
      throw error;
    }
    const count = reader.transactionCount;
    const batchId = reader.batchId;
    await this.#admit(count);
    const requestId = this.#link.newRequestId();
    const answer = this.#link.answerOf(requestId);
    const released = answer.finally(() => this.#release(count));
    released.catch(() => undefined);
    const after = stream?.lastRequestId;
    if (stream !== undefined) stream.lastRequestId = requestId;
    // Posted on its own only if the batch has to be announced in parts (a ring filled up);
    // otherwise it travels with the records and the end, in one message.
    const begin: BeginRequest = { type: 'begin', requestId, transactionCount: count, batchId, ...batchSignatureOf(reader), ...(after === undefined ? {} : { after }) };
    let beginPosted = false;

    const pending = new Array<number>(this.#shardCount).fill(0);
    const rejections: StatelessRejection[] = [];
    const lookup = shardLookup(this.#shardCount);
    let recordCount = 0;
    for (let index = 0; index < count; index++) {
      const cursor = this.#cursor;
      if (!reader.readTransaction(index, cursor)) {
        rejections.push([index, cursor.rejectReason, cursor.rejectMessage]);
        continue;
      }
      let shard = 0;
      if (this.#shardCount > 1) {
        const from = reader.bytes.subarray(cursor.fromOffset, cursor.fromOffset + cursor.fromLength);
        shard = lookup.shardOfKey(idKey(from), from);
      }
      const producer = this.#producers[shard]!;
      let offset = producer.tryReserve();
      while (offset === -1) {
        if (!beginPosted) {
          this.#link.post(begin);
          beginPosted = true;
        }
        this.#announce(requestId, pending);
        await producer.waitForSpaceAsync(spaceWaitMs);
        offset = producer.tryReserve();
      }
      // The walker read the cursor before the wait; the batch bytes and cursor are ours alone.
      const written = writeVerifyRecord(cursor, reader.bytes, producer.bytes, offset, this.#recordBytes, requestId, index);
      assert(written, 'a transaction the walker accepted fits the ring record it was checked against');
      pending[shard]! += 1;
      recordCount += 1;
    }
    const end: EndRequest = { type: 'end', requestId, recordCount, rejections };
    if (beginPosted) {
      this.#announce(requestId, pending);
      this.#link.post(end);
    } else {
      this.#commitPending(requestId, pending);
      this.#link.post({ type: 'whole', begin, shardCounts: pending, end });
    }
    return { accepted: true, batchId, answer };
  }

  /** Publishes what was written since the last call and tells the coordinator, in that order. */
  #announce(requestId: number, pending: number[]): void {
    if (!this.#commitPending(requestId, pending)) return;
    this.#link.post({ type: 'records', requestId, shardCounts: pending.slice() });
    pending.fill(0);
  }

  /** Publishes the records written since the last announcement to the consumers; false when there were none. */
  #commitPending(requestId: number, pending: readonly number[]): boolean {
    let any = false;
    pending.forEach((count, shard) => {
      if (count === 0) return;
      const committed = this.#producers[shard]!.commit();
      assert(committed === count, `shard ${shard} published the ${count} records written for request ${requestId}`);
      any = true;
    });
    return any;
  }

  async #admit(count: number): Promise<void> {
    while (this.#inflight > 0 && this.#inflight + count > this.#inflightMax) {
      await new Promise<void>((resolve) => {
        this.#admissionWaiter = resolve;
      });
    }
    this.#inflight += count;
  }

  #release(count: number): void {
    this.#inflight -= count;
    assert(this.#inflight >= 0, 'in-flight transactions never go below zero');
    const waiter = this.#admissionWaiter;
    this.#admissionWaiter = undefined;
    waiter?.();
  }
}

function batchSignatureOf(reader: TxBatchReader): { batchSignature?: BatchSignatureCheck } {
  if (!reader.hasBatchSignature) return {};
  const bytes = reader.bytes;
  // A copy in a buffer of its own: the batch bytes are a Node.js Buffer, whose slice() is a
  // view, and posting a view to the coordinator clones the view's whole ArrayBuffer (the entire
  // TxBatch, ~0.4 MiB for 4,096 transfers), which the main thread then keeps for as long as it
  // keeps the submitter's key id.
  const field = (offset: number, length: number): Uint8Array => new Uint8Array(bytes.subarray(offset, offset + length));
  return {
    batchSignature: {
      signature: field(reader.batchSignatureOffset, reader.batchSignatureLength),
      keyId: field(reader.submitterKeyIdOffset, reader.submitterKeyIdLength),
      publicKey: field(reader.submitterPublicKeyOffset, reader.submitterPublicKeyLength),
      algorithm: reader.submitterAlgorithm,
    },
  };
}
