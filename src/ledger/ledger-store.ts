/**
 * The ledger store. State lives in LMDB: accounts, public keys, the hot part of the tx-hash
 * index and the head (applied Raft index, last block, state root). History lives in plain
 * append-only files read with pread: blocks with their receipts and transactions in the block
 * archive (archive/), the cold part of the tx-hash index in run files (tx-index/). LMDB maps its
 * file and every page the node touches stays in its RSS, so only state that stays small goes
 * there; history grows without bound and stays in the OS page cache (BENCHMARKS.md "Node
 * memory").
 *
 * Crash safety. A block's blob is appended to the archive first, then its accounts, keys, index
 * entries and the new head (applied index included) are written in ONE LMDB transaction, so the
 * head is always at a block boundary: after a crash it names blocks 1..h exactly and the applied
 * index of block h; the writer cuts the archive back to h on open, and the node replays the Raft
 * log from there (docs/pipeline.md, Recovery). Readers never look past the head.
 *
 * The environment is opened `noSync` (and with a write map), the archive is written without
 * fsync: a process crash, even SIGKILL, loses nothing either committed, because written pages
 * live in the OS page cache, and never exposes half a commit. An operating-system crash or power
 * loss is another matter: without fsync nothing is promised for the state (recent commits lost,
 * or worse), so after one the state must be rebuilt from the Raft log or a peer. `close()`
 * flushes to disk.
 */
import { join } from 'node:path';
import { open, type Database, type RootDatabase } from 'lmdb';
import { assert, failedPrecondition, invalidArgument } from '../errors.js';
import type { ReceiptStatus, RejectReason } from '../generated/aurigraph.js';
import type { Account, AccountView, RegisteredPublicKey } from './account.js';
import { decodeAccount, encodeAccount } from './account-codec.js';
import type { BlockExecution } from './assemble-block.js';
import { type BlockHeader, blockHash as hashOfBlockHeader } from './block-header.js';
import { BlockArchive } from './archive/block-archive.js';
import { BlockBlobBuilder, decodeBlockBlob } from './archive/block-blob.js';
import { accountIdBytes, bytesEqual, copyBytes, hashBytes, hex } from './bytes.js';
import { type Genesis, genesisState } from './genesis.js';
import {
  type ChainRecord,
  type HeadRecord,
  decodeBlockRecord,
  decodeChainRecord,
  decodeHeadRecord,
  decodeTransactionRecord,
  decodeTxIndexEntry,
  encodeBlockRecord,
  encodeChainRecord,
  encodeHeadRecord,
  receiptMessageBytes,
  txIndexEntryBytes,
  writeTxIndexEntry,
} from './store-records.js';
import { type IndexJob, type IndexJobResult, TxHashIndex, type TxHashIndexOptions } from './tx-index/tx-hash-index.js';
import type { AccountReader, BlockContext, ChainParameters, StoredTransactions } from './types.js';

export interface LedgerStoreOptions {
  /**
   * Upper bound on the memory map, bytes; LMDB grows the file up to it. Default: lmdb-js's
   * default, which grows automatically.
   */
  mapSizeBytes?: number;
  /**
   * The one handle per directory that commits (the pipeline's main thread). On open it cuts
   * the archive back to the head and removes index files a crash left behind. Other threads
   * open readers. Default true.
   */
  writer?: boolean;
  /** Sizes of the tx-hash index's hot tables and merges (tests make them small). */
  index?: TxHashIndexOptions;
  /** Largest archive segment file, bytes (tests make it small). Default: the archive's. */
  archiveSegmentBytes?: number;
}

/** What commitBlock writes: an executed block plus what only the pipeline knows. */
export interface BlockCommit extends BlockExecution {
  /** The client batch id the block's transactions came in (echoed in receipts). */
  batchId: bigint;
  /** Per transaction of the block, its index in the client batch; omitted: 0, 1, 2, … */
  batchIndexes?: ArrayLike<number>;
  /** The block's transactions: hashes and the bytes GetTransaction returns. */
  transactions: StoredTransactions;
  /** The Raft index of the log entry that carried the block; equals header.raftIndex. */
  appliedIndex: bigint;
}

export interface StoredBlock {
  header: BlockHeader;
  blockHash: Uint8Array;
}

