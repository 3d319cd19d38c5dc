/**
 * Home shards. `shardOf(id) = u32le(SHA-256(id)[0..4]) mod shardCount`, the same on every replica
 * and every thread. SHA-256 of 32 bytes costs about 1.6 µs here, three times a Map lookup, and
 * a block names the same few accounts again and again, so lookups go through a bounded memo.
 * The memo caches a pure function: it changes cost, never results.
 */
import { assert } from '../errors.js';
import { accountIdBytes, idFromKey, idKey, sha256 } from './bytes.js';
import type { ExecutionTransactions } from './types.js';

/** Above the configuration's bound (64), and the most a Uint8Array of home shards can name. */
export const shardCountMax = 256;

/** Memo entries per shard count before the memo is dropped and refilled (about 25 MB of strings). */
const memoEntriesMax = 1 << 18;

export function shardOf(objectId: Uint8Array, shardCount: number): number {
  checkShardCount(shardCount);
  assert(objectId.length === accountIdBytes, `an object id is ${accountIdBytes} bytes, got ${objectId.length}`);
  const digest = sha256(objectId);
  const word = (digest[0]! | (digest[1]! << 8) | (digest[2]! << 16) | (digest[3]! << 24)) >>> 0;
  return word % shardCount;
}

export function checkShardCount(shardCount: number): void {
  assert(
    Number.isInteger(shardCount) && shardCount >= 1 && shardCount <= shardCountMax,
    `shard count is an integer in [1, ${shardCountMax}], got ${shardCount}`,
  );
}

/** shardOf for one shard count, memoised by id key (see idKey). */
export class ShardLookup {
  readonly shardCount: number;
  readonly #memo = new Map<string, number>();

  constructor(shardCount: number) {
    checkShardCount(shardCount);
    this.shardCount = shardCount;
  }

  /** The shard of the id whose idKey is `key`; `id`, when given, is the same id as bytes. */
  shardOfKey(key: string, id?: Uint8Array): number {
    if (this.shardCount === 1) return 0;
    const known = this.#memo.get(key);
    if (known !== undefined) return known;
    const shard = shardOf(id ?? idFromKey(key), this.shardCount);
    if (this.#memo.size >= memoEntriesMax) this.#memo.clear();
    this.#memo.set(key, shard);
    return shard;
  }
}

const lookups = new Map<number, ShardLookup>();

/** The process-wide lookup for a shard count (one memo per thread, since modules are per thread). */
export function shardLookup(shardCount: number): ShardLookup {
  let lookup = lookups.get(shardCount);
  if (lookup === undefined) {
    lookup = new ShardLookup(shardCount);
    lookups.set(shardCount, lookup);
  }
  return lookup;
}

/**
 * The home shard of every transaction of a block. Every kind's home is its sender account while
 * only transfers and key registrations are enabled (execute-shard.ts). A coordinator computes
 * this once per block and hands the same array to every shard task, instead of each shard
 * hashing every sender.
 */
export function homeShardsOf(transactions: ExecutionTransactions, shardCount: number): Uint8Array {
  const lookup = shardLookup(shardCount);
  const homes = new Uint8Array(transactions.count);
  if (shardCount === 1) return homes;
  for (let index = 0; index < transactions.count; index += 1) {
    const from = transactions.from(index);
    homes[index] = lookup.shardOfKey(idKey(from), from);
  }
  return homes;
}
