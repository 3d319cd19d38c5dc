/**
 * The coordinator's applying half: the ApplyTarget the Raft runtime delivers committed entries
 * to, in log order, on every replica (docs/pipeline.md steps 11 to 14).
 *
 * A transaction-batch entry becomes one block:
 *   phase 1   per shard, its home transactions in log order (src/ledger executeShard). A block
 *             of up to `inlineExecutionTransactionsMax` transactions runs it here, shard after
 *             shard; a larger one as one execute-shard task per shard on the pool, every task
 *             reading the same entry bytes in a SharedArrayBuffer and the home shards computed
 *             once here. Either way the outcome is the same (executeShard is pure and reads
 *             the state the previous block committed); see the constant for why.
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
import { type BlockContext, type ChainParameters, type LedgerStore, type ShardExecution, applyCredits, assembleBlock, executeShard, homeShardsOf } from '../ledger/index.js';
import type { Logger } from '../log/logger.js';
import { LogEntryView } from '../wire/index.js';
import type { AppliedBlock, Coordinator } from './coordinator.js';
import { type ApplySnapshot, type ApplyTarget, type CommittedEntry, entryKind } from './ordering.js';
import { EntryStoredTransactions } from './stored-transactions.js';

export interface BlockApplierOptions {
  ledger: LedgerStore;
  pool: ShardPool;
  shardCount: number;
  coordinator: Coordinator;
  logger: Logger;
}

/**
 * Blocks up to this many transactions run phase 1 on this thread. A pool task is two thread
 * hops and a structured clone of every changed account each way, and it queues behind the
 * verify and seal tasks already running (measured on 2 cores: 2.7 ms per 32-transaction block
 * waiting on the pool against ~0.1 ms of work; for 8,192-transaction blocks 70–90 ms waiting
 * against ~6 ms per shard of work). Blocks are applied one after another, so that wait bounded
 * the whole node's block rate. Above the bound (possible only with larger batches than the
 * bench profile's 8,192) the shards run in parallel on the pool.
 */
const inlineExecutionTransactionsMax = 8192;

/**
 * Bounds of one group of entries applied in one LMDB transaction: the entries the Raft thread
 * handed over together (or that queued while the previous group was applied). Under load a
 * group saves an LMDB commit and a thread hop of answers per block; idle, a group is one entry
 * and waits for nothing. The transaction bound keeps one write transaction (and the time
 * answers wait for it) about the size of one large block.
 */
const groupEntriesMax = 64;
const groupTransactionsMax = 8192;

/** What applying one entry did, reported to the coordinator after its group committed. */
type EntryOutcome = { kind: 'skipped' } | { kind: 'no-op'; index: number } | { kind: 'block'; block: AppliedBlock };

/** A committed entry, with its block's view when it carries a transaction batch. */
interface EntryToApply {
  entry: CommittedEntry;
  view: LogEntryView | undefined;
}

