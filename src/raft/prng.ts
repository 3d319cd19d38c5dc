/**
 * A seeded pseudo-random number generator: xoshiro128** (Blackman & Vigna), seeded through
 * splitmix32 so that any 32-bit seed, including 0, gives a well-mixed state. Pure: the same seed
 * yields the same sequence on every machine. Used for randomised election timeouts in the Raft
 * core and for fault schedules in the simulator; it is not a cryptographic generator.
 */

import { assert } from '../errors.js';

/** One step of splitmix32: returns the next output and the advanced state. */
function splitmix32(state: number): { output: number; state: number } {
  const next = (state + 0x9e3779b9) >>> 0;
  let z = next;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
  z = (z ^ (z >>> 16)) >>> 0;
  return { output: z, state: next };
}

function rotateLeft(value: number, bits: number): number {
  return ((value << bits) | (value >>> (32 - bits))) >>> 0;
}

export class Prng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  constructor(seed: number) {
    assert(Number.isSafeInteger(seed) && seed >= 0, `prng seed must be a non-negative safe integer, got ${seed}`);
    // Fold a 53-bit seed into 32 bits without losing the high part.
    let state = (seed >>> 0) ^ Math.floor(seed / 0x1_0000_0000);
    const words: number[] = [];
    for (let i = 0; i < 4; i++) {
      const step = splitmix32(state);
      state = step.state;
      words.push(step.output);
    }
    this.s0 = words[0]!;
    this.s1 = words[1]!;
    this.s2 = words[2]!;
    this.s3 = words[3]!;
    assert((this.s0 | this.s1 | this.s2 | this.s3) !== 0, 'prng state must not be all zero');
  }

  /** A uniformly distributed unsigned 32-bit integer. */
  nextUint32(): number {
    const result = Math.imul(rotateLeft(Math.imul(this.s1, 5) >>> 0, 7), 9) >>> 0;
    const shifted = (this.s1 << 9) >>> 0;
    this.s2 = (this.s2 ^ this.s0) >>> 0;
    this.s3 = (this.s3 ^ this.s1) >>> 0;
    this.s1 = (this.s1 ^ this.s2) >>> 0;
    this.s0 = (this.s0 ^ this.s3) >>> 0;
    this.s2 = (this.s2 ^ shifted) >>> 0;
    this.s3 = rotateLeft(this.s3, 11);
    return result;
  }

  /** A uniform integer in [0, bound), without modulo bias; bound ≤ 2^32. */
  nextIntBelow(bound: number): number {
    assert(Number.isSafeInteger(bound) && bound > 0 && bound <= 0x1_0000_0000, `bound must be in [1, 2^32], got ${bound}`);
    const limit = 0x1_0000_0000 - (0x1_0000_0000 % bound);
    for (;;) {
      const value = this.nextUint32();
      if (value < limit) return value % bound;
    }
  }

  /** A uniform integer in [minInclusive, maxExclusive). */
  nextIntInRange(minInclusive: number, maxExclusive: number): number {
    assert(maxExclusive > minInclusive, `range [${minInclusive}, ${maxExclusive}) must not be empty`);
    return minInclusive + this.nextIntBelow(maxExclusive - minInclusive);
  }

  /** True with probability `numerator / denominator`. */
  nextChance(numerator: number, denominator: number): boolean {
    if (numerator <= 0) return false;
    return this.nextIntBelow(denominator) < numerator;
  }

  /** A uniformly chosen element of a non-empty array. */
  pick<T>(items: readonly T[]): T {
    assert(items.length > 0, 'cannot pick from an empty list');
    return items[this.nextIntBelow(items.length)]!;
  }
}
