/**
 * The tasks a shard worker runs, and the runner that dispatches them (workers/shard.ts wires it
 * to piscina). Tasks carry references (a shard's ring, an entry in shared memory), not
 * transaction bytes, on the way in; results come back in transferred buffers.
 *
 *   describe-ring   start-up check that a worker sees the ring layout the main thread made
 *   verify          consume `count` verify records from one shard's ring: hash, check the
 *                   signature or the submitter's authorisation, emit compact records
 *   seal-batch      Merkle roots of verified batches and each one's batch-signature check
 *   execute-shard   phase 1 of a committed block for one shard (src/ledger executeShard)
 *   index-job       the ledger's tx-hash index upkeep: write a full hot table out as a run file,
 *                   or merge runs (src/ledger/tx-index); file work kept off the main thread
 */
import type { CryptoBackendChoice } from '../config/types.js';
import { invalidArgument } from '../errors.js';
import type { BlockContext, ChainParameters, IndexJob, IndexJobResult, ShardExecution } from '../ledger/index.js';
import { readRingLayout } from '../ring/index.js';
import { runExecuteShard } from './execute-phase-one.js';
import { runSealBatch, type SealBatchesResult, type SealBatchTask } from './seal-batch.js';
import { runVerify, type VerifyResult, type VerifyTask } from './verify-records.js';
import { WorkerContext } from './worker-context.js';

export type { VerifyTask, VerifyResult, SubmitterAuthorisation } from './verify-records.js';
export { verifyResultViews, type VerifyResultViews } from './verify-records.js';
export type { SealBatchTask, SealBatchInput, SealBatchResult, SealBatchesResult } from './seal-batch.js';

export interface ShardWorkerData {
  shardRings: SharedArrayBuffer[];
  /** The ledger's LMDB folder, opened read-only-in-practice by each worker on first use. */
  ledgerDirectory: string;
  cryptoBackend: CryptoBackendChoice;
}

export interface DescribeRingTask {
  kind: 'describe-ring';
  shard: number;
}

export interface RingDescription {
  shard: number;
  records: number;
  recordBytes: number;
}

export interface ExecuteShardTask {
  kind: 'execute-shard';
  shard: number;
  shardCount: number;
  /** The log entry (without its kind byte), shared by every shard task of the block. */
  entry: SharedArrayBuffer;
  entryBytes: number;
  /** homeShardsOf(entry), computed once per block by the coordinator. */
  homeShards: SharedArrayBuffer;
  context: BlockContext;
  chain: ChainParameters;
}

export interface IndexJobTask {
  kind: 'index-job';
  job: IndexJob;
}

export type ShardTask = DescribeRingTask | VerifyTask | SealBatchTask | ExecuteShardTask | IndexJobTask;

export type ShardTaskResult<T extends ShardTask> = T extends DescribeRingTask
  ? RingDescription
  : T extends VerifyTask
    ? VerifyResult
    : T extends SealBatchTask
      ? SealBatchesResult
      : T extends ExecuteShardTask
        ? ShardExecution
        : T extends IndexJobTask
          ? IndexJobResult
          : never;

export function createShardTaskRunner(data: ShardWorkerData) {
  const context = new WorkerContext(data);
  return function runShardTask(task: ShardTask): unknown {
    switch (task.kind) {
      case 'describe-ring': {
        const layout = readRingLayout(context.ring(task.shard));
        return { shard: task.shard, records: layout.capacityRecords, recordBytes: layout.recordBytes } satisfies RingDescription;
      }
      case 'verify':
        return runVerify(context, task);
      case 'seal-batch':
        return runSealBatch(context, task);
      case 'execute-shard':
        return runExecuteShard(context, task);
      case 'index-job':
        // A hot table is read after the commit that froze it: see that commit.
        context.readLatestCommitted();
        return context.store().runIndexJob(task.job);
      default:
        throw invalidArgument('kind', `unknown shard task ${JSON.stringify((task as { kind?: unknown }).kind)}`);
    }
  };
}