function entryToApply(entry: CommittedEntry): EntryToApply {
  const isBlock = entry.data.length > 0 && entry.data[0] === entryKind.transactionBatch;
  return { entry, view: isBlock ? new LogEntryView(entry.data.subarray(1)) : undefined };
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
  readonly #shards: readonly number[];
  /** Calls to apply() run one after another even if a caller does not wait. */
  #tail: Promise<void> = Promise.resolve();

  constructor(options: BlockApplierOptions) {
    this.#ledger = options.ledger;
    this.#pool = options.pool;
    this.#shardCount = options.shardCount;
    this.#coordinator = options.coordinator;
    this.#chain = options.ledger.chainParameters();
    this.#logger = options.logger;
    this.#shards = Array.from({ length: options.shardCount }, (_, shard) => shard);
  }

  apply(entries: CommittedEntry[]): Promise<void> {
    const run = this.#tail.then(() => this.#applyAll(entries));
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

  /**
   * Applies entries in log order: runs of entries that execute on this thread go in groups of
   * one LMDB transaction each (commitTogether); a block for the pool goes alone. Answers go out
   * once the group's transaction has committed, so a client that reads after its receipt finds
   * what the receipt says.
   */
  async #applyAll(entries: readonly CommittedEntry[]): Promise<void> {
    const items = entries.map(entryToApply);
    let position = 0;
    while (position < items.length) {
      const first = items[position]!;
      if (first.view !== undefined && first.view.count > inlineExecutionTransactionsMax) {
        const outcome = await this.#applyBlockOnPool(first.entry, first.view);
        this.#report([outcome]);
        position += 1;
        continue;
      }
      const group: EntryToApply[] = [];
      let transactions = 0;
      while (position < items.length && group.length < groupEntriesMax) {
        const count = items[position]!.view?.count ?? 0;
        if (count > inlineExecutionTransactionsMax || (group.length > 0 && transactions + count > groupTransactionsMax)) break;
        group.push(items[position]!);
        transactions += count;
        position += 1;
      }
      const outcomes = this.#ledger.commitTogether(() => group.map((item) => this.#applyEntryHere(item)));
      this.#report(outcomes);
    }
  }

  /** Checks that `entry` is the next one to apply; false when it was applied before a restart. */
  #isNext(entry: CommittedEntry): boolean {
    const applied = this.#ledger.appliedIndex();
    const index = BigInt(entry.index);
    if (index <= applied) return false; // replayed after a restart: its effects are in the ledger already
    if (index !== applied + 1n) {
      throw failedPrecondition(
        `committed entry ${entry.index} does not follow the ledger's applied index ${applied} in ${this.#ledger.directory}; ` +
          'the log and the ledger disagree (was a data folder copied or partly deleted?)',
      );
    }
    return true;
  }

  /** Inside a commitTogether group: one entry, executed here. */
  #applyEntryHere({ entry, view }: EntryToApply): EntryOutcome {
    if (!this.#isNext(entry)) return { kind: 'skipped' };
    if (view === undefined) {
      this.#ledger.recordAppliedIndex(BigInt(entry.index));
      return { kind: 'no-op', index: entry.index };
    }
    const context = this.#contextOf(entry, view);
    return this.#finishBlock(entry, view, context, this.#executeHere(view, context));
  }

  async #applyBlockOnPool(entry: CommittedEntry, view: LogEntryView): Promise<EntryOutcome> {
    if (!this.#isNext(entry)) return { kind: 'skipped' };
    const context = this.#contextOf(entry, view);
    const phaseOne = await this.#executeOnPool(view, context);
    return this.#ledger.commitTogether(() => this.#finishBlock(entry, view, context, phaseOne));
  }

  /** Answers, in log order, what a group committed. */
  #report(outcomes: readonly EntryOutcome[]): void {
    for (const outcome of outcomes) {
      if (outcome.kind === 'block') this.#coordinator.blockApplied(outcome.block);
      else if (outcome.kind === 'no-op') this.#coordinator.entryApplied(outcome.index);
    }
  }

  #contextOf(entry: CommittedEntry, view: LogEntryView): BlockContext {
    return this.#ledger.nextBlockContext({
      timestampMs: view.leaderTimestampMs,
      raftTerm: BigInt(entry.term),
      raftIndex: BigInt(entry.index),
      transactionsRoot: view.transactionsRoot(),
    });
  }

  /** Phase 1 on this thread: it reads the state as written so far (earlier blocks of the group included). */
  #executeHere(view: LogEntryView, context: BlockContext): ShardExecution[] {
    const homeShards = homeShardsOf(view, this.#shardCount);
    return this.#shards.map((shard) => executeShard(shard, this.#shardCount, view, this.#ledger, context, this.#chain, homeShards));
  }

  #executeOnPool(view: LogEntryView, context: BlockContext): Promise<ShardExecution[]> {
    const shardCount = this.#shardCount;
    const body = view.bytes;
    const shared = new SharedArrayBuffer(body.length);
    new Uint8Array(shared).set(body);
    const homeShards = new SharedArrayBuffer(Math.max(1, view.count));
    new Uint8Array(homeShards).set(homeShardsOf(view, shardCount));
    return Promise.all(
      this.#shards.map((shard) =>
        this.#pool.run({ kind: 'execute-shard', shard, shardCount, entry: shared, entryBytes: body.length, homeShards, context, chain: this.#chain }),
      ),
    );
  }

  /** Phase 2, assembly and the block's writes; inside a commitTogether group. */
  #finishBlock(entry: CommittedEntry, view: LogEntryView, context: BlockContext, phaseOne: ShardExecution[]): EntryOutcome {
    const shardCount = this.#shardCount;
    const phaseTwo = this.#shards.map((shard) =>
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
    return {
      kind: 'block',
      block: {
        entry: view,
        index: entry.index,
        batchIndexes,
        statuses: block.statuses,
        reasons: block.reasons,
        messages: block.messages,
        height: block.header.height,
        stateRoot: block.header.stateRoot,
      },
    };
  }
}