export interface StoredReceipt {
  txHash: Uint8Array;
  batchId: bigint;
  batchIndex: number;
  status: ReceiptStatus;
  reason: RejectReason;
  message: string;
  blockHeight: bigint;
  /** Position in the block. */
  blockIndex: number;
  /** The state root after the block. */
  stateRoot: Uint8Array;
}

export interface StoredTransaction {
  storedBytes: Uint8Array;
  receipt: StoredReceipt;
}

export interface GenesisResult {
  /** False when the store already held this genesis and nothing was written. */
  created: boolean;
  genesisHash: Uint8Array;
  stateRoot: Uint8Array;
  chain: ChainParameters;
}

/** A new block's context, from the log entry that carries it. */
export interface LogEntryContext {
  timestampMs: bigint;
  raftTerm: bigint;
  raftIndex: bigint;
  transactionsRoot: Uint8Array;
}

const headKey = 'head';
const chainKey = 'chain';
const emptyBytes = new Uint8Array(0);

export function openLedgerStore(directory: string, options: LedgerStoreOptions = {}): LedgerStore {
  const root = open({
    path: directory,
    // Always a directory holding data.mdb and lock.mdb, even when its name has a dot in it
    // (lmdb-js would otherwise take such a path for the data file itself).
    noSubdir: false,
    maxDbs: 8,
    noSync: true,
    // Pages are modified in the map instead of in malloc'd copies. The tx-hash index takes one
    // random insert per transaction, which dirties a different leaf page each time; measured at
    // 1M transactions (10k-transaction blocks), commit cost fell from 8.0 to 4.9 µs per
    // transaction. A process crash still cannot tear a commit: the meta page flips last, and
    // pages of the last commit are never reused by the next one.
    useWritemap: true,
    ...(options.mapSizeBytes === undefined ? {} : { mapSize: options.mapSizeBytes }),
  });
  return new LedgerStore(directory, root, options);
}

export class LedgerStore implements AccountReader {
  readonly directory: string;
  readonly #root: RootDatabase;
  readonly #accounts: Database<Uint8Array, Uint8Array>;
  readonly #publicKeys: Database<Uint8Array, Uint8Array>;
  readonly #meta: Database<Uint8Array, string>;
  readonly #archive: BlockArchive;
  readonly #index: TxHashIndex;
  readonly #writer: boolean;
  /** The writer's head; a reader reads the committed one from LMDB each time (#committedHead). */
  #head: HeadRecord | undefined;
  #chain: ChainRecord | undefined;
  #closed = false;
  /** Inside commitTogether: writes join its transaction. */
  #inGroup = false;
  readonly #blobBuilder = new BlockBlobBuilder();
  readonly #indexEntryScratch = Buffer.allocUnsafe(txIndexEntryBytes);

