/**
 * After the barrier: the shards' outcomes merged into the block's receipts, write set, state
 * root, header and hash. Whoever ran the shards (one thread or a pool) calls this with every
 * shard's phase-1 and phase-2 output; the result does not depend on the shard count.
 */
import { assert } from '../errors.js';
import { ReceiptStatus } from '../generated/aurigraph.js';
import type { Account, RegisteredPublicKey } from './account.js';
import type { ShardWrites } from './apply-credits.js';
import { type BlockHeader, blockHash, checkBlockHeader } from './block-header.js';
import { hex } from './bytes.js';
import type { ShardExecution } from './execute-shard.js';
import { nextStateRoot, writeSetDigest } from './state-root.js';
import type { BlockContext } from './types.js';

export interface BlockExecution {
  header: BlockHeader;
  blockHash: Uint8Array;
  /** ReceiptStatus per transaction, by index in the block. */
  statuses: Uint8Array;
  /** RejectReason per transaction. */
  reasons: Uint8Array;
  /** Why each FAILED; '' when COMMITTED. */
  messages: string[];
  /** 1 where the transaction was applied (nonce consumed, fee taken), 0 where it changed nothing. */
  applied: Uint8Array;
  /** Every account the block changed, sorted by id. */
  writes: Account[];
  /** Public keys the block registered, sorted by key id, each once. */
  registeredKeys: RegisteredPublicKey[];
}

export function assembleBlock(
  context: BlockContext,
  transactionCount: number,
  phaseOne: readonly ShardExecution[],
  phaseTwo: readonly ShardWrites[],
): BlockExecution {
  const shardCount = phaseOne.length;
  assert(shardCount >= 1 && phaseTwo.length === shardCount, `one phase-1 and one phase-2 result per shard (${shardCount}, ${phaseTwo.length})`);
  const statuses = new Uint8Array(transactionCount);
  const reasons = new Uint8Array(transactionCount);
  const messages = new Array<string>(transactionCount).fill('');
  const applied = new Uint8Array(transactionCount);
  let executed = 0;
  phaseOne.forEach((shardExecution, position) => {
    assert(shardExecution.shard === position && shardExecution.shardCount === shardCount, `phase-1 result ${position} is shard ${position} of ${shardCount}`);
    const { txIndexes } = shardExecution;
    for (let slot = 0; slot < txIndexes.length; slot += 1) {
      const index = txIndexes[slot]!;
      assert(index < transactionCount && statuses[index] === 0, `transaction ${index} is executed by exactly one shard`);
      statuses[index] = shardExecution.statuses[slot]!;
      reasons[index] = shardExecution.reasons[slot]!;
      messages[index] = shardExecution.messages[slot]!;
      applied[index] = shardExecution.applied[slot]!;
      assert(applied[index] <= 1, `transaction ${index} is applied (1) or not (0)`);
      assert(statuses[index] !== ReceiptStatus.COMMITTED || applied[index] === 1, `committed transaction ${index} was applied`);
      assert(statuses[index] !== 0, `transaction ${index} has a status`);
    }
    executed += txIndexes.length;
  });
  assert(executed === transactionCount, `every transaction executed once (${executed} of ${transactionCount})`);

  const writes = mergeShardWrites(phaseTwo);
  const registeredKeys = phaseOne.flatMap((shardExecution) => shardExecution.registeredKeys);
  const header: BlockHeader = {
    height: context.height,
    parentHash: context.parentHash,
    stateRoot: nextStateRoot(context.parentStateRoot, writeSetDigest(writes)),
    transactionsRoot: context.transactionsRoot,
    timestampMs: context.timestampMs,
    raftTerm: context.raftTerm,
    raftIndex: context.raftIndex,
    transactionCount,
  };
  checkBlockHeader(header);
  return { header, blockHash: blockHash(header), statuses, reasons, messages, applied, writes, registeredKeys: uniqueByKeyId(registeredKeys) };
}

/** The shards' sorted, disjoint write lists as one list sorted by id. */
function mergeShardWrites(phaseTwo: readonly ShardWrites[]): Account[] {
  const entries: { key: string; account: Account }[] = [];
  phaseTwo.forEach((shardWrites, position) => {
    assert(shardWrites.shard === position, `phase-2 result ${position} is shard ${position}`);
    assert(shardWrites.accountKeys.length === shardWrites.accounts.length, 'phase-2 keys and accounts are parallel');
    shardWrites.accountKeys.forEach((key, index) => entries.push({ key, account: shardWrites.accounts[index]! }));
  });
  // Concatenated sorted runs: the engine's merge sort finds the runs and merges them.
  entries.sort((left, right) => (left.key < right.key ? -1 : left.key > right.key ? 1 : 0));
  for (let index = 1; index < entries.length; index += 1) {
    assert(entries[index - 1]!.key !== entries[index]!.key, 'no account is written by two shards');
  }
  return entries.map((entry) => entry.account);
}

function uniqueByKeyId(keys: readonly RegisteredPublicKey[]): RegisteredPublicKey[] {
  const byId = new Map<string, RegisteredPublicKey>();
  for (const key of keys) byId.set(hex(key.keyId), key);
  return [...byId.keys()].sort().map((id) => byId.get(id)!);
}
