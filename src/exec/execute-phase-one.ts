/**
 * The execute-shard task: phase 1 of a committed block for one shard (src/ledger executeShard),
 * reading the log entry from shared memory that every shard task of the block reads, and the
 * committed state the previous block left.
 */
import { assert } from '../errors.js';
import { type ShardExecution, executeShard } from '../ledger/index.js';
import { LogEntryView } from '../wire/index.js';
import type { ExecuteShardTask } from './shard-tasks.js';
import type { WorkerContext } from './worker-context.js';

export function runExecuteShard(context: WorkerContext, task: ExecuteShardTask): ShardExecution {
  const entry = new LogEntryView(new Uint8Array(task.entry, 0, task.entryBytes));
  assert(task.homeShards.byteLength >= entry.count, `one home shard per transaction of the block (${entry.count})`);
  const homeShards = new Uint8Array(task.homeShards, 0, entry.count);
  // The coordinator starts this task after the previous block's commit returned; read that state.
  context.readLatestCommitted();
  return executeShard(task.shard, task.shardCount, entry, context.store(), task.context, task.chain, homeShards);
}
