/**
 * The append messages a leader has sent to one follower in replicate state and not yet seen
 * acknowledged: a FIFO bounded both in entries and in bytes. The leader pauses replication to
 * that follower while the window is full, so memory and network queueing per follower stay
 * bounded however fast proposals arrive.
 */

import { assert } from '../errors.js';

interface InflightMessage {
  /** Last entry index carried by the message. */
  readonly lastIndex: number;
  readonly entryCount: number;
  readonly sizeBytes: number;
}

export class Inflights {
  readonly entriesMax: number;
  readonly sizeBytesMax: number;
  private readonly messages: InflightMessage[] = [];
  private head = 0;
  entryCount = 0;
  sizeBytes = 0;

  constructor(entriesMax: number, sizeBytesMax: number) {
    assert(entriesMax > 0 && sizeBytesMax > 0, 'in-flight bounds must be positive');
    this.entriesMax = entriesMax;
    this.sizeBytesMax = sizeBytesMax;
  }

  get messageCount(): number {
    return this.messages.length - this.head;
  }

  /** Room left for the next message, in entries and bytes. */
  entriesAvailable(): number {
    return this.entriesMax - this.entryCount;
  }

  sizeBytesAvailable(): number {
    return this.sizeBytesMax - this.sizeBytes;
  }

  full(): boolean {
    return this.entryCount >= this.entriesMax || this.sizeBytes >= this.sizeBytesMax;
  }

  /**
   * Records a sent message. The window may only overflow its byte bound with a single message
   * sent into an empty window (one entry larger than the whole bound).
   */
  add(lastIndex: number, entryCount: number, sizeBytes: number): void {
    assert(entryCount > 0, 'only messages carrying entries are tracked in flight');
    const last = this.messages[this.messages.length - 1];
    assert(this.messageCount === 0 || last === undefined || lastIndex > last.lastIndex, 'in-flight messages must carry increasing indexes');
    const alone = this.messageCount === 0 && entryCount === 1;
    assert(this.entryCount + entryCount <= this.entriesMax, `in-flight entries ${this.entryCount + entryCount} would exceed ${this.entriesMax}`);
    assert(alone || this.sizeBytes + sizeBytes <= this.sizeBytesMax, `in-flight bytes ${this.sizeBytes + sizeBytes} would exceed ${this.sizeBytesMax}`);
    this.messages.push({ lastIndex, entryCount, sizeBytes });
    this.entryCount += entryCount;
    this.sizeBytes += sizeBytes;
  }

  /** Frees every message whose entries are all at or below `index` (acknowledged). */
  freeLessOrEqual(index: number): void {
    while (this.head < this.messages.length && this.messages[this.head]!.lastIndex <= index) {
      const message = this.messages[this.head]!;
      this.entryCount -= message.entryCount;
      this.sizeBytes -= message.sizeBytes;
      this.head += 1;
    }
    if (this.head > 64 && this.head * 2 > this.messages.length) {
      this.messages.splice(0, this.head);
      this.head = 0;
    }
    if (this.messageCount === 0) {
      this.messages.length = 0;
      this.head = 0;
    }
  }

  reset(): void {
    this.messages.length = 0;
    this.head = 0;
    this.entryCount = 0;
    this.sizeBytes = 0;
  }
}
