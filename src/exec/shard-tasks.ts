/**
 * The tasks a shard worker runs. Each task names its shard; the worker reaches that shard's
 * ring through the SharedArrayBuffers it was given at start, so tasks carry references, not
 * transaction bytes.
 */
import { readRingLayout } from '../ring/index.js';
import { invalidArgument } from '../errors.js';

export interface ShardWorkerData {
  shardRings: SharedArrayBuffer[];
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

export type ShardTask = DescribeRingTask;

export type ShardTaskResult<T extends ShardTask> = T extends DescribeRingTask ? RingDescription : never;

export function createShardTaskRunner(data: ShardWorkerData) {
  const ringOf = (shard: number): SharedArrayBuffer => {
    const ring = data.shardRings[shard];
    if (!ring) throw invalidArgument('shard', `no shard ${shard}; this node has ${data.shardRings.length}`);
    return ring;
  };
  return function runShardTask(task: ShardTask): ShardTaskResult<ShardTask> {
    switch (task.kind) {
      case 'describe-ring': {
        const layout = readRingLayout(ringOf(task.shard));
        return { shard: task.shard, records: layout.capacityRecords, recordBytes: layout.recordBytes };
      }
    }
  };
}
