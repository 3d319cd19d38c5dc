/**
 * The writing side of a ring. Exactly one RingProducer may be attached to a ring at a time, on
 * any one thread (the acceptor in the node).
 *
 * Hot path, no allocation per record:
 *   for (const record of batch) {
 *     const offset = producer.tryReserve();  // -1: full
 *     if (offset === -1) { producer.commit(); await producer.waitForSpaceAsync(timeoutMs); retry this record }
 *     else write the record into producer.bytes / producer.view at [offset, offset + recordBytes)
 *   }
 *   producer.commit();                       // publishes every slot reserved since the last commit
 *
 * Memory ordering: record bytes are written with plain stores, then commit() publishes the new
 * head with Atomics.store. The consumer reads the head with Atomics.load before it reads those
 * bytes. In the JavaScript memory model Atomics operations are sequentially consistent and an
 * Atomics.load that reads the value of an Atomics.store synchronizes with it, so every plain
 * write made before the store happens-before every plain read made after the load: the consumer
 * cannot see a published head with stale record bytes. The reverse hand-off is the same: the
 * consumer finishes reading a slot before it Atomics.stores the tail past it, and this side
 * Atomics.loads that tail before it hands the slot out again, so a slot is never rewritten
 * while it is still being read.
 */
import { assert, failedPrecondition, invalidArgument } from '../errors.js';
import { loadCounter, storeCounter } from './counter.js';
import { readRingLayout, ringHeaderBytes, ringWord, type RingLayout } from './layout.js';
import { fullCounter, headCounter, statsFromHeader, type RingStats } from './stats.js';
import { checkTimeoutMs, waitAsync, waitBlocking } from './wait.js';

export type SpaceWaitResult = 'ok' | 'timed-out';

export class RingProducer {
  readonly buffer: SharedArrayBuffer;
  /** The whole buffer; record offsets from tryReserve index into it. */
  readonly bytes: Uint8Array;
  /** The whole buffer; record offsets from tryReserve index into it. */
  readonly view: DataView;
  readonly capacityRecords: number;
  readonly recordBytes: number;

