/**
 * Phase 1 of a block, for one shard: the transactions whose home is this shard, in log order.
 * Pure: the outcome depends only on the arguments (no clock, randomness or thread identity).
 *
 * The rules, checked in this order for every transaction (docs/pipeline.md "Ledger rules"):
 *
 *  1. The sender account does not exist           → FAILED UNKNOWN_ACCOUNT. Nothing changes.
 *  2. nonce < account nonce                        → FAILED NONCE_REUSED (the replay rejection).
 *     nonce > account nonce                        → FAILED NONCE_GAP. Nothing changes.
 *  3. balance < fee                                → FAILED INSUFFICIENT_FUNDS. Nothing changes:
 *     the transaction cannot pay for its inclusion, so it is not applied and its nonce stays
 *     free (the sender may still use it once funded).
 *  4. From here the transaction is applied: the nonce is consumed (+1) and the fee is debited
 *     and credited to the fee account at the barrier, whatever the kind-specific outcome below.
 *     TRANSFER:      amount + fee > 2^64 − 1       → FAILED AMOUNT_OVERFLOW
 *                    balance after fee < amount    → FAILED INSUFFICIENT_FUNDS
 *                    otherwise debit amount, credit `to` at the barrier → COMMITTED.
 *                    A zero amount credits nothing, so it creates no account.
 *     REGISTER_KEY:  register-key.ts (MALFORMED, KEY_REJECTED, or COMMITTED); a non-zero amount
 *                    is MALFORMED, since the kind moves nothing.
 *     CONTRACT_DEPLOY, CONTRACT_CALL, TRACE_LINK → FAILED UNKNOWN_CONTRACT
 *     STORAGE_PUT, STORAGE_DELETE               → FAILED STORAGE_REJECTED
 *                    (the kind is not enabled on this node: a real, deterministic outcome).
 *     any other kind                             → FAILED MALFORMED.
 *
 * Every kind's home is its sender account for now, since the nonce and fee live there.
 * Credits never land before the barrier, so a sender cannot spend what it receives in the same
 * block; fees are summed per shard into one credit to the fee account.
 */
import { assert } from '../errors.js';
import { ReceiptStatus, RejectReason, TransactionKind } from '../generated/aurigraph.js';
import type { Account, RegisteredPublicKey } from './account.js';
import { hex, idKey, u64Max } from './bytes.js';
import { AccountOverlay } from './overlay.js';
import { type ExecutionFailure, registerKey } from './register-key.js';
import { type ShardLookup, checkShardCount, homeShardsOf, shardLookup } from './shard-of.js';
import type { AccountReader, BlockContext, ChainParameters, Credit, ExecutionTransactions } from './types.js';

/** Phase 1's output for one shard. Plain data, so it crosses a worker boundary by structured clone. */
export interface ShardExecution {
  shard: number;
  shardCount: number;
  /** Indexes (in the block) of the transactions this shard executed, ascending. */
  txIndexes: Uint32Array;
  /** ReceiptStatus of each, parallel to txIndexes. */
  statuses: Uint8Array;
  /** RejectReason of each. */
  reasons: Uint8Array;
  /** Why each FAILED, naming the field; '' when COMMITTED. */
  messages: string[];
  /**
   * 1 where the transaction was applied (its nonce consumed and its fee taken: COMMITTED, or
   * FAILED by a rule of step 4), 0 where it changed nothing (steps 1 to 3). The store's tx-hash index
   * decides by it which occurrence of a hash a read returns, so it is data, never inferred from
   * a reason or a message.
   */
  applied: Uint8Array;
  /** Accounts this shard changed, keyed by idKey. */
  writes: Map<string, Account>;
  /** Public keys registered by this shard's COMMITTED REGISTER_KEY transactions. */
  registeredKeys: RegisteredPublicKey[];
  /** Credits by receiving shard: creditsByShard[k] goes to applyCredits on shard k. */
  creditsByShard: Credit[][];
}

