/**
 * The receipt invariants of a run, checked as receipts arrive: every transaction sent gets
 * exactly one receipt, on the stream it was sent on, naming its batch and an index inside it.
 * Also counts outcomes (COMMITTED / REJECTED / FAILED) and keeps a few rejection messages.
 *
 * Per stream, each batch number has a state byte (not sent, waiting, answered), so a receipt for
 * a batch answered long ago is still recognised as a duplicate; at one byte per batch a 24-hour
 * run costs a few megabytes.
 */
import { assert } from '../../errors.js';
import { ReceiptStatus, RejectReason } from '../../generated/aurigraph.js';

export interface ReceiptAudit {
  readonly batchesSent: number;
  readonly batchesAnswered: number;
  readonly transactionsSent: number;
  readonly receiptsReceived: number;
  readonly committed: number;
  readonly rejected: number;
  readonly failed: number;
  /** Receipts with a status other than the three above. */
  readonly otherStatus: number;
  /** Transactions sent that have no receipt (yet, when audited mid-run). */
  readonly missingReceipts: number;
  /** Second (or later) receipts for a transaction that already had one. */
  readonly duplicateReceipts: number;
  /** Receipts for a batch never sent on that stream, or an index outside the batch. */
  readonly unexpectedReceipts: number;
  /** "REJECTED NONCE_GAP" → count, for everything not COMMITTED. */
  readonly outcomesByReason: Readonly<Record<string, number>>;
  /** Up to five distinct messages of REJECTED / FAILED / unexpected receipts. */
  readonly samples: readonly string[];
}

const stateNotSent = 0;
const stateWaiting = 1;
const stateAnswered = 2;
const samplesMax = 5;

interface WaitingBatch {
  readonly transactionCount: number;
  received: number;
  readonly seen: Uint8Array;
  readonly onAnswered: (() => void) | undefined;
}

class StreamTally {
  states = new Uint8Array(1024);
  readonly waiting = new Map<number, WaitingBatch>();

  stateOf(batchNumber: number): number {
    return batchNumber < this.states.length ? this.states[batchNumber]! : stateNotSent;
  }

  setState(batchNumber: number, state: number): void {
    if (batchNumber >= this.states.length) {
      let length = this.states.length;
      while (length <= batchNumber) length *= 2;
      const grown = new Uint8Array(length);
      grown.set(this.states);
      this.states = grown;
    }
    this.states[batchNumber] = state;
  }
}

const statusNames: Record<number, string> = { [ReceiptStatus.COMMITTED]: 'COMMITTED', [ReceiptStatus.REJECTED]: 'REJECTED', [ReceiptStatus.FAILED]: 'FAILED' };

const reasonNames = new Map<number, string>(Object.entries(RejectReason).map(([name, value]) => [value as number, name]));

function reasonName(reason: number): string {
  return reasonNames.get(reason) ?? `reason ${reason}`;
}

export class ReceiptTally {
  readonly #streams: StreamTally[];
  readonly #coordinatesOf: (batchId: number) => { stream: number; batchNumber: number } | undefined;
  #batchesSent = 0;
  #batchesAnswered = 0;
  #transactionsSent = 0;
  #receiptsReceived = 0;
  #committed = 0;
  #rejected = 0;
  #failed = 0;
  #otherStatus = 0;
  #duplicateReceipts = 0;
  #unexpectedReceipts = 0;
  readonly #outcomesByReason: Record<string, number> = {};
  readonly #samples: string[] = [];

  /** `coordinatesOf` maps a receipt's batch id to the (stream, batch number) that sent it. */
  constructor(streamCount: number, coordinatesOf: (batchId: number) => { stream: number; batchNumber: number } | undefined) {
    this.#streams = Array.from({ length: streamCount }, () => new StreamTally());
    this.#coordinatesOf = coordinatesOf;
  }

