/**
 * The single-threaded reference: phase 1 for every shard, then phase 2 for every shard, then
 * assembly. Used by tests, replay tools and anything that does not need parallelism; a pool
 * that runs the same three steps on other threads produces byte-identical results for any
 * shard count, because each step depends only on its arguments.
 */
import { applyCredits } from './apply-credits.js';
import { type BlockExecution, assembleBlock } from './assemble-block.js';
import { executeShard } from './execute-shard.js';
import { checkShardCount, homeShardsOf } from './shard-of.js';
import type { AccountReader, BlockContext, ChainParameters, ExecutionTransactions } from './types.js';

export function executeBlock(
  transactions: ExecutionTransactions,
  state: AccountReader,
  context: BlockContext,
  chain: ChainParameters,
  shardCount = 1,
): BlockExecution {
  checkShardCount(shardCount);
  const homeShards = homeShardsOf(transactions, shardCount);
  const shards = Array.from({ length: shardCount }, (_, shard) => shard);
  const phaseOne = shards.map((shard) => executeShard(shard, shardCount, transactions, state, context, chain, homeShards));
  const phaseTwo = shards.map((shard) =>
    applyCredits(
      shard,
      shardCount,
      phaseOne.map((execution) => execution.creditsByShard[shard]!),
      state,
      phaseOne[shard]!.writes,
    ),
  );
  return assembleBlock(context, transactions.count, phaseOne, phaseTwo);
}
