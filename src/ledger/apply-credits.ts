/**
 * Phase 2 of a block, for one shard: the barrier's credits to this shard's accounts. Credits are
 * additions of positive amounts, so their order cannot change a balance; they are summed per
 * account and applied in account id order, and an account that does not exist yet is created
 * (balance only, nonce 0, no keys). Applying a credit cannot fail: genesis bounds the total
 * supply by 2^64 − 1 and execution only moves units, so no balance can overflow. That is
 * asserted, not reported.
 *
 * (Sorting every credit by account and transaction index would give the same sums at the cost
 * of an n log n sort of the block's credits; summing first sorts only the distinct accounts.)
 */
import { assert } from '../errors.js';
import type { Account } from './account.js';
import { u64Max } from './bytes.js';
import { AccountOverlay } from './overlay.js';
import { checkShardCount, shardLookup } from './shard-of.js';
import type { AccountReader, Credit } from './types.js';

/** A shard's changed accounts after the barrier, sorted by id (accountKeys[i] = idKey(accounts[i].id)). */
export interface ShardWrites {
  shard: number;
  accountKeys: string[];
  accounts: Account[];
}

/**
 * `creditLists`: the credits to this shard from every phase-1 shard (ShardExecution.creditsByShard
 * [shard] of each). `phaseOneWrites`: this shard's phase-1 writes; their accounts are updated in
 * place.
 */
export function applyCredits(
  shard: number,
  shardCount: number,
  creditLists: readonly (readonly Credit[])[],
  state: AccountReader,
  phaseOneWrites: ReadonlyMap<string, Account>,
): ShardWrites {
  checkShardCount(shardCount);
  assert(Number.isInteger(shard) && shard >= 0 && shard < shardCount, `shard ${shard} is in [0, ${shardCount})`);
  const sums = new Map<string, bigint>();
  for (const credits of creditLists) {
    for (const credit of credits) {
      assert(credit.amount > 0n, `a credit is positive, got ${credit.amount}`);
      sums.set(credit.accountKey, (sums.get(credit.accountKey) ?? 0n) + credit.amount);
    }
  }

  const overlay = new AccountOverlay(state, phaseOneWrites);
  const lookup = shardLookup(shardCount);
  const creditedKeys = [...sums.keys()].sort();
  for (const key of creditedKeys) {
    const sum = sums.get(key)!;
    assert(lookup.shardOfKey(key) === shard, `a credit reached shard ${shard}, not its account's home shard`);
    const entry = overlay.lookupOrCreate(key);
    const account = entry.account!;
    assert(sum <= u64Max - account.balance, 'a credit cannot overflow a balance: total supply is at most 2^64 - 1');
    account.balance += sum;
    entry.written = true;
  }

  const writes = overlay.writes();
  const accountKeys = [...writes.keys()].sort();
  const accounts = accountKeys.map((key) => writes.get(key)!);
  return { shard, accountKeys, accounts };
}
