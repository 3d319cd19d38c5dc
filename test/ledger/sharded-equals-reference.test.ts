import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  type Account,
  type AccountReader,
  ArrayExecutionTransactions,
  type BlockExecution,
  type LedgerStore,
  type ShardExecution,
  type ShardWrites,
  applyCredits,
  assembleBlock,
  executeBlock,
  executeShard,
  homeShardsOf,
  shardOf,
} from '../../src/ledger/index.js';
import { differingFields } from '../fixtures/ledger/execution-bytes.js';
import { openTempStore, raftIndexOf, transactionsRootOf } from '../fixtures/ledger/ledger-fixture.js';
import { SeededRandom } from '../fixtures/ledger/seeded-random.js';
import { type WorkloadOptions, workloadBlock, workloadGenesis } from '../fixtures/ledger/workload.js';

/** Reads through to the store, failing if a shard reads an account homed on another shard. */
function homeOnlyReader(store: LedgerStore, shard: number, shardCount: number): AccountReader {
  return {
    readAccount(id: Uint8Array): Account | undefined {
      assert.equal(shardOf(id, shardCount), shard, `shard ${shard} of ${shardCount} read an account homed elsewhere`);
      return store.readAccount(id);
    },
  };
}

function shuffled(count: number, random: SeededRandom): number[] {
  const order = Array.from({ length: count }, (_, index) => index);
  for (let index = count - 1; index > 0; index -= 1) {
    const other = random.below(index + 1);
    [order[index], order[other]] = [order[other]!, order[index]!];
  }
  return order;
}

/**
 * The pool's way: phase 1 per shard in any order, each result crossing a thread boundary
 * (structured clone, as postMessage does), then phase 2 per shard in any order, then assembly.
 */
function executeSharded(
  transactions: ArrayExecutionTransactions,
  store: LedgerStore,
  context: Parameters<typeof executeBlock>[2],
  shardCount: number,
  random: SeededRandom,
): BlockExecution {
  const chain = store.chainParameters();
  const homeShards = homeShardsOf(transactions, shardCount);
  const phaseOne: ShardExecution[] = new Array(shardCount);
  for (const shard of shuffled(shardCount, random)) {
    phaseOne[shard] = structuredClone(executeShard(shard, shardCount, transactions, homeOnlyReader(store, shard, shardCount), context, chain, homeShards));
  }
  const phaseTwo: ShardWrites[] = new Array(shardCount);
  for (const shard of shuffled(shardCount, random)) {
    const credits = structuredClone(phaseOne.map((execution) => execution.creditsByShard[shard]!));
    phaseTwo[shard] = structuredClone(applyCredits(shard, shardCount, credits, homeOnlyReader(store, shard, shardCount), phaseOne[shard]!.writes));
  }
  return assembleBlock(context, transactions.count, phaseOne, phaseTwo);
}

for (const seed of [1, 2]) {
  test(`sharded execution is byte-identical to the reference for 1..8 shards (seed ${seed})`, async () => {
    const options: WorkloadOptions = { seed, accountCount: 40, transactionsPerBlock: 250 };
    const { store, dispose } = openTempStore(workloadGenesis(options));
    const random = new SeededRandom(seed + 100);
    try {
      const statusesSeen = new Set<number>();
      for (let block = 1; block <= 5; block += 1) {
        const entries = workloadBlock(options, BigInt(block), store);
        const transactions = new ArrayExecutionTransactions(entries);
        const context = store.nextBlockContext({
          timestampMs: BigInt(block) * 1000n,
          raftTerm: 2n,
          raftIndex: raftIndexOf(BigInt(block)),
          transactionsRoot: transactionsRootOf(entries),
        });
        const reference = executeBlock(transactions, store, context, store.chainParameters(), 1);
        for (let shardCount = 1; shardCount <= 8; shardCount += 1) {
          const single = executeBlock(transactions, store, context, store.chainParameters(), shardCount);
          assert.deepEqual(differingFields(single, reference), [], `block ${block}: reference executor with ${shardCount} shards`);
          const pooled = executeSharded(transactions, store, context, shardCount, random);
          assert.deepEqual(differingFields(pooled, reference), [], `block ${block}: shard by shard with ${shardCount} shards`);
        }
        reference.reasons.forEach((reason) => statusesSeen.add(reason));
        store.commitBlock({ ...reference, batchId: BigInt(block), transactions, appliedIndex: context.raftIndex });
      }
      // The workload reached the rules it is meant to exercise.
      for (const reason of [0, 3, 4, 5, 6, 13, 14]) assert.ok(statusesSeen.has(reason), `reason ${reason} occurred`);
    } finally {
      await dispose();
    }
  });
}
