/**
 * A small seeded generator (mulberry32) for workloads: the same seed gives the same transfers on
 * every run and in every preparation thread, so a batch can be rebuilt from its coordinates alone.
 * Not for anything secret.
 */
export class SeededRandom {
  #state: number;

  constructor(seed: number) {
    this.#state = seed >>> 0;
  }

  /** A generator for one (seed, a, b) coordinate, independent of every other coordinate's. */
  static forCoordinates(seed: number, first: number, second: number): SeededRandom {
    let state = mix32(seed ^ 0x9e3779b9);
    state = mix32(state ^ Math.imul(first + 1, 0x85ebca6b));
    state = mix32(state ^ Math.imul(second + 1, 0xc2b2ae35));
    // Coordinates above 2^32 still change the state.
    state = mix32(state ^ Math.floor(first / 0x1_0000_0000) ^ Math.floor(second / 0x1_0000_0000));
    return new SeededRandom(state);
  }

  nextUint32(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let value = this.#state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return (value ^ (value >>> 14)) >>> 0;
  }

  /** Uniform in [0, 1). */
  nextUnit(): number {
    return this.nextUint32() / 0x1_0000_0000;
  }

  /** Uniform in [0, bound) for bound <= 2^32. */
  below(bound: number): number {
    return Math.floor(this.nextUnit() * bound);
  }
}

/** murmur3's 32-bit finaliser: spreads every input bit over the output. */
function mix32(value: number): number {
  let mixed = value >>> 0;
  mixed = Math.imul(mixed ^ (mixed >>> 16), 0x85ebca6b);
  mixed = Math.imul(mixed ^ (mixed >>> 13), 0xc2b2ae35);
  return (mixed ^ (mixed >>> 16)) >>> 0;
}
