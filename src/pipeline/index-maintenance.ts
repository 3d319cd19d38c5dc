/**
 * Keeps the ledger's tx-hash index in shape while blocks commit: after each commit, if the
 * ledger has an index job due (a full hot table to write out as a run, runs to merge), run it on
 * the shard pool and record it when it is done, one job at a time. The jobs are file work, off
 * the main thread; recording one is a small LMDB transaction between commits.
 */
import type { ShardPool } from '../exec/shard-pool.js';
import type { LedgerStore } from '../ledger/index.js';

export class IndexMaintenance {
  readonly #ledger: LedgerStore;
  readonly #pool: ShardPool;
  readonly #onFatal: (error: unknown) => void;
  #running: Promise<void> | undefined;
  #closed = false;

  constructor(ledger: LedgerStore, pool: ShardPool, onFatal: (error: unknown) => void) {
    this.#ledger = ledger;
    this.#pool = pool;
    this.#onFatal = onFatal;
  }

  /** Starts the next job if one is due and none is running. */
  afterCommit(): void {
    if (this.#running !== undefined || this.#closed) return;
    const job = this.#ledger.nextIndexJob();
    if (job === undefined) return;
    this.#running = this.#pool.run({ kind: 'index-job', job }).then(
      (result) => {
        this.#running = undefined;
        // Closing: the job's file is an orphan the next open removes; the job runs again then.
        if (this.#closed) return;
        this.#ledger.completeIndexJob(job, result);
        this.afterCommit();
      },
      (error: unknown) => {
        this.#running = undefined;
        // Without its upkeep the hot table would grow without bound: a disk error here is fatal.
        this.#onFatal(error);
      },
    );
  }

  /** Lets a running job finish without recording it. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.#running;
  }
}
