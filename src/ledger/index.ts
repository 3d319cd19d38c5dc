/**
 * The public surface of src/ledger: deterministic execution (phase 1 per shard, phase 2 at the
 * barrier, assembly, and the single-threaded reference), the account model and its encoding,
 * genesis, the state root and block hash, and the LMDB store. Import from here.
 */
export type { ExecutionTransactions, StoredTransactions, BlockContext, ChainParameters, AccountReader, Credit } from './types.js';
export { ArrayExecutionTransactions, type ExecutionTransactionInput } from './array-transactions.js';
export {
  keysPerAccountMax,
  signingPublicKeyBytes,
  type Account,
  type AccountKey,
  type AccountKeyWithPublicKey,
  type AccountView,
  type RegisteredPublicKey,
} from './account.js';
export {
  encodeAccount,
  decodeAccount,
  accountKeysDigest,
  accountEncodedBytes,
  accountHeaderBytes,
  accountKeyEntryBytes,
} from './account-codec.js';
export { accountIdBytes, hashBytes, u64Max, zeroHash, idKey, idFromKey } from './bytes.js';
export { shardOf, shardCountMax, homeShardsOf, ShardLookup, shardLookup } from './shard-of.js';
export { AccountOverlay, type OverlayEntry } from './overlay.js';
export { executeShard, type ShardExecution } from './execute-shard.js';
export { applyCredits, type ShardWrites } from './apply-credits.js';
export { assembleBlock, type BlockExecution } from './assemble-block.js';
export { executeBlock } from './execute-block.js';
export { writeSetDigest, nextStateRoot, stateRootDomain, writeSetEntryBytes } from './state-root.js';
export { blockHash, encodeBlockHeader, decodeBlockHeader, blockHeaderBytes, type BlockHeader } from './block-header.js';
export { genesisState, genesisAllocationsMax, type Genesis, type GenesisAllocation, type GenesisKey, type GenesisState } from './genesis.js';
export {
  openLedgerStore,
  LedgerStore,
  type LedgerStoreOptions,
  type BlockCommit,
  type StoredBlock,
  type StoredReceipt,
  type StoredTransaction,
  type GenesisResult,
  type LogEntryContext,
} from './ledger-store.js';
export { receiptMessageBytesMax } from './store-records.js';
export type { IndexJob, IndexJobResult, TxHashIndexOptions } from './tx-index/tx-hash-index.js';
