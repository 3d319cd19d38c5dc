/**
 * The reading side of a ring. Exactly one RingConsumer may be attached to a ring at a time, on
 * any one thread (a shard worker in the node).
 *
 * Hot path, records are read in place with no allocation:
 *   const count = consumer.available();
 *   for (let index = 0; index < count; index++) { read the record at consumer.peek(index) }
 *   consumer.release(count);                 // the slots may now be overwritten
 *   if (count === 0) consumer.waitForData(timeoutMs);   // 'ok' | 'timed-out' | 'closed'
 *
 * Memory ordering (see producer.ts for the full argument): available() and peek() read head
 * with Atomics.load before any record bytes are read, and release() stores tail with
 * Atomics.store after they are read; Atomics are sequentially consistent in JavaScript, so that
 * pair of edges is all the ordering the hand-off needs.
 */
import { assert, invalidArgument } from '../errors.js';
import { loadCounter, storeCounter } from './counter.js';
import { readRingLayout, ringHeaderBytes, ringWord, type RingLayout } from './layout.js';
import { statsFromHeader, tailCounter, type RingStats } from './stats.js';
import { checkTimeoutMs, waitAsync, waitBlocking } from './wait.js';

export type DataWaitResult = 'ok' | 'timed-out' | 'closed';

export class RingConsumer {
  readonly buffer: SharedArrayBuffer;
  /** The whole buffer; record offsets from peek index into it. */
  readonly bytes: Uint8Array;
  /** The whole buffer; record offsets from peek index into it. */
  readonly view: DataView;
  readonly capacityRecords: number;
  readonly recordBytes: number;

  private readonly layout: RingLayout;
  private readonly words: Int32Array;
  private readonly recordsOffsetBytes: number;
  private readonly slotMask: number;
  /** Sequence (mod 2^32) of the oldest unreleased record; published as tail. */
  private releasedSequence: number;
  /** Exact count of records ever released; its low 32 bits are releasedSequence. */
  private releasedTotal: number;
  /** The producer's head as last loaded; refreshed only when it looks empty. */
  private headSeen: number;

  constructor(buffer: SharedArrayBuffer) {
    const layout = readRingLayout(buffer);
    this.layout = layout;
    this.buffer = buffer;
    this.bytes = new Uint8Array(buffer);
    this.view = new DataView(buffer);
    this.capacityRecords = layout.capacityRecords;
    this.recordBytes = layout.recordBytes;
    this.recordsOffsetBytes = layout.recordsOffsetBytes;
    this.slotMask = layout.capacityRecords - 1;
    this.words = new Int32Array(buffer, 0, ringHeaderBytes / 4);
    this.releasedTotal = loadCounter(this.words, tailCounter);
    this.releasedSequence = this.releasedTotal >>> 0;
    this.headSeen = this.releasedSequence;
    this.available();
  }

  /** Committed records not yet released (reloads the producer's head). */
  available(): number {
    this.headSeen = Atomics.load(this.words, ringWord.head) >>> 0;
    return this.seenCount();
  }

  /**
   * Byte offset in `bytes` / `view` of the `index`-th unreleased record (0 is the oldest), or
   * -1 if fewer than index + 1 records are committed. The record stays valid until released.
   */
  peek(index = 0): number {
    if (!Number.isInteger(index) || index < 0) {
      throw invalidArgument('index', `must be a non-negative integer, got ${index}`);
    }
    if (index >= this.seenCount() && index >= this.available()) return -1;
    return this.recordsOffsetBytes + ((this.releasedSequence + index) & this.slotMask) * this.recordBytes;
  }