  constructor(directory: string, root: RootDatabase, options: LedgerStoreOptions = {}) {
    this.directory = directory;
    this.#root = root;
    this.#writer = options.writer ?? true;
    const binary = { keyEncoding: 'binary', encoding: 'binary' } as const;
    this.#accounts = root.openDB<Uint8Array, Uint8Array>({ name: 'accounts', ...binary });
    this.#publicKeys = root.openDB<Uint8Array, Uint8Array>({ name: 'publicKeys', ...binary });
    this.#meta = root.openDB<Uint8Array, string>({ name: 'meta', encoding: 'binary' });
    const head = this.#meta.get(headKey);
    const chain = this.#meta.get(chainKey);
    assert((head === undefined) === (chain === undefined), `ledger at ${directory} has both a head and a chain record, or neither`);
    this.#head = head === undefined ? undefined : decodeHeadRecord(head);
    this.#chain = chain === undefined ? undefined : decodeChainRecord(chain);
    this.#archive = BlockArchive.open(join(directory, 'archive'), {
      writer: this.#writer,
      ...(options.archiveSegmentBytes === undefined ? {} : { segmentBytes: options.archiveSegmentBytes }),
    });
    if (this.#writer) this.#cutArchiveToHead();
    this.#index = new TxHashIndex(directory, root, this.#meta, this.#writer, options.index);
  }

  /** The archive may hold blocks past the head (appended, then a crash before the LMDB commit). */
  #cutArchiveToHead(): void {
    const blocksCommitted = this.#head === undefined ? 0n : this.#head.height + 1n;
    if (this.#archive.count() < blocksCommitted) {
      throw failedPrecondition(
        `the ledger in data directory ${this.directory} has committed blocks 0..${blocksCommitted - 1n} but its archive ` +
          `holds only ${this.#archive.count()}: the archive was lost or written by an older version of the node ` +
          `(blocks kept in LMDB); rebuild this node from an empty data directory (a follower catches up from the leader)`,
      );
    }
    this.#archive.truncateTo(blocksCommitted);
  }

  // ---- genesis ------------------------------------------------------------------------------

  /**
   * Writes genesis into an empty store. Idempotent: with the genesis the store already holds it
   * writes nothing; with another it fails, naming the data directory.
   */
  initGenesis(genesis: Genesis): GenesisResult {
    this.#checkOpen();
    const state = genesisState(genesis);
    if (this.#chain !== undefined) {
      if (!bytesEqual(this.#chain.genesisHash, state.blockHash)) {
        throw failedPrecondition(
          `the ledger in data directory ${this.directory} belongs to chain ${this.#chain.chainId} with genesis hash ` +
            `${hex(this.#chain.genesisHash)}, but the configured genesis (chain ${genesis.chainId}) hashes to ` +
            `${hex(state.blockHash)}; use that chain's genesis, or an empty data directory to start a new chain`,
          'genesis',
        );
      }
      const genesisBlock = this.getBlock(0n);
      assert(genesisBlock !== undefined, 'a ledger with a chain record holds block 0');
      return { created: false, genesisHash: state.blockHash, stateRoot: genesisBlock.header.stateRoot, chain: this.chainParameters() };
    }
    assert(this.#accounts.getCount() === 0 && this.#archive.count() === 0n, `ledger at ${this.directory} without genesis holds no accounts or blocks`);
    const head: HeadRecord = { appliedIndex: 0n, height: 0n, blockHash: state.blockHash, stateRoot: state.header.stateRoot };
    const chain: ChainRecord = { chainId: state.chain.chainId, feeAccount: state.chain.feeAccount, genesisHash: state.blockHash };
    this.#blobBuilder.begin(encodeBlockRecord(state.header, state.blockHash), 0);
    this.#appendAndWrite(0n, this.#blobBuilder.finish(), () => {
      for (const account of state.accounts) this.#accounts.putSync(account.id, encodeAccount(account));
      this.#putPublicKeys(state.registeredKeys);
      this.#meta.putSync(chainKey, encodeChainRecord(chain));
      this.#meta.putSync(headKey, encodeHeadRecord(head));
    });
    this.#head = head;
    this.#chain = chain;
    return { created: true, genesisHash: state.blockHash, stateRoot: state.header.stateRoot, chain: this.chainParameters() };
  }

  chainParameters(): ChainParameters {
    const chain = this.#requireChain();
    return { chainId: chain.chainId, feeAccount: copyBytes(chain.feeAccount) };
  }

  genesisHash(): Uint8Array {
    return copyBytes(this.#requireChain().genesisHash);
  }

  // ---- blocks -------------------------------------------------------------------------------

  /** The context of the next block, from the head and the log entry that carries the block. */
  nextBlockContext(entry: LogEntryContext): BlockContext {
    const head = this.#requireHead();
    return {
      height: head.height + 1n,
      timestampMs: entry.timestampMs,
      raftTerm: entry.raftTerm,
      raftIndex: entry.raftIndex,
      parentHash: copyBytes(head.blockHash),
      parentStateRoot: copyBytes(head.stateRoot),
      transactionsRoot: entry.transactionsRoot,
    };
  }

  /**
   * Writes an executed block, its receipts and transactions, and the new head, in one LMDB
   * transaction. The block must extend the head (next height, parent hash = head block hash)
   * and its Raft index must be above the applied index.
   */
  commitBlock(commit: BlockCommit): void {
    this.#checkOpen();
    const head = this.#requireHead();
    const { header, transactions } = commit;
    const count = header.transactionCount;
    if (header.height !== head.height + 1n || !bytesEqual(header.parentHash, head.blockHash)) {
      throw failedPrecondition(
        `block ${header.height} with parent ${hex(header.parentHash)} does not extend the ledger in ${this.directory}, ` +
          `whose last block is ${head.height} (${hex(head.blockHash)})`,
      );
    }
    if (commit.appliedIndex <= head.appliedIndex) {
      throw failedPrecondition(`applied index ${commit.appliedIndex} is not above the ledger's applied index ${head.appliedIndex}`);
    }
    assert(commit.appliedIndex === header.raftIndex, `applied index ${commit.appliedIndex} is the block's Raft index ${header.raftIndex}`);
    assert(bytesEqual(hashOfBlockHeader(header), commit.blockHash), 'the block hash is the hash of the block header');
    assert(
      transactions.count === count &&
        commit.statuses.length === count &&
        commit.reasons.length === count &&
        commit.messages.length === count &&
        commit.applied.length === count,
      `one transaction, status, reason, message and applied flag per block transaction (${count})`,
    );
    assert(commit.batchIndexes === undefined || commit.batchIndexes.length === count, 'one batch index per block transaction');

    const newHead: HeadRecord = { appliedIndex: commit.appliedIndex, height: header.height, blockHash: commit.blockHash, stateRoot: header.stateRoot };
    const blob = this.#blobBuilder;
    blob.begin(encodeBlockRecord(header, commit.blockHash), count);
    for (let index = 0; index < count; index += 1) {
      const message = commit.messages[index]!;
      const applied = commit.applied[index]!;
      assert(applied <= 1, `transaction ${index}'s applied flag is 0 or 1, got ${applied}`);
      blob.addTransaction(
        {
          batchId: commit.batchId,
          batchIndex: commit.batchIndexes === undefined ? index : commit.batchIndexes[index]!,
          status: commit.statuses[index]!,
          reason: commit.reasons[index]!,
          txHash: transactions.txHash(index),
          applied: applied === 1,
          storedBytes: transactions.storedBytes(index),
        },
        message === '' ? emptyBytes : receiptMessageBytes(message),
      );
    }
    const indexEntry = this.#indexEntryScratch;
    this.#appendAndWrite(header.height, blob.finish(), () => {
      for (const account of commit.writes) this.#accounts.putSync(account.id, encodeAccount(account));
      this.#putPublicKeys(commit.registeredKeys);
      // The index points at the occurrence of a hash that was applied (nonce consumed, fee
      // taken), else at the latest copy that changed nothing (tx-index/occurrence.ts), so a read
      // tells the client what happened to its transaction. It is a function of the log alone,
      // so every replica holds the same one.
      for (let index = 0; index < count; index += 1) {
        writeTxIndexEntry(indexEntry, header.height, index, commit.applied[index] === 1);
        this.#index.insert(transactions.txHash(index), indexEntry);
      }
      this.#index.endOfBlock();
      this.#meta.putSync(headKey, encodeHeadRecord(newHead));
    });
    this.#head = { ...newHead, blockHash: copyBytes(newHead.blockHash), stateRoot: copyBytes(newHead.stateRoot) };
  }

  /**
   * Appends a block's blob to the archive, then runs `body`, in the LMDB transaction of the
   * commitTogether group running now, or in a group of its own: a failed transaction cuts the
   * blob off again (commitTogether's rollback).
   */
  #appendAndWrite(height: bigint, blob: Uint8Array, body: () => void): void {
    assert(this.#writer, `the ledger store in ${this.directory} was opened for reading; only the writer commits`);
    const appendThenWrite = (): void => {
      this.#archive.append(height, blob);
      body();
    };
    if (this.#inGroup) appendThenWrite();
    else this.commitTogether(appendThenWrite);
  }

  /**
   * Runs `body` in ONE LMDB transaction: every commitBlock and recordAppliedIndex it calls
   * lands together or not at all, and reads inside it (readAccount, nextBlockContext) see the
   * blocks written before them. The store is still at a block boundary after a crash: the head
   * written last names the last block of the group, with its applied index. If `body` throws,
   * nothing of it is written and the head is what it was before.
   */
  commitTogether<T>(body: () => T): T {
    this.#checkOpen();
    assert(!this.#inGroup, 'commitTogether calls do not nest');
    const headBefore = this.#head;
    const archivedBefore = this.#archive.count();
    const indexBefore = this.#index.writeState();
    this.#inGroup = true;
    try {
      return this.#root.transactionSync(body);
    } catch (error) {
      this.#head = headBefore;
      this.#archive.truncateTo(archivedBefore);
      this.#index.restoreWriteState(indexBefore);
      throw error;
    } finally {
      this.#inGroup = false;
    }
  }

  /** A write of its own, or part of the commitTogether group running now. */
  #write(body: () => void): void {
    assert(this.#writer, `the ledger store in ${this.directory} was opened for reading; only the writer commits`);
    if (this.#inGroup) body();
    else this.#root.transactionSync(body);
  }

  // ---- tx-hash index maintenance (tx-index/tx-hash-index.ts) ---------------------------------

  /** The writer's next index job (write out a full hot table, merge runs), if one is due. */
  nextIndexJob(): IndexJob | undefined {
    this.#checkOpen();
    return this.#index.nextJob();
  }

  /** Runs an index job in this thread: a pool worker's reader, or the writer itself. */
  runIndexJob(job: IndexJob): IndexJobResult {
    this.#checkOpen();
    return this.#index.runJob(job);
  }

  /** Records a job that ran (writer, between commits). */
  completeIndexJob(job: IndexJob, result: IndexJobResult): void {
    this.#checkOpen();
    this.#index.completeJob(job, result);
  }

  /** The index's runs and hot-table sizes (reports, tests). */
  describeIndex(): ReturnType<TxHashIndex['describe']> {
    this.#checkOpen();
    return this.#index.describe();
  }

  /**
   * Records that a committed log entry carrying no block (a Raft no-op or membership change) was
   * applied, so a restart does not replay it. Blocks record their own index in commitBlock.
   */
  recordAppliedIndex(raftIndex: bigint): void {
    const head = this.#requireHead();
    if (raftIndex <= head.appliedIndex) {
      throw failedPrecondition(`applied index ${raftIndex} is not above the ledger's applied index ${head.appliedIndex}`);
    }
    const newHead: HeadRecord = { ...head, appliedIndex: raftIndex };
    this.#write(() => this.#meta.putSync(headKey, encodeHeadRecord(newHead)));
    this.#head = newHead;
  }

  /** The applied Raft index: replay the log from the entry after it. */
  appliedIndex(): bigint {
    return this.#requireHead().appliedIndex;
  }

  /** The last block (block 0 right after genesis), or undefined before genesis. */
  lastBlock(): StoredBlock | undefined {
    this.#checkOpen();
    const head = this.#committedHead();
    if (head === undefined) return undefined;
    const block = this.getBlock(head.height);
    assert(block !== undefined, `the head's block ${head.height} is stored`);
    return block;
  }

  getBlock(height: bigint): StoredBlock | undefined {
    this.#checkOpen();
    if (!this.#isCommitted(height)) return undefined;
    const bytes = this.#archive.readBlockRecord(height);
    assert(bytes !== undefined, `committed block ${height} is in the archive of ${this.directory}`);
    return decodeBlockRecord(plainView(bytes));
  }

  /** The hashes of a block's transactions, in block order; empty for a block not committed. */
  getBlockTransactionHashes(height: bigint): Uint8Array[] {
    this.#checkOpen();
    if (!this.#isCommitted(height)) return [];
    const blob = this.#archive.readBlob(height);
    assert(blob !== undefined, `committed block ${height} is in the archive of ${this.directory}`);
    const block = decodeBlockBlob(plainView(blob));
    const hashes: Uint8Array[] = [];
    for (let index = 0; index < block.transactionCount; index += 1) {
      hashes.push(copyBytes(decodeTransactionRecord(block.transactionRecord(index)).txHash));
    }
    return hashes;
  }

  /** The head as committed: the writer's own, or what this reader's LMDB snapshot holds. */
  #committedHead(): HeadRecord | undefined {
    if (this.#writer) return this.#head;
    const bytes = this.#meta.get(headKey);
    return bytes === undefined ? undefined : decodeHeadRecord(bytes);
  }

  /** Blocks past the head may sit in the archive (appended, LMDB commit pending or lost). */
  #isCommitted(height: bigint): boolean {
    const head = this.#committedHead();
    return head !== undefined && height >= 0n && height <= head.height;
  }

  // ---- transactions and receipts -------------------------------------------------------------

  getReceipt(txHash: Uint8Array): StoredReceipt | undefined {
    return this.getTransaction(txHash)?.receipt;
  }

  /**
   * The stored bytes and receipt of the block transaction with this hash that was applied, or,
   * while none was, of the latest copy that changed nothing (see #indexAgain).
   */
  getTransaction(txHash: Uint8Array): StoredTransaction | undefined {
    this.#checkOpen();
    if (txHash.length !== hashBytes) throw invalidArgument('txHash', `must be ${hashBytes} bytes, got ${txHash.length}`);
    const entryBytes = this.#index.lookup(txHash);
    if (entryBytes === undefined) return undefined;
    const { height, index } = decodeTxIndexEntry(entryBytes);
    assert(this.#isCommitted(height), `the tx index points at committed block ${height}`);
    const recordBytes = this.#archive.readTransactionRecord(height, index);
    assert(recordBytes !== undefined, `the tx index points at a stored transaction (block ${height}, index ${index})`);
    const record = decodeTransactionRecord(plainView(recordBytes));
    assert(bytesEqual(record.txHash, txHash), 'the tx index points at the transaction with its hash');
    const block = this.getBlock(height);
    assert(block !== undefined, `a stored transaction's block ${height} is stored`);
    return {
      storedBytes: record.storedBytes,
      receipt: {
        txHash: copyBytes(txHash),
        batchId: record.batchId,
        batchIndex: record.batchIndex,
        status: record.status as ReceiptStatus,
        reason: record.reason as RejectReason,
        message: record.message,
        blockHeight: height,
        blockIndex: index,
        stateRoot: block.header.stateRoot,
      },
    };
  }

  // ---- accounts ------------------------------------------------------------------------------

  /** AccountReader: the committed account, as a new object the caller owns. */
  readAccount(id: Uint8Array): Account | undefined {
    this.#checkOpen();
    const bytes = this.#accounts.get(id);
    return bytes === undefined ? undefined : decodeAccount(copyBytes(id), plainView(bytes));
  }

  /** The committed account with its keys' public keys. */
  getAccount(id: Uint8Array): AccountView | undefined {
    if (id.length !== accountIdBytes) throw invalidArgument('accountId', `must be ${accountIdBytes} bytes, got ${id.length}`);
    const account = this.readAccount(id);
    if (account === undefined) return undefined;
    return {
      id: account.id,
      balance: account.balance,
      nonce: account.nonce,
      keys: account.keys.map((key) => {
        const publicKey = this.getPublicKey(key.keyId);
        assert(publicKey !== undefined, `the public key of registered key ${hex(key.keyId)} is stored`);
        return { ...key, publicKey };
      }),
    };
  }

  getPublicKey(keyId: Uint8Array): Uint8Array | undefined {
    this.#checkOpen();
    if (keyId.length !== hashBytes) throw invalidArgument('keyId', `must be ${hashBytes} bytes, got ${keyId.length}`);
    const publicKey = this.#publicKeys.get(keyId);
    return publicKey === undefined ? undefined : new Uint8Array(publicKey);
  }

  /** Every committed account in id order (tools and tests; a full scan). */
  *accounts(): Generator<Account> {
    this.#checkOpen();
    for (const { key, value } of this.#accounts.getRange()) yield decodeAccount(new Uint8Array(key), new Uint8Array(value));
  }

  // ---- lifecycle -----------------------------------------------------------------------------

  /** Flushes every commit to disk (the environment runs noSync) and closes the store. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    // lmdb-js has env.sync (mdb_env_sync with force) on the root at run time, not in its types.
    const syncable = this.#root as unknown as { sync(callback: (error?: Error) => void): void };
    await new Promise<void>((resolve, reject) => {
      syncable.sync((error) => (error ? reject(error) : resolve()));
    });
    this.#index.close();
    this.#archive.close();
    await this.#root.close();
  }

  #putPublicKeys(keys: readonly RegisteredPublicKey[]): void {
    for (const key of keys) {
      // Content-addressed: a key id names one public key, whoever registers it.
      if (!this.#publicKeys.doesExist(key.keyId)) this.#publicKeys.putSync(key.keyId, key.publicKey);
    }
  }

  #requireHead(): HeadRecord {
    this.#checkOpen();
    if (this.#head === undefined) throw failedPrecondition(`the ledger in data directory ${this.directory} has no genesis yet; initialise it first`);
    return this.#head;
  }

  #requireChain(): ChainRecord {
    this.#checkOpen();
    if (this.#chain === undefined) throw failedPrecondition(`the ledger in data directory ${this.directory} has no genesis yet; initialise it first`);
    return this.#chain;
  }

  #checkOpen(): void {
    if (this.#closed) throw failedPrecondition(`the ledger store in ${this.directory} is closed`);
  }
}

/**
 * A value lmdb-js returned (a Buffer it copied for this read) as a plain Uint8Array over the same
 * memory, so decoded fields compare and clone as Uint8Arrays, not Buffers.
 */
function plainView(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
