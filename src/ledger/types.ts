/**
 * What execution reads: the block's transactions, the block's context from its log entry, the
 * chain's constants, and committed account state.
 */
import type { Account } from './account.js';

/**
 * The transactions of one block, read by index. The log-entry codec implements this over one
 * buffer, so execution touches no per-transaction objects. Returned byte arrays may be views
 * onto that buffer: read them, do not keep them.
 */
export interface ExecutionTransactions {
  readonly count: number;
  /** A TransactionKind value. */
  kind(index: number): number;
  /** 32 bytes. */
  from(index: number): Uint8Array;
  /** 32 bytes, all zero when the transaction has no `to`. */
  to(index: number): Uint8Array;
  amount(index: number): bigint;
  nonce(index: number): bigint;
  fee(index: number): bigint;
  /** 32 bytes. */
  txHash(index: number): Uint8Array;
  payload(index: number): Uint8Array;
}

/** The transactions of a block as the store keeps them: hash, and the bytes GetTransaction returns. */
export interface StoredTransactions {
  readonly count: number;
  /** 32 bytes. */
  txHash(index: number): Uint8Array;
  /** Opaque to the ledger: whatever encoding the pipeline chose for GetTransaction. */
  storedBytes(index: number): Uint8Array;
}

/** Where a block sits: taken from its log entry and from the block before it. */
export interface BlockContext {
  height: bigint;
  /** The leader's timestamp from the log entry, never a local clock. */
  timestampMs: bigint;
  raftTerm: bigint;
  raftIndex: bigint;
  /** 32 bytes. */
  parentHash: Uint8Array;
  /** 32 bytes. */
  parentStateRoot: Uint8Array;
  /** 32 bytes: the Merkle root of the block's transaction hashes, from the log entry. */
  transactionsRoot: Uint8Array;
}

/** Constants fixed by genesis. */
export interface ChainParameters {
  readonly chainId: number;
  /** 32 bytes: the account every fee is credited to. */
  readonly feeAccount: Uint8Array;
}

/** Committed state, as execution reads it. */
export interface AccountReader {
  /** A new Account the caller owns, or undefined when no account has this id. */
  readAccount(id: Uint8Array): Account | undefined;
}

/** An amount owed to an account, applied at the block barrier (phase 2). */
export interface Credit {
  /** idKey() of the receiving account. */
  readonly accountKey: string;
  /** Positive. */
  readonly amount: bigint;
}