  /** Frees the oldest `count` records, which must have been seen through available() or peek(). */
  release(count = 1): void {
    if (!Number.isInteger(count) || count < 1 || count > this.seenCount()) {
      throw invalidArgument('count', `must be an integer from 1 to ${this.seenCount()}, the records seen and not yet released; got ${count}`);
    }
    const nextTotal = this.releasedTotal + count;
    // The release store: this side is done with those slots before the producer can see them free.
    storeCounter(this.words, tailCounter, this.releasedTotal, nextTotal);
    this.releasedTotal = nextTotal;
    this.releasedSequence = nextTotal >>> 0;
    if (Atomics.load(this.words, ringWord.producerWaiters) !== 0) Atomics.notify(this.words, ringWord.tail);
  }

  /**
   * Cold-path convenience: copies the oldest record into `into` (at least recordBytes long)
   * and releases it. Returns false when no record is committed.
   */
  tryRead(into: Uint8Array): boolean {
    if (!(into instanceof Uint8Array) || into.byteLength < this.recordBytes) {
      throw invalidArgument('into', `must be a Uint8Array of at least ${this.recordBytes} bytes, the ring's record size`);
    }
    const offset = this.peek(0);
    if (offset === -1) return false;
    into.set(this.bytes.subarray(offset, offset + this.recordBytes));
    this.release(1);
    return true;
  }

  /** The producer has closed the ring; records committed before close may still be queued. */
  isClosed(): boolean {
    return Atomics.load(this.words, ringWord.closed) === 1;
  }

  /** The producer has closed the ring and every record it committed has been released. */
  isClosedAndEmpty(): boolean {
    // Closed first: the producer's last head store precedes its closed store, so a head loaded
    // after seeing closed is final.
    return this.isClosed() && this.available() === 0;
  }

  /**
   * Blocks this thread (Atomics.wait) until a record is committed, the ring is closed and
   * empty, or `timeoutMs` passes. For worker threads; an event-loop thread uses waitForDataAsync.
   */
  waitForData(timeoutMs: number): DataWaitResult {
    checkTimeoutMs(timeoutMs);
    const ready = this.dataState();
    if (ready !== undefined) return ready;
    Atomics.add(this.words, ringWord.consumerWaiters, 1);
    try {
      // Read the doorbell before the last look: a commit or close after this load moves it,
      // so the wait below returns at once instead of sleeping through that change.
      const doorbell = Atomics.load(this.words, ringWord.dataDoorbell);
      const readyNow = this.dataState();
      if (readyNow !== undefined) return readyNow;
      waitBlocking(this.words, ringWord.dataDoorbell, doorbell, timeoutMs);
    } finally {
      Atomics.sub(this.words, ringWord.consumerWaiters, 1);
    }
    return this.dataState() ?? 'timed-out';
  }

  /**
   * Resolves when a record is committed, the ring is closed and empty, or `timeoutMs` passes,
   * without blocking the event loop (Atomics.waitAsync).
   */
  async waitForDataAsync(timeoutMs: number): Promise<DataWaitResult> {
    checkTimeoutMs(timeoutMs);
    const ready = this.dataState();
    if (ready !== undefined) return ready;
    Atomics.add(this.words, ringWord.consumerWaiters, 1);
    try {
      const doorbell = Atomics.load(this.words, ringWord.dataDoorbell);
      const readyNow = this.dataState();
      if (readyNow !== undefined) return readyNow;
      await waitAsync(this.words, ringWord.dataDoorbell, doorbell, timeoutMs);
    } finally {
      Atomics.sub(this.words, ringWord.consumerWaiters, 1);
    }
    return this.dataState() ?? 'timed-out';
  }

  stats(): RingStats {
    return statsFromHeader(this.words, this.layout);
  }

  /** Records between the released tail and the head as last loaded. */
  private seenCount(): number {
    const count = (this.headSeen - this.releasedSequence) >>> 0;
    assert(count <= this.capacityRecords, 'a ring never holds more records than its capacity (one producer, one consumer)');
    return count;
  }

  private dataState(): DataWaitResult | undefined {
    const closed = this.isClosed();
    if (this.available() > 0) return 'ok';
    return closed ? 'closed' : undefined;
  }
}
