/**
 * Exact 53-bit counters kept in three Int32 words of shared memory, written by one thread and
 * readable from any thread without locks or allocation.
 *
 * The low word holds the count modulo 2^32 (for head and tail it is the sequence number the
 * other side synchronises on). The epoch (count / 2^32) is written twice: `epochBefore` just
 * before the low word wraps and `epochAfter` just after. A reader loads epochAfter, then the low
 * word, then epochBefore. If the two epochs agree, no wrap was in progress and the low word
 * belongs to that epoch. If they differ by one, a wrap was in progress: a low word in the lower
 * half of the range has already wrapped (use epochBefore), one in the upper half has not (use
 * epochAfter). That is exact unless the reader stalls for 2^31 increments between its loads.
 */
import { assert } from '../errors.js';

export interface CounterWords {
  low: number;
  epochBefore: number;
  epochAfter: number;
}

const twoPow32 = 2 ** 32;
const twoPow31 = 2 ** 31;

/**
 * Publishes `nextTotal` (single writer only), at most 2^31 - 1 above `previousTotal` so readers
 * can place a half-published wrap (rings move by at most their capacity, 2^24). The common case
 * is one Atomics.store of the low word; the epoch stores happen once every 2^32 counts.
 */
export function storeCounter(words: Int32Array, at: CounterWords, previousTotal: number, nextTotal: number): void {
  const nextLow = nextTotal >>> 0;
  if (nextLow >= previousTotal >>> 0 && nextTotal - previousTotal < twoPow31) {
    Atomics.store(words, at.low, nextLow);
    return;
  }
  assert(
    Number.isSafeInteger(nextTotal) && nextTotal > previousTotal && nextTotal - previousTotal < twoPow31,
    'a shared counter grows by less than 2^31 per step and stays within 2^53',
  );
  const epoch = (nextTotal - nextLow) / twoPow32;
  Atomics.store(words, at.epochBefore, epoch);
  Atomics.store(words, at.low, nextLow);
  Atomics.store(words, at.epochAfter, epoch);
}

/** Reads the exact total from any thread. */
export function loadCounter(words: Int32Array, at: CounterWords): number {
  const epochAfter = Atomics.load(words, at.epochAfter);
  const low = Atomics.load(words, at.low) >>> 0;
  const epochBefore = Atomics.load(words, at.epochBefore);
  if (epochBefore === epochAfter) return epochAfter * twoPow32 + low;
  assert(epochBefore === epochAfter + 1, 'a shared counter epoch moves by one at a time');
  return (low < twoPow31 ? epochBefore : epochAfter) * twoPow32 + low;
}
