/**
 * The ledger's tx-hash index: transaction hash → (height, index, applied) of the occurrence a
 * read should see (occurrence.ts). Two parts, so the index never costs the node resident memory
 * in proportion to its size:
 *
 *   hot   two small LMDB tables in the ledger's environment. New blocks insert into the active
 *         one in the commit's own transaction (so the index is always exactly the committed
 *         blocks). When it holds hotEntriesMax entries it freezes and the other takes over.
 *   runs  immutable files sorted by hash, read with pread (run-file.ts): a frozen table is
 *         written out as a level-0 run, then cleared; mergeFanIn runs of one level merge into
 *         one of the next, up to levelMax.
 *
 * Why not one LMDB table, as before: its keys are random, so every insert touched a random leaf,
 * every leaf was copied on write to a new page, and the whole file ended up in the process's
 * RSS (2.2 GiB after 3M transactions, BENCHMARKS.md "Node memory"). Now the LMDB part stays the
 * size of two hot tables and the runs live in the OS page cache.
 *
 * Writing runs and merging them is work for another thread (IndexJob, runIndexJob); the writer
 * plans a job (nextJob), someone runs it, and the writer records it (completeJob) in one LMDB
 * transaction that also clears the frozen table or drops the merged runs from the manifest.
 * A crash between a job's file and its record leaves an orphan file, deleted on open.
 */
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Database, RootDatabase } from 'lmdb';
import { assert } from '../../errors.js';
import { txIndexEntryBytes } from '../store-records.js';
import {
  type HotTable,
  type IndexManifest,
  type IndexRun,
  decodeManifest,
  emptyManifest,
  encodeManifest,
  otherTable,
  runDirectory,
  runFileName,
  runPath,
} from './manifest.js';
import { isApplied, preferredOccurrence } from './occurrence.js';
import { RunFileWriter, RunReader } from './run-file.js';
import { mergeRunFiles } from './run-merge.js';

export interface TxHashIndexOptions {
  /**
   * Entries a hot table takes before it freezes. Default 16,384: every commit copies the leaves
   * it inserts into to new pages, and readers' snapshots keep old copies alive for a while, so
   * the LMDB file (and its resident pages) grows with the table: measured at full load
   * (bench:memory, 30 s), 10.3 MiB resident with 16,384, 53.8 MiB with 65,536.
   */
  hotEntriesMax?: number;
  /** Runs of one level merged into one of the next. Default 8. */
  mergeFanIn?: number;
  /**
   * Runs of this level are not merged further. Default 2: runs of up to 1,048,576 entries (a
   * merge into one takes a pool thread about a quarter of a second), so a lookup of a hash
   * not in the index reads two pages per million transactions of history.
   */
  levelMax?: number;
}

export type IndexJob =
  | { kind: 'write-hot-table'; ledgerDirectory: string; table: HotTable; sequence: number }
  | { kind: 'merge-runs'; ledgerDirectory: string; inputs: IndexRun[]; sequence: number; level: number };

export interface IndexJobResult {
  entryCount: number;
}

const manifestKey = 'txIndex';
const hotTableNames = ['txIndexHot0', 'txIndexHot1'] as const;

/** What a group commit restores when its transaction is rolled back. */
export interface IndexWriteState {
  manifest: IndexManifest;
  activeCount: number;
}

export class TxHashIndex {
  readonly #ledgerDirectory: string;
  readonly #root: RootDatabase;
  readonly #meta: Database<Uint8Array, string>;
  readonly #tables: readonly [Database<Uint8Array, Uint8Array>, Database<Uint8Array, Uint8Array>];
  readonly #writer: boolean;
  readonly #hotEntriesMax: number;
  readonly #mergeFanIn: number;
  readonly #levelMax: number;
  /** The writer's manifest, always the committed one outside a write transaction. */
  #manifest: IndexManifest;
  #activeCount: number;
  /** Open run files by sequence (this thread's; a deleted file stays readable while open). */
  readonly #runs = new Map<number, RunReader>();

