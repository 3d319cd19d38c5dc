/**
 * The piscina pool of shard workers. Shard workers verify signatures and execute committed
 * batches against LMDB; they never touch the network (DESIGN.md, Threads). The pool is sized
 * once at start (min = max threads) so memory is fixed while the node runs.
 */
import { Piscina } from 'piscina';
import type { Worker } from 'node:worker_threads';
import type { NodeConfig } from '../config/types.js';
import { assert } from '../errors.js';
import { ApplyFirstQueue } from './apply-first-queue.js';
import { ledgerDirectoryFor } from './ledger-directory.js';
import type { ShardTask, ShardTaskResult, ShardWorkerData } from './shard-tasks.js';

export interface ShardPool {
  threadCount: number;
  /** Runs a task on some pool thread; `transferList` moves buffers instead of copying them. */
  run<T extends ShardTask>(task: T, transferList?: ArrayBuffer[]): Promise<ShardTaskResult<T>>;
  /** The pool's threads as they are now (for memory reports). */
  threads(): Worker[];
  /** Waits for queued tasks to finish, then stops the threads. */
  close(): Promise<void>;
}

export async function startShardPool(config: NodeConfig, shardRings: SharedArrayBuffer[]): Promise<ShardPool> {
  assert(shardRings.length === config.shards.count, 'one ring per shard');
  const workerData: ShardWorkerData = { shardRings, ledgerDirectory: ledgerDirectoryFor(config), cryptoBackend: config.crypto.backend };
  const piscina = new Piscina<ShardTask, unknown>({
    // Compiled layout: dist/src/exec/shard-pool.js → dist/workers/shard.js
    filename: new URL('../../workers/shard.js', import.meta.url).href,
    name: 'runShardTask',
    minThreads: config.workers.piscinaThreads,
    maxThreads: config.workers.piscinaThreads,
    idleTimeout: config.workers.piscinaIdleTimeoutMs,
    workerData,
    taskQueue: new ApplyFirstQueue(),
    // Each worker's V8 heap is capped like every thread of the node (memory section); the
    // process-wide flags `aurigraph start` adds take precedence where they are set.
    resourceLimits: { maxOldGenerationSizeMb: config.memory.threadOldGenerationMb, maxYoungGenerationSizeMb: config.memory.threadYoungGenerationMb },
  });
  const pool: ShardPool = {
    threadCount: config.workers.piscinaThreads,
    run: (task, transferList) =>
      piscina.run(task, transferList === undefined ? undefined : { transferList }) as Promise<ShardTaskResult<typeof task>>,
    threads: () => [...piscina.threads],
    close: () => piscina.close(),
  };
  // Start-up check: every shard's ring is readable from a pool thread with the layout the
  // main thread created, so a mismatch fails the start instead of the first batch.
  for (let shard = 0; shard < shardRings.length; shard++) {
    const described = await pool.run({ kind: 'describe-ring', shard });
    assert(described.records === config.shards.ringRecords, `shard ${shard} ring records seen by a worker`);
    assert(described.recordBytes === config.shards.ringRecordBytes, `shard ${shard} ring record size seen by a worker`);
  }
  return pool;
}