  /** Batch (stream, batchNumber) of `transactionCount` transactions went out; `onAnswered` runs once all its receipts are in. */
  sent(stream: number, batchNumber: number, transactionCount: number, onAnswered?: () => void): void {
    const tally = this.#streams[stream];
    assert(tally !== undefined, `stream ${stream} exists`);
    assert(Number.isSafeInteger(batchNumber) && batchNumber >= 0, 'a batch number is a whole number');
    assert(tally.stateOf(batchNumber) === stateNotSent, `batch ${batchNumber} of stream ${stream} is sent once`);
    assert(transactionCount > 0, 'a batch holds at least one transaction');
    tally.setState(batchNumber, stateWaiting);
    tally.waiting.set(batchNumber, { transactionCount, received: 0, seen: new Uint8Array(transactionCount), onAnswered });
    this.#batchesSent += 1;
    this.#transactionsSent += transactionCount;
  }

  /** One receipt read on `stream`. */
  receive(stream: number, batchId: number, index: number, status: number, rejectReason: number, message: () => string): void {
    this.#receiptsReceived += 1;
    const coordinates = this.#coordinatesOf(batchId);
    const tally = this.#streams[stream];
    assert(tally !== undefined, `stream ${stream} exists`);
    if (coordinates === undefined || coordinates.stream !== stream) {
      this.#unexpected(`a receipt on stream ${stream} names batch id ${batchId}, which this stream never sent`);
      return;
    }
    const state = tally.stateOf(coordinates.batchNumber);
    if (state === stateNotSent) {
      this.#unexpected(`a receipt names batch id ${batchId}, which was never sent`);
      return;
    }
    if (state === stateAnswered) {
      this.#duplicate(`batch id ${batchId} index ${index}: a receipt after the batch was fully answered`);
      return;
    }
    const batch = tally.waiting.get(coordinates.batchNumber)!;
    if (!Number.isInteger(index) || index < 0 || index >= batch.transactionCount) {
      this.#unexpected(`batch id ${batchId}: a receipt for index ${index}, outside its ${batch.transactionCount} transactions`);
      return;
    }
    if (batch.seen[index] !== 0) {
      this.#duplicate(`batch id ${batchId} index ${index}: a second receipt`);
      return;
    }
    batch.seen[index] = 1;
    batch.received += 1;
    this.#countOutcome(status, rejectReason, message);
    if (batch.received === batch.transactionCount) {
      tally.waiting.delete(coordinates.batchNumber);
      tally.setState(coordinates.batchNumber, stateAnswered);
      this.#batchesAnswered += 1;
      batch.onAnswered?.();
    }
  }

  /** Batches sent and not fully answered. */
  get batchesWaiting(): number {
    return this.#batchesSent - this.#batchesAnswered;
  }

  audit(): ReceiptAudit {
    let missingReceipts = 0;
    for (const tally of this.#streams) {
      for (const batch of tally.waiting.values()) missingReceipts += batch.transactionCount - batch.received;
    }
    return {
      batchesSent: this.#batchesSent,
      batchesAnswered: this.#batchesAnswered,
      transactionsSent: this.#transactionsSent,
      receiptsReceived: this.#receiptsReceived,
      committed: this.#committed,
      rejected: this.#rejected,
      failed: this.#failed,
      otherStatus: this.#otherStatus,
      missingReceipts,
      duplicateReceipts: this.#duplicateReceipts,
      unexpectedReceipts: this.#unexpectedReceipts,
      outcomesByReason: { ...this.#outcomesByReason },
      samples: [...this.#samples],
    };
  }

  #countOutcome(status: number, rejectReason: number, message: () => string): void {
    if (status === ReceiptStatus.COMMITTED) {
      this.#committed += 1;
      return;
    }
    if (status === ReceiptStatus.REJECTED) this.#rejected += 1;
    else if (status === ReceiptStatus.FAILED) this.#failed += 1;
    else this.#otherStatus += 1;
    const key = `${statusNames[status] ?? `status ${status}`} ${reasonName(rejectReason)}`;
    this.#outcomesByReason[key] = (this.#outcomesByReason[key] ?? 0) + 1;
    if (this.#samples.length < samplesMax) {
      const sample = `${key}: ${message()}`;
      if (!this.#samples.includes(sample)) this.#samples.push(sample);
    }
  }

  #unexpected(sample: string): void {
    this.#unexpectedReceipts += 1;
    if (this.#samples.length < samplesMax) this.#samples.push(sample);
  }

  #duplicate(sample: string): void {
    this.#duplicateReceipts += 1;
    if (this.#samples.length < samplesMax) this.#samples.push(sample);
  }
}
