/**
 * Schedules verify tasks: per shard, the records the acceptor announced, in ring order, and at
 * most ONE verify task in flight per shard, so each ring has exactly one consumer at a time and
 * its records are consumed in the order they were written. A task takes what is announced, up to
 * `recordsPerTaskMax`, so verification runs while the acceptor keeps writing behind it.
 */
import { assert } from '../errors.js';
import type { ShardPool } from '../exec/shard-pool.js';
import type { SubmitterAuthorisation, VerifyResult } from '../exec/shard-tasks.js';

interface Segment {
  requestId: number;
  count: number;
}

export class VerifyScheduler {
  readonly #pool: ShardPool;
  readonly #recordsPerTaskMax: number;
  readonly #onResult: (result: VerifyResult) => void;
  readonly #onFailure: (error: unknown) => void;
  readonly #segments: Segment[][];
  readonly #announced: number[];
  readonly #running: boolean[];
  readonly #submitters = new Map<number, SubmitterAuthorisation>();

  constructor(
    pool: ShardPool,
    shardCount: number,
    recordsPerTaskMax: number,
    onResult: (result: VerifyResult) => void,
    onFailure: (error: unknown) => void,
  ) {
    assert(Number.isInteger(recordsPerTaskMax) && recordsPerTaskMax >= 1, 'a verify task takes at least one record');
    this.#pool = pool;
    this.#recordsPerTaskMax = recordsPerTaskMax;
    this.#onResult = onResult;
    this.#onFailure = onFailure;
    this.#segments = Array.from({ length: shardCount }, () => []);
    this.#announced = new Array<number>(shardCount).fill(0);
    this.#running = new Array<boolean>(shardCount).fill(false);
  }

  /** A batch-signed request's submitter key, which its records are checked against. */
  registerSubmitter(submitter: SubmitterAuthorisation): void {
    this.#submitters.set(submitter.requestId, submitter);
  }

  forgetSubmitter(requestId: number): void {
    this.#submitters.delete(requestId);
  }

  /** Records of `requestId` committed to each shard's ring, in the order written. */
  announce(requestId: number, shardCounts: readonly number[]): void {
    assert(shardCounts.length === this.#segments.length, `one count per shard (${this.#segments.length})`);
    shardCounts.forEach((count, shard) => {
      if (count === 0) return;
      assert(Number.isInteger(count) && count > 0, `record counts are positive integers, got ${count}`);
      this.#segments[shard]!.push({ requestId, count });
      this.#announced[shard]! += count;
      this.#startTask(shard);
    });
  }

  #startTask(shard: number): void {
    if (this.#running[shard] || this.#announced[shard] === 0) return;
    const count = Math.min(this.#announced[shard]!, this.#recordsPerTaskMax);
    const submitters: SubmitterAuthorisation[] = [];
    const segments = this.#segments[shard]!;
    let remaining = count;
    while (remaining > 0) {
      const segment = segments[0]!;
      const submitter = this.#submitters.get(segment.requestId);
      if (submitter !== undefined && !submitters.includes(submitter)) submitters.push(submitter);
      const taken = Math.min(remaining, segment.count);
      segment.count -= taken;
      remaining -= taken;
      if (segment.count === 0) segments.shift();
    }
    this.#announced[shard]! -= count;
    this.#running[shard] = true;
    this.#pool.run({ kind: 'verify', shard, count, submitters }).then(
      (result) => {
        this.#running[shard] = false;
        assert(result.shard === shard && result.count === count, `verify task for shard ${shard} answered for its ${count} records`);
        this.#onResult(result);
        this.#startTask(shard);
      },
      (error: unknown) => {
        // The ring's records may not have been released: nothing behind them can move. This is
        // a bug (the task judges bad input, it does not throw on it), so the node stops.
        this.#onFailure(error);
      },
    );
  }
}