const enabledNotice = 'is not enabled on this node; the fee was charged and the nonce consumed';

export function executeShard(
  shard: number,
  shardCount: number,
  transactions: ExecutionTransactions,
  state: AccountReader,
  context: BlockContext,
  chain: ChainParameters,
  homeShards: Uint8Array = homeShardsOf(transactions, shardCount),
): ShardExecution {
  checkShardCount(shardCount);
  assert(Number.isInteger(shard) && shard >= 0 && shard < shardCount, `shard ${shard} is in [0, ${shardCount})`);
  assert(homeShards.length === transactions.count, `one home shard per transaction (${homeShards.length} for ${transactions.count})`);

  let homeCount = 0;
  for (let index = 0; index < homeShards.length; index += 1) if (homeShards[index] === shard) homeCount += 1;

  const execution: ShardExecution = {
    shard,
    shardCount,
    txIndexes: new Uint32Array(homeCount),
    statuses: new Uint8Array(homeCount),
    reasons: new Uint8Array(homeCount),
    messages: new Array<string>(homeCount).fill(''),
    applied: new Uint8Array(homeCount),
    writes: new Map(),
    registeredKeys: [],
    creditsByShard: Array.from({ length: shardCount }, () => []),
  };
  const overlay = new AccountOverlay(state);
  const lookup = shardLookup(shardCount);
  let feesTotal = 0n;

  let slot = 0;
  for (let index = 0; index < transactions.count; index += 1) {
    if (homeShards[index] !== shard) continue;
    execution.txIndexes[slot] = index;

    const from = transactions.from(index);
    const fromKey = idKey(from);
    assert(lookup.shardOfKey(fromKey, from) === shard, `transaction ${index} is homed on its sender's shard, not shard ${shard}`);
    const entry = overlay.lookup(fromKey, from);
    const account = entry.account;
    const failure =
      account === undefined
        ? unknownAccount(from)
        : checkNonceAndFee(account, transactions.nonce(index), transactions.fee(index));
    if (failure !== undefined) {
      recordFailure(execution, slot, failure, '; nothing was charged');
      slot += 1;
      continue;
    }
    assert(account !== undefined, 'an account passed the nonce and fee checks');

    // Applied: the nonce and the fee are consumed whatever happens next.
    const fee = transactions.fee(index);
    assert(account.nonce < u64Max, 'a nonce cannot reach 2^64 - 1: each step is one applied transaction');
    account.nonce += 1n;
    account.balance -= fee;
    feesTotal += fee;
    entry.written = true;
    execution.applied[slot] = 1;

    const outcome = applyKind(transactions, index, account, context, execution, lookup);
    if (outcome === undefined) {
      execution.statuses[slot] = ReceiptStatus.COMMITTED;
      execution.reasons[slot] = RejectReason.REJECT_REASON_NONE;
    } else {
      recordFailure(execution, slot, outcome, '');
    }
    slot += 1;
  }
  assert(slot === homeCount, `executed ${slot} of ${homeCount} home transactions`);

  if (feesTotal > 0n) {
    const feeKey = idKey(chain.feeAccount);
    execution.creditsByShard[lookup.shardOfKey(feeKey, chain.feeAccount)]!.push({ accountKey: feeKey, amount: feesTotal });
  }
  execution.writes = overlay.writes();
  return execution;
}

