import { assert } from '../errors.js';

/**
 * A least-recently-used map with a hard entry limit: the oldest entry goes when a new one would
 * pass the limit. Map iteration order is insertion order, so "touch" is delete-then-set.
 */
export class BoundedCache<K, V> {
  readonly entriesMax: number;
  readonly #entries = new Map<K, V>();

  constructor(entriesMax: number) {
    assert(Number.isSafeInteger(entriesMax) && entriesMax >= 1, `cache entriesMax must be a positive integer, got ${entriesMax}`);
    this.entriesMax = entriesMax;
  }

  get size(): number {
    return this.#entries.size;
  }

  get(key: K): V | undefined {
    const value = this.#entries.get(key);
    if (value !== undefined) {
      this.#entries.delete(key);
      this.#entries.set(key, value);
    }
    return value;
  }

  set(key: K, value: V): void {
    this.#entries.delete(key);
    this.#entries.set(key, value);
    if (this.#entries.size > this.entriesMax) {
      const oldest = this.#entries.keys().next();
      assert(oldest.done !== true, 'a cache over its limit has an oldest entry');
      this.#entries.delete(oldest.value);
    }
    assert(this.#entries.size <= this.entriesMax, 'cache stays within entriesMax');
  }

  delete(key: K): boolean {
    return this.#entries.delete(key);
  }

  has(key: K): boolean {
    return this.#entries.has(key);
  }

  clear(): void {
    this.#entries.clear();
  }
}
