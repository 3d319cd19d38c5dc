/**
 * The coordinator's applying half: the ApplyTarget the Raft runtime delivers committed entries
 * to, in log order, on every replica (docs/pipeline.md steps 11 to 14).
 *
 * A transaction-batch entry becomes one block:
 *   phase 1   one execute-shard task per shard on the pool, every task reading the same entry
 *             bytes in a SharedArrayBuffer and the home shards computed once here
 *   phase 2   the credits, on this thread (applyCredits reads the state this thread committed
 *             last, and a block's credits are a few small sums: cheaper than cloning them out)
 *   assembly  receipts, write set, state root, header (assembleBlock)
 *   commit    ONE LMDB transaction: state, block, receipts, tx index, applied index
 * then the request that proposed the entry, if it came through this node, is answered.
 * Anything else (Raft no-ops, raw proposals) records its index and changes nothing.
 *
 * Entries are applied strictly one after another: a block's phase 1 reads the state the
 * previous block committed. Nothing here reads a clock: the block time is the entry's.
 */
import { assert, failedPrecondition } from '../errors.js';
import type { ShardPool } from '../exec/shard-pool.js';
import { type ChainParameters, type LedgerStore, applyCredits, assembleBlock, homeShardsOf } from '../ledger/index.js';
import type { Logger } from '../log/logger.js';
import { LogEntryView } from '../wire/index.js';
import type { Coordinator } from './coordinator.js';
import { type ApplySnapshot, type ApplyTarget, type CommittedEntry, entryKind } from './ordering.js';
import { EntryStoredTransactions } from './stored-transactions.js';

export interface BlockApplierOptions {
  ledger: LedgerStore;
  pool: ShardPool;
  shardCount: number;
  coordinator: Coordinator;
  logger: Logger;
}

/** Snapshot data: "AGS1" || applied index u64 LE || state root (32). */
const snapshotMagic = new TextEncoder().encode('AGS1');

export class BlockApplier implements ApplyTarget {
  readonly #ledger: LedgerStore;
  readonly #pool: ShardPool;
  readonly #shardCount: number;
  readonly #coordinator: Coordinator;
  readonly #chain: ChainParameters;
  readonly #logger: Logger;
  /** Calls to apply() run one after another even if a caller does not wait. */
  #tail: Promise<void> = Promise.resolve();

  constructor(options: BlockApplierOptions) {
    this.#ledger = options.ledger;
    this.#pool = options.pool;
    this.#shardCount = options.shardCount;
    this.#coordinator = options.coordinator;
    this.#chain = options.ledger.chainParameters();
    this.#logger = options.logger;
  }

  apply(entries: CommittedEntry[]): Promise<void> {
    const run = this.#tail.then(async () => {
      for (const entry of entries) await this.#applyEntry(entry);
    });
    this.#tail = run.catch(() => undefined);
    return run;
  }

  appliedIndex(): number {
    return Number(this.#ledger.appliedIndex());
  }

  /**
   * The ledger is too large to ship as a Raft snapshot, so this names the state (applied index
   * and state root) without carrying it; a follower behind the leader's compaction point cannot
   * be restored from it (see restore).
   */
  async snapshot(): Promise<ApplySnapshot> {
    await this.#tail;
    const index = this.#ledger.appliedIndex();
    const block = this.#ledger.lastBlock();
    assert(block !== undefined, 'a ledger with genesis has a last block');
    const data = new Uint8Array(snapshotMagic.length + 8 + 32);
    data.set(snapshotMagic, 0);
    new DataView(data.buffer).setBigUint64(snapshotMagic.length, index, true);
    data.set(block.header.stateRoot, snapshotMagic.length + 8);
    return { index: Number(index), data };
  }

  async restore(snapshot: ApplySnapshot): Promise<void> {
    throw failedPrecondition(
      `cannot install a snapshot at log index ${snapshot.index}: ledger snapshots carry no state (this ledger is at index ` +
        `${this.#ledger.appliedIndex()} in ${this.#ledger.directory}); a follower must catch up by replaying the log, so the ` +
        'leader must keep every entry a follower may still need (raft.snapshotEveryEntries bounds only what all have applied)',
    );
  }

  async #applyEntry(entry: CommittedEntry): Promise<void> {
    const applied = this.#ledger.appliedIndex();
    const index = BigInt(entry.index);
    if (index <= applied) return; // replayed after a restart: its effects are in the ledger already
    if (index !== applied + 1n) {
      throw failedPrecondition(
        `committed entry ${entry.index} does not follow the ledger's applied index ${applied} in ${this.#ledger.directory}; ` +
          'the log and the ledger disagree (was a data folder copied or partly deleted?)',
      );
    }
    if (entry.data.length === 0 || entry.data[0] !== entryKind.transactionBatch) {
      this.#ledger.recordAppliedIndex(index);
      this.#coordinator.entryApplied(entry.index);
      return;
    }
    await this.#applyBlock(entry);
  }

  async #applyBlock(entry: CommittedEntry): Promise<void> {
    const body = entry.data.subarray(1);
    const view = new LogEntryView(body);
    const shardCount = this.#shardCount;
    const shared = new SharedArrayBuffer(body.length);
    new Uint8Array(shared).set(body);
    const homeShards = new SharedArrayBuffer(Math.max(1, view.count));
    new Uint8Array(homeShards).set(homeShardsOf(view, shardCount));
    const context = this.#ledger.nextBlockContext({
      timestampMs: view.leaderTimestampMs,
      raftTerm: BigInt(entry.term),
      raftIndex: BigInt(entry.index),
      transactionsRoot: view.transactionsRoot(),
    });
    const shards = Array.from({ length: shardCount }, (_, shard) => shard);
    const phaseOne = await Promise.all(
      shards.map((shard) =>
        this.#pool.run({
          kind: 'execute-shard',
          shard,
          shardCount,
          entry: shared,
          entryBytes: body.length,
          homeShards,
          context,
          chain: this.#chain,
        }),
      ),
    );
    const phaseTwo = shards.map((shard) =>
      applyCredits(
        shard,
        shardCount,
        phaseOne.map((execution) => execution.creditsByShard[shard]!),
        this.#ledger,
        phaseOne[shard]!.writes,
      ),
    );
    const block = assembleBlock(context, view.count, phaseOne, phaseTwo);
    const batchIndexes = new Uint32Array(view.count);
    for (let position = 0; position < view.count; position++) batchIndexes[position] = view.batchIndex(position);
    this.#ledger.commitBlock({
      ...block,
      batchId: view.clientBatchId,
      batchIndexes,
      transactions: new EntryStoredTransactions(view),
      appliedIndex: BigInt(entry.index),
    });
    this.#logger.debug('block applied', { height: block.header.height, index: entry.index, transactions: view.count });
    this.#coordinator.blockApplied({
      entry: view,
      index: entry.index,
      batchIndexes,
      statuses: block.statuses,
      reasons: block.reasons,
      messages: block.messages,
      height: block.header.height,
      stateRoot: block.header.stateRoot,
    });
  }
}
