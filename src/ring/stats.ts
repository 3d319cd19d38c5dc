/**
 * Ring counters for metrics, readable from any thread (the supervisor's metrics endpoint, or
 * either side) while both sides run. Reads are lock-free and never disturb the hot path.
 */
import { loadCounter, type CounterWords } from './counter.js';
import { readRingLayout, ringHeaderBytes, ringWord, type RingLayout } from './layout.js';

export interface RingStats {
  capacityRecords: number;
  recordBytes: number;
  /** Records the producer committed since the ring was made. */
  recordsWritten: number;
  /** Records the consumer released since the ring was made. */
  recordsRead: number;
  /** Committed records not yet released: recordsWritten - recordsRead at one moment. */
  recordsQueued: number;
  /** Times the producer asked for a slot and found the ring full (backpressure events). */
  producerFoundFullCount: number;
  /** The producer has closed the ring; queued records may still be waiting to be read. */
  closed: boolean;
}

export const headCounter: CounterWords = {
  low: ringWord.head,
  epochBefore: ringWord.headEpochBefore,
  epochAfter: ringWord.headEpochAfter,
};

export const tailCounter: CounterWords = {
  low: ringWord.tail,
  epochBefore: ringWord.tailEpochBefore,
  epochAfter: ringWord.tailEpochAfter,
};

export const fullCounter: CounterWords = {
  low: ringWord.fullCountLow,
  epochBefore: ringWord.fullCountEpochBefore,
  epochAfter: ringWord.fullCountEpochAfter,
};

export function statsFromHeader(words: Int32Array, layout: RingLayout): RingStats {
  // Tail before head: the head only moves forward, so written >= read in this snapshot.
  const recordsRead = loadCounter(words, tailCounter);
  const recordsWritten = loadCounter(words, headCounter);
  return {
    capacityRecords: layout.capacityRecords,
    recordBytes: layout.recordBytes,
    recordsWritten,
    recordsRead,
    recordsQueued: recordsWritten - recordsRead,
    producerFoundFullCount: loadCounter(words, fullCounter),
    closed: Atomics.load(words, ringWord.closed) === 1,
  };
}

/** Reads the counters of any ring buffer made by createRing. */
export function readRingStats(buffer: SharedArrayBuffer): RingStats {
  const layout = readRingLayout(buffer);
  return statsFromHeader(new Int32Array(buffer, 0, ringHeaderBytes / 4), layout);
}