  constructor(ledgerDirectory: string, root: RootDatabase, meta: Database<Uint8Array, string>, writer: boolean, options: TxHashIndexOptions = {}) {
    this.#ledgerDirectory = ledgerDirectory;
    this.#root = root;
    this.#meta = meta;
    this.#writer = writer;
    const binary = { keyEncoding: 'binary', encoding: 'binary' } as const;
    this.#tables = [root.openDB<Uint8Array, Uint8Array>({ name: hotTableNames[0], ...binary }), root.openDB<Uint8Array, Uint8Array>({ name: hotTableNames[1], ...binary })];
    this.#hotEntriesMax = options.hotEntriesMax ?? 16_384;
    this.#mergeFanIn = options.mergeFanIn ?? 8;
    this.#levelMax = options.levelMax ?? 2;
    assert(Number.isSafeInteger(this.#hotEntriesMax) && this.#hotEntriesMax >= 1, 'hotEntriesMax is a positive integer');
    assert(Number.isSafeInteger(this.#mergeFanIn) && this.#mergeFanIn >= 2, 'mergeFanIn is at least 2');
    assert(Number.isSafeInteger(this.#levelMax) && this.#levelMax >= 0, 'levelMax is a non-negative integer');
    this.#manifest = this.#readManifest();
    // Only the writer counts inserts; a reader's open stays free of a table scan.
    this.#activeCount = writer ? this.#tables[this.#manifest.active].getCount() : 0;
    if (writer) {
      mkdirSync(runDirectory(ledgerDirectory), { recursive: true });
      this.#removeOrphanFiles();
    }
  }

  // ---- writer, inside the commit's LMDB transaction ------------------------------------------

  /**
   * Indexes one block transaction. The common case, a hash the active table does not hold, is
   * one put; a hash it holds keeps the occurrence preferredOccurrence picks. Across tables and
   * runs nothing is read: lookups pick among all occurrences.
   */
  insert(txHash: Uint8Array, entry: Buffer): void {
    assert(this.#writer, 'only the ledger writer indexes transactions');
    assert(entry.length === txIndexEntryBytes, `a tx index entry is ${txIndexEntryBytes} bytes`);
    const table = this.#tables[this.#manifest.active];
    if (putIfAbsent(table, txHash, entry)) {
      this.#activeCount += 1;
      return;
    }
    const existing = table.get(txHash);
    assert(existing !== undefined, 'a tx index entry that refused an insert exists');
    const preferred = preferredOccurrence(existing, entry);
    if (preferred === entry) table.putSync(txHash, entry);
  }

  /** Freezes the active table once it is full and the other one has been written out. */
  endOfBlock(): void {
    if (this.#manifest.frozen || this.#activeCount < this.#hotEntriesMax) return;
    this.#manifest = { ...this.#manifest, active: otherTable(this.#manifest.active), frozen: true };
    assert(this.#tables[this.#manifest.active].getCount() === 0, 'the hot table taking over is empty');
    this.#activeCount = 0;
    this.#meta.putSync(manifestKey, encodeManifest(this.#manifest));
  }

  writeState(): IndexWriteState {
    return { manifest: this.#manifest, activeCount: this.#activeCount };
  }

  /** After a rolled-back transaction: back to the state before it. */
  restoreWriteState(state: IndexWriteState): void {
    this.#manifest = state.manifest;
    this.#activeCount = state.activeCount;
  }

  // ---- writer, maintenance outside commits ---------------------------------------------------

  /** The next job to run, if any: write out the frozen table first, then merge. */
  nextJob(): IndexJob | undefined {
    assert(this.#writer, 'only the ledger writer plans index jobs');
    const manifest = this.#manifest;
    if (manifest.frozen) {
      return { kind: 'write-hot-table', ledgerDirectory: this.#ledgerDirectory, table: otherTable(manifest.active), sequence: manifest.nextSequence };
    }
    for (let level = 0; level < this.#levelMax; level += 1) {
      const ofLevel = manifest.runs.filter((run) => run.level === level);
      if (ofLevel.length >= this.#mergeFanIn) {
        return { kind: 'merge-runs', ledgerDirectory: this.#ledgerDirectory, inputs: ofLevel.slice(0, this.#mergeFanIn), sequence: manifest.nextSequence, level: level + 1 };
      }
    }
    return undefined;
  }

  /**
   * Records a finished job in one LMDB transaction: the new run enters the manifest and the
   * frozen table is cleared, or the merged runs leave it; then the merged files are deleted.
   */
  completeJob(job: IndexJob, result: IndexJobResult): void {
    assert(this.#writer, 'only the ledger writer records index jobs');
    const manifest = this.#manifest;
    assert(job.sequence === manifest.nextSequence, `index job ${job.sequence} is the one planned (next sequence ${manifest.nextSequence})`);
    const run: IndexRun = { sequence: job.sequence, level: job.kind === 'write-hot-table' ? 0 : job.level, entryCount: result.entryCount };
    let next: IndexManifest;
    if (job.kind === 'write-hot-table') {
      assert(manifest.frozen && job.table === otherTable(manifest.active), `hot table ${job.table} is the frozen one`);
      next = { active: manifest.active, frozen: false, nextSequence: job.sequence + 1, runs: [...manifest.runs, run] };
    } else {
      const merged = new Set(job.inputs.map((input) => input.sequence));
      assert(job.inputs.every((input) => manifest.runs.some((held) => held.sequence === input.sequence)), 'merged runs are in the manifest');
      const runs = manifest.runs.filter((held) => !merged.has(held.sequence));
      next = { ...manifest, nextSequence: job.sequence + 1, runs: [...runs, run] };
    }
    this.#root.transactionSync(() => {
      if (job.kind === 'write-hot-table') this.#tables[job.table].clearSync();
      this.#meta.putSync(manifestKey, encodeManifest(next));
    });
    this.#manifest = next;
    if (job.kind === 'merge-runs') {
      for (const input of job.inputs) {
        this.#runs.get(input.sequence)?.close();
        this.#runs.delete(input.sequence);
        rmSync(runPath(this.#ledgerDirectory, input.sequence), { force: true });
      }
    }
  }

  /** Runs and hot-table entries, for reports and tests. */
  describe(): { manifest: IndexManifest; hotEntries: [number, number] } {
    const manifest = this.#currentManifest();
    return { manifest, hotEntries: [this.#tables[0].getCount(), this.#tables[1].getCount()] };
  }

  // ---- any thread --------------------------------------------------------------------------

  /**
   * Runs a planned job in this thread (a pool worker, or the writer in tests): writes the frozen
   * table's entries as a run, or merges runs. Reads a frozen table, which no commit changes.
   */
  runJob(job: IndexJob): IndexJobResult {
    const output = runPath(job.ledgerDirectory, job.sequence);
    if (job.kind === 'write-hot-table') {
      const table = this.#tables[job.table];
      // LMDB iterates keys in byte order: the run's order.
      const writer = new RunFileWriter(output, table.getCount());
      try {
        for (const { key, value } of table.getRange({})) writer.add(key, 0, value, 0);
        return { entryCount: writer.finish().entryCount };
      } catch (error) {
        writer.abort();
        throw error;
      }
    }
    return mergeRunFiles(
      job.inputs.map((input) => runPath(job.ledgerDirectory, input.sequence)),
      output,
    );
  }

  /** The entry (13 bytes, a copy) of the occurrence a read should see, or undefined. */
  lookup(txHash: Uint8Array): Uint8Array | undefined {
    try {
      return this.#lookupIn(this.#currentManifest(), txHash);
    } catch (error) {
      // A reader's snapshot may name runs a merge has since deleted: take a new snapshot once.
      if (this.#writer || (error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      this.#root.resetReadTxn();
      return this.#lookupIn(this.#currentManifest(), txHash);
    }
  }

  close(): void {
    for (const reader of this.#runs.values()) reader.close();
    this.#runs.clear();
  }

  #lookupIn(manifest: IndexManifest, txHash: Uint8Array): Uint8Array | undefined {
    // At most one occurrence of a hash is applied: once one is found, nothing can replace it.
    let found = copyOf(this.#tables[manifest.active].get(txHash));
    if (found !== undefined && isApplied(found)) return found;
    if (manifest.frozen) {
      found = preferred(found, copyOf(this.#tables[otherTable(manifest.active)].get(txHash)));
      if (found !== undefined && isApplied(found)) return found;
    }
    // Newest first: a recent transaction is found, applied, in the first run that holds it.
    for (let position = manifest.runs.length - 1; position >= 0; position -= 1) {
      found = preferred(found, this.#run(manifest.runs[position]!).lookup(txHash));
      if (found !== undefined && isApplied(found)) break;
    }
    this.#closeRunsNotIn(manifest);
    return found;
  }

  #run(run: IndexRun): RunReader {
    let reader = this.#runs.get(run.sequence);
    if (reader === undefined) {
      reader = RunReader.open(runPath(this.#ledgerDirectory, run.sequence));
      assert(reader.entryCount === run.entryCount, `run ${run.sequence} holds the ${run.entryCount} entries its manifest says, got ${reader.entryCount}`);
      this.#runs.set(run.sequence, reader);
    }
    return reader;
  }

  #closeRunsNotIn(manifest: IndexManifest): void {
    if (this.#runs.size <= manifest.runs.length) return;
    const held = new Set(manifest.runs.map((run) => run.sequence));
    for (const [sequence, reader] of this.#runs) {
      if (held.has(sequence)) continue;
      reader.close();
      this.#runs.delete(sequence);
    }
  }

  #currentManifest(): IndexManifest {
    return this.#writer ? this.#manifest : this.#readManifest();
  }

  #readManifest(): IndexManifest {
    const bytes = this.#meta.get(manifestKey);
    return bytes === undefined ? emptyManifest : decodeManifest(bytes);
  }

  /** Run files the manifest does not name: a job's output before its record, merged inputs, temp files. */
  #removeOrphanFiles(): void {
    const directory = runDirectory(this.#ledgerDirectory);
    const names = readdirSync(directory);
    const held = new Set(this.#manifest.runs.map((run) => runFileName(run.sequence)));
    for (const name of names) {
      if (!held.has(name)) rmSync(join(directory, name), { force: true });
    }
  }
}

function preferred(a: Uint8Array | undefined, b: Uint8Array | undefined): Uint8Array | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return preferredOccurrence(a, b);
}

function copyOf(bytes: Uint8Array | undefined): Uint8Array | undefined {
  return bytes === undefined ? undefined : new Uint8Array(bytes);
}

/**
 * Puts unless the key exists; true when it put. lmdb-js's putSync returns that at run time (in a
 * write transaction: whether the put succeeded, false for an existing key under noOverwrite),
 * though its types say void.
 */
function putIfAbsent(database: Database<Uint8Array, Uint8Array>, key: Uint8Array, value: Uint8Array): boolean {
  const put = database.putSync as unknown as (key: Uint8Array, value: Uint8Array, options: { noOverwrite: true }) => boolean;
  const inserted = put.call(database, key, value, { noOverwrite: true });
  assert(typeof inserted === 'boolean', 'lmdb-js putSync answers whether it wrote');
  return inserted;
}