  private readonly layout: RingLayout;
  private readonly words: Int32Array;
  private readonly recordsOffsetBytes: number;
  private readonly slotMask: number;
  /** Sequence (mod 2^32) of the next slot tryReserve hands out. */
  private reservedSequence: number;
  /** Sequence (mod 2^32) published as head. */
  private committedSequence: number;
  /** Exact count of records ever committed; its low 32 bits are committedSequence. */
  private committedTotal: number;
  /** The consumer's tail as last loaded; refreshed only when the ring looks full. */
  private tailSeen: number;
  private fullCountTotal: number;
  private closed: boolean;

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
    this.committedTotal = loadCounter(this.words, headCounter);
    this.committedSequence = this.committedTotal >>> 0;
    this.reservedSequence = this.committedSequence;
    this.tailSeen = Atomics.load(this.words, ringWord.tail) >>> 0;
    this.fullCountTotal = loadCounter(this.words, fullCounter);
    this.closed = Atomics.load(this.words, ringWord.closed) === 1;
    assert(this.queuedAgainst(this.tailSeen) <= this.capacityRecords, 'a ring never holds more records than its capacity');
  }

  /**
   * Reserves the next free slot and returns its byte offset in `bytes` / `view` (a multiple of
   * 8), or -1 when the ring is full. Reserved slots are invisible to the consumer until commit().
   * Throws once the ring is closed.
   */
  tryReserve(): number {
    if (this.closed) throw failedPrecondition('the ring is closed; a producer cannot write after close()');
    if (this.queuedAgainst(this.tailSeen) >= this.capacityRecords) {
      this.tailSeen = Atomics.load(this.words, ringWord.tail) >>> 0;
      const queuedRecords = this.queuedAgainst(this.tailSeen);
      assert(queuedRecords <= this.capacityRecords, 'a ring never holds more records than its capacity (one producer only)');
      if (queuedRecords === this.capacityRecords) {
        this.recordFoundFull();
        return -1;
      }
    }
    const offset = this.recordsOffsetBytes + (this.reservedSequence & this.slotMask) * this.recordBytes;
    this.reservedSequence = (this.reservedSequence + 1) >>> 0;
    return offset;
  }

  /** Records reserved and not yet committed. */
  get reservedRecords(): number {
    return (this.reservedSequence - this.committedSequence) >>> 0;
  }

  /** Publishes every reserved slot to the consumer, in order; returns how many. */
  commit(): number {
    const count = (this.reservedSequence - this.committedSequence) >>> 0;
    if (count === 0) return 0;
    const nextTotal = this.committedTotal + count;
    // The release store: record bytes written before this are visible to a consumer that loads this head.
    storeCounter(this.words, headCounter, this.committedTotal, nextTotal);
    this.committedTotal = nextTotal;
    this.committedSequence = this.reservedSequence;
    if (Atomics.load(this.words, ringWord.consumerWaiters) !== 0) this.ringDataDoorbell();
    return count;
  }

  /** Free slots right now (reloads the consumer's tail), not counting reserved ones. */
  freeRecords(): number {
    this.tailSeen = Atomics.load(this.words, ringWord.tail) >>> 0;
    return this.capacityRecords - this.queuedAgainst(this.tailSeen);
  }

  /**
   * Cold-path convenience: copies `record` (at most recordBytes; the rest of the slot is
   * zeroed) into the next slot and commits it. Returns false when the ring is full.
   */
  tryWrite(record: Uint8Array): boolean {
    if (!(record instanceof Uint8Array) || record.byteLength > this.recordBytes) {
      throw invalidArgument('record', `must be a Uint8Array of at most ${this.recordBytes} bytes, the ring's record size`);
    }
    if (this.reservedRecords !== 0) {
      throw failedPrecondition('tryWrite would also publish reserved, uncommitted slots; commit() them first');
    }
    const offset = this.tryReserve();
    if (offset === -1) return false;
    this.bytes.set(record, offset);
    this.bytes.fill(0, offset + record.byteLength, offset + this.recordBytes);
    this.commit();
    return true;
  }

  /**
   * Blocks this thread (Atomics.wait) until at least one slot is free or `timeoutMs` passes.
   * Reserved slots must be committed first. For worker threads; an event-loop thread uses
   * waitForSpaceAsync.
   */
  waitForSpace(timeoutMs: number): SpaceWaitResult {
    checkTimeoutMs(timeoutMs);
    this.checkNothingReserved();
    if (this.freeRecords() > 0) return 'ok';
    Atomics.add(this.words, ringWord.producerWaiters, 1);
    try {
      // Announce the wait before the last look, so a release either shows here or notifies us.
      const tail = Atomics.load(this.words, ringWord.tail);
      if (this.hasFreeSlotAt(tail)) return 'ok';
      waitBlocking(this.words, ringWord.tail, tail, timeoutMs);
    } finally {
      Atomics.sub(this.words, ringWord.producerWaiters, 1);
    }
    return this.freeRecords() > 0 ? 'ok' : 'timed-out';
  }

  /**
   * Resolves when at least one slot is free or `timeoutMs` passes, without blocking the event
   * loop (Atomics.waitAsync). Reserved slots must be committed first. For the acceptor: stop
   * reading the stream, await this, resume.
   */
  async waitForSpaceAsync(timeoutMs: number): Promise<SpaceWaitResult> {
    checkTimeoutMs(timeoutMs);
    this.checkNothingReserved();
    if (this.freeRecords() > 0) return 'ok';
    Atomics.add(this.words, ringWord.producerWaiters, 1);
    try {
      const tail = Atomics.load(this.words, ringWord.tail);
      if (this.hasFreeSlotAt(tail)) return 'ok';
      await waitAsync(this.words, ringWord.tail, tail, timeoutMs);
    } finally {
      Atomics.sub(this.words, ringWord.producerWaiters, 1);
    }
    return this.freeRecords() > 0 ? 'ok' : 'timed-out';
  }

  /**
   * Tells the consumer no more records will come. Records committed before close are still
   * delivered; slots reserved but not committed are abandoned (they never became records).
   * Idempotent.
   */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.reservedSequence = this.committedSequence;
    Atomics.store(this.words, ringWord.closed, 1);
    this.ringDataDoorbell();
  }

  get isClosed(): boolean {
    return this.closed;
  }

  stats(): RingStats {
    return statsFromHeader(this.words, this.layout);
  }

  /** Records committed or reserved but not yet released, given a tail sequence. */
  private queuedAgainst(tailSequence: number): number {
    return (this.reservedSequence - tailSequence) >>> 0;
  }

  /** Waiting while holding reserved slots could wait on records the consumer cannot see. */
  private checkNothingReserved(): void {
    if (this.reservedRecords !== 0) {
      throw failedPrecondition(`commit() the ${this.reservedRecords} reserved records before waiting for space; the consumer cannot free slots behind records it cannot see`);
    }
  }

  private hasFreeSlotAt(tailWord: number): boolean {
    this.tailSeen = tailWord >>> 0;
    return this.queuedAgainst(this.tailSeen) < this.capacityRecords;
  }

  private recordFoundFull(): void {
    const nextTotal = this.fullCountTotal + 1;
    storeCounter(this.words, fullCounter, this.fullCountTotal, nextTotal);
    this.fullCountTotal = nextTotal;
  }

  /**
   * The consumer sleeps on the doorbell word rather than on head because close() must wake it
   * too without moving head: bumping the word makes a wait that is about to start return
   * 'not-equal' instead of missing the notify.
   */
  private ringDataDoorbell(): void {
    Atomics.add(this.words, ringWord.dataDoorbell, 1);
    Atomics.notify(this.words, ringWord.dataDoorbell);
  }
}