function applyKind(
  transactions: ExecutionTransactions,
  index: number,
  account: Account,
  context: BlockContext,
  execution: ShardExecution,
  lookup: ShardLookup,
): ExecutionFailure | undefined {
  const kind = transactions.kind(index);
  switch (kind) {
    case TransactionKind.TRANSFER:
      return transfer(transactions, index, account, execution, lookup);
    case TransactionKind.REGISTER_KEY: {
      const amount = transactions.amount(index);
      if (amount !== 0n) {
        return { reason: RejectReason.MALFORMED, message: `amount: must be 0 for REGISTER_KEY, got ${amount}; the fee was charged and the nonce consumed` };
      }
      return withFeeNotice(registerKey(account, transactions.payload(index), context.height, execution.registeredKeys));
    }
    case TransactionKind.CONTRACT_DEPLOY:
      return { reason: RejectReason.UNKNOWN_CONTRACT, message: `kind: CONTRACT_DEPLOY ${enabledNotice}` };
    case TransactionKind.CONTRACT_CALL:
      return { reason: RejectReason.UNKNOWN_CONTRACT, message: `kind: CONTRACT_CALL ${enabledNotice}` };
    case TransactionKind.TRACE_LINK:
      return { reason: RejectReason.UNKNOWN_CONTRACT, message: `kind: TRACE_LINK ${enabledNotice}` };
    case TransactionKind.STORAGE_PUT:
      return { reason: RejectReason.STORAGE_REJECTED, message: `kind: STORAGE_PUT ${enabledNotice}` };
    case TransactionKind.STORAGE_DELETE:
      return { reason: RejectReason.STORAGE_REJECTED, message: `kind: STORAGE_DELETE ${enabledNotice}` };
    default:
      return { reason: RejectReason.MALFORMED, message: `kind: ${kind} is not a transaction kind; the fee was charged and the nonce consumed` };
  }
}

function transfer(
  transactions: ExecutionTransactions,
  index: number,
  account: Account,
  execution: ShardExecution,
  lookup: ShardLookup,
): ExecutionFailure | undefined {
  const amount = transactions.amount(index);
  const fee = transactions.fee(index);
  if (amount + fee > u64Max) {
    return {
      reason: RejectReason.AMOUNT_OVERFLOW,
      message: `amount: ${amount} plus fee ${fee} exceeds 2^64 - 1; the fee was charged and the nonce consumed`,
    };
  }
  if (account.balance < amount) {
    return {
      reason: RejectReason.INSUFFICIENT_FUNDS,
      message: `amount: ${amount} exceeds the balance ${account.balance} left after the fee ${fee}; the fee was charged and the nonce consumed`,
    };
  }
  if (amount === 0n) return undefined;
  account.balance -= amount;
  const to = transactions.to(index);
  const toKey = idKey(to);
  execution.creditsByShard[lookup.shardOfKey(toKey, to)]!.push({ accountKey: toKey, amount });
  return undefined;
}

function unknownAccount(from: Uint8Array): ExecutionFailure {
  return {
    reason: RejectReason.UNKNOWN_ACCOUNT,
    message: `from: account ${hex(from)} does not exist; an account exists once it has been credited`,
  };
}

function checkNonceAndFee(account: Account, nonce: bigint, fee: bigint): ExecutionFailure | undefined {
  if (nonce < account.nonce) {
    return { reason: RejectReason.NONCE_REUSED, message: `nonce: ${nonce} was already used; the account's next nonce is ${account.nonce}` };
  }
  if (nonce > account.nonce) {
    return { reason: RejectReason.NONCE_GAP, message: `nonce: ${nonce} is ahead of the account's next nonce ${account.nonce}` };
  }
  if (account.balance < fee) {
    return { reason: RejectReason.INSUFFICIENT_FUNDS, message: `fee: ${fee} exceeds the balance ${account.balance}` };
  }
  return undefined;
}

function withFeeNotice(failure: ExecutionFailure | undefined): ExecutionFailure | undefined {
  if (failure === undefined) return undefined;
  return { reason: failure.reason, message: `${failure.message}; the fee was charged and the nonce consumed` };
}

function recordFailure(execution: ShardExecution, slot: number, failure: ExecutionFailure, suffix: string): void {
  execution.statuses[slot] = ReceiptStatus.FAILED;
  execution.reasons[slot] = failure.reason;
  execution.messages[slot] = failure.message + suffix;
}
