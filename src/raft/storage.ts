/**
 * The stable half of the log, as the Raft core sees it: everything the runtime has persisted
 * (hard state, latest snapshot, entries after it). The core only reads through `LogStorage`;
 * writes happen in the runtime, driven by Ready. `MemoryStorage` is a complete in-memory
 * implementation: the simulator uses it as the simulated disk, and a runtime can keep one as
 * the in-memory mirror of its durable log (load it from disk at start, update it with
 * `persistReady` after each durable write).
 */

import { assert, invalidArgument } from '../errors.js';
import {
  EMPTY_HARD_STATE,
  entrySizeBytes,
  type Entry,
  type HardState,
  type NodeId,
  type Ready,
  type Snapshot,
} from './types.js';

export interface LogStorage {
  /** The persisted term, vote and commit index (EMPTY_HARD_STATE for a fresh node). */
  hardState(): HardState;
  /** The latest persisted snapshot; a fresh node's has index 0 and the bootstrap membership. */
  snapshot(): Snapshot;
  /** snapshot().metadata.index + 1: the first index whose entry is stored. */
  firstIndex(): number;
  /** The last stored index (the snapshot index when no entries follow it). */
  lastIndex(): number;
  /** The term at `index` for firstIndex()-1 ≤ index ≤ lastIndex(); undefined outside. */
  term(index: number): number | undefined;
  /**
   * Entries [low, high), firstIndex() ≤ low ≤ high ≤ lastIndex()+1, stopping before the total
   * would pass `sizeBytesMax` — but always at least one entry when low < high.
   */
  entries(low: number, high: number, sizeBytesMax: number): Entry[];
}

export class MemoryStorage implements LogStorage {
  private hard: HardState = EMPTY_HARD_STATE;
  private snap: Snapshot;
  /** stored[k] has index snap.metadata.index + 1 + k. */
  private stored: Entry[] = [];

  constructor(snapshot: Snapshot) {
    this.snap = snapshot;
  }

  /** Storage for a brand-new member of a new cluster whose initial voters are `voters`. */
  static bootstrap(voters: readonly NodeId[]): MemoryStorage {
    if (voters.length === 0) throw invalidArgument('voters', 'a new cluster needs at least one voter');
    return new MemoryStorage({ metadata: { index: 0, term: 0, confState: { voters: [...voters] } }, data: new Uint8Array(0) });
  }

  /** Storage restored from what a runtime read back from disk at start. */
  static restore(snapshot: Snapshot, hardState: HardState, entries: readonly Entry[]): MemoryStorage {
    const storage = new MemoryStorage(snapshot);
    storage.append(entries);
    storage.setHardState(hardState);
    return storage;
  }

  hardState(): HardState {
    return this.hard;
  }

  snapshot(): Snapshot {
    return this.snap;
  }

  firstIndex(): number {
    return this.snap.metadata.index + 1;
  }

  lastIndex(): number {
    return this.snap.metadata.index + this.stored.length;
  }

  term(index: number): number | undefined {
    const offset = this.snap.metadata.index;
    if (index === offset) return this.snap.metadata.term;
    if (index < offset || index > this.lastIndex()) return undefined;
    return this.stored[index - offset - 1]!.term;
  }

  entries(low: number, high: number, sizeBytesMax: number): Entry[] {
    assert(low >= this.firstIndex() && high <= this.lastIndex() + 1 && low <= high, `entries [${low}, ${high}) outside stored [${this.firstIndex()}, ${this.lastIndex() + 1})`);
    const offset = this.snap.metadata.index + 1;
    const result: Entry[] = [];
    let sizeBytes = 0;
    for (let index = low; index < high; index++) {
      const entry = this.stored[index - offset]!;
      sizeBytes += entrySizeBytes(entry);
      if (result.length > 0 && sizeBytes > sizeBytesMax) break;
      result.push(entry);
    }
    return result;
  }

  /** All stored entries after the snapshot, for inspection and for writing out in tests. */
  allEntries(): readonly Entry[] {
    return this.stored;
  }

  setHardState(hardState: HardState): void {
    this.hard = hardState;
  }

  /** Appends entries, first deleting any stored entry at or after entries[0].index. */
  append(entries: readonly Entry[]): void {
    if (entries.length === 0) return;
    const first = entries[0]!.index;
    assert(first <= this.lastIndex() + 1, `append at ${first} would leave a gap after ${this.lastIndex()}`);
    for (let k = 1; k < entries.length; k++) assert(entries[k]!.index === first + k, 'appended entries must be contiguous');
    const offset = this.snap.metadata.index + 1;
    // Entries already covered by the snapshot are dropped (they are committed, so identical).
    const skip = Math.max(0, offset - first);
    if (skip >= entries.length) return;
    this.stored.length = Math.max(0, first + skip - offset);
    for (let k = skip; k < entries.length; k++) this.stored.push(entries[k]!);
  }

  /** Replaces the log with a snapshot received from the leader. */
  applySnapshot(snapshot: Snapshot): void {
    assert(snapshot.metadata.index > this.snap.metadata.index, `snapshot at ${snapshot.metadata.index} is not newer than ${this.snap.metadata.index}`);
    this.snap = snapshot;
    this.stored = [];
  }

  /** Records a locally made snapshot and discards the entries it covers. */
  compact(snapshot: Snapshot): void {
    const index = snapshot.metadata.index;
    if (index <= this.snap.metadata.index) return;
    assert(index <= this.lastIndex(), `cannot compact to ${index} beyond last index ${this.lastIndex()}`);
    assert(this.term(index) === snapshot.metadata.term, `compaction term ${snapshot.metadata.term} differs from stored term at ${index}`);
    this.stored = this.stored.slice(index - this.snap.metadata.index);
    this.snap = snapshot;
  }

  /** Step 1 of the Ready contract (types.ts) against this in-memory store. */
  persistReady(ready: Ready): void {
    if (ready.snapshot !== null) this.applySnapshot(ready.snapshot);
    this.append(ready.entries);
    if (ready.hardState !== null) this.setHardState(ready.hardState);
    if (ready.compaction !== null) this.compact(ready.compaction);
  }
}
