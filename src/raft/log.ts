/**
 * The replicated log as one node sees it: stable storage (compacted up to its snapshot) plus
 * the unstable tail, with the commit and apply cursors. Invariants, asserted where they move:
 * firstIndex-1 ≤ applied ≤ committed ≤ lastIndex, and committed entries are never replaced.
 */

import { assert } from '../errors.js';
import type { LogStorage } from './storage.js';
import { Unstable } from './unstable.js';
import { assertSafeCount, entrySizeBytes, type Entry, type Snapshot } from './types.js';

/** Where a follower's log and a probe agree at best (see findConflictByTerm). */
export interface TermHint {
  readonly index: number;
  readonly term: number;
}

export class RaftLog {
  readonly storage: LogStorage;
  readonly unstable: Unstable;
  committed: number;
  applied: number;

  constructor(storage: LogStorage, appliedIndex: number) {
    this.storage = storage;
    const firstIndex = storage.firstIndex();
    this.unstable = new Unstable(storage.lastIndex() + 1);
    this.committed = Math.max(storage.hardState().commit, firstIndex - 1);
    assert(appliedIndex >= firstIndex - 1 && appliedIndex <= this.committed, `applied index ${appliedIndex} must be within [snapshot index ${firstIndex - 1}, commit ${this.committed}]`);
    assert(this.committed <= storage.lastIndex(), `persisted commit ${this.committed} is beyond the last stored index ${storage.lastIndex()}`);
    this.applied = appliedIndex;
  }

  firstIndex(): number {
    return this.unstable.maybeFirstIndex() ?? this.storage.firstIndex();
  }

  lastIndex(): number {
    return this.unstable.maybeLastIndex() ?? this.storage.lastIndex();
  }

  /** The term at `index` for firstIndex-1 ≤ index ≤ lastIndex; undefined when compacted or absent. */
  term(index: number): number | undefined {
    const unstableTerm = this.unstable.maybeTerm(index);
    if (unstableTerm !== undefined) return unstableTerm;
    if (index + 1 < this.firstIndex() || index > this.lastIndex()) return undefined;
    return this.storage.term(index);
  }

  lastTerm(): number {
    const term = this.term(this.lastIndex());
    assert(term !== undefined, `the last index ${this.lastIndex()} must have a term`);
    return term;
  }

  matchTerm(index: number, term: number): boolean {
    return this.term(index) === term;
  }

  /** §5.4.1: is a log ending at (lastIndex, lastTerm) at least as up to date as ours? */
  isUpToDate(lastIndex: number, lastTerm: number): boolean {
    const ourLastTerm = this.lastTerm();
    return lastTerm > ourLastTerm || (lastTerm === ourLastTerm && lastIndex >= this.lastIndex());
  }

  /** The pending snapshot if there is one, else the stored one. */
  snapshot(): Snapshot {
    return this.unstable.snapshot ?? this.storage.snapshot();
  }

  /**
   * The follower side of AppendEntries: if our entry at `index` has `logTerm`, merge `entries`
   * after it and advance commit to min(commit, last new index). Returns the last new index, or
   * undefined when the consistency check fails.
   */
  maybeAppend(index: number, logTerm: number, commit: number, entries: readonly Entry[]): number | undefined {
    if (!this.matchTerm(index, logTerm)) return undefined;
    const lastNewIndex = index + entries.length;
    const conflictIndex = this.findConflict(entries);
    if (conflictIndex !== 0) {
      assert(conflictIndex > this.committed, `entry ${conflictIndex} conflicts with the committed prefix (commit ${this.committed})`);
      this.append(entries.slice(conflictIndex - (index + 1)));
    }
    this.commitTo(Math.min(commit, lastNewIndex));
    return lastNewIndex;
  }

  /** Appends entries that follow index entries[0].index-1; returns the new last index. */
  append(entries: readonly Entry[]): number {
    if (entries.length === 0) return this.lastIndex();
    const after = entries[0]!.index - 1;
    assert(after >= this.committed, `cannot overwrite committed entries: append after ${after} < commit ${this.committed}`);
    assert(after <= this.lastIndex(), `append after ${after} leaves a gap after last index ${this.lastIndex()}`);
    for (const entry of entries) assertSafeCount(entry.index, 'entry index');
    this.unstable.truncateAndAppend(entries);
    return this.lastIndex();
  }

  /**
   * The index of the first entry in `entries` that is absent from our log or has a different
   * term there; 0 when every entry is already present.
   */
  findConflict(entries: readonly Entry[]): number {
    for (const entry of entries) {
      if (!this.matchTerm(entry.index, entry.term)) return entry.index;
    }
    return 0;
  }

  /**
   * The largest index ≤ `index` whose term is ≤ `term` (and that term), for the fast
   * backtracking hint: every entry between it and `index` is certainly not shared with a log
   * whose entry at `index` has term `term`.
   */
  findConflictByTerm(index: number, term: number): TermHint {
    let probe = Math.min(index, this.lastIndex());
    for (;;) {
      const probeTerm = this.term(probe);
      if (probeTerm === undefined) return { index: probe, term: 0 };
      if (probeTerm <= term) return { index: probe, term: probeTerm };
      probe -= 1;
    }
  }

  commitTo(commit: number): void {
    if (commit <= this.committed) return;
    assert(commit <= this.lastIndex(), `commit ${commit} is beyond the last index ${this.lastIndex()}`);
    this.committed = commit;
  }

  /** Leader: commit up to `index` if that entry has `term` (the §5.4.2 rule's caller checks term). */
  maybeCommit(index: number, term: number | undefined): boolean {
    if (index <= this.committed) return false;
    if (term !== undefined && this.term(index) !== term) return false;
    this.commitTo(index);
    return true;
  }

  appliedTo(index: number): void {
    if (index === 0) return;
    assert(index <= this.committed && index >= this.applied, `applied ${index} must be within [${this.applied}, commit ${this.committed}]`);
    this.applied = index;
  }

  hasPendingSnapshot(): boolean {
    return this.unstable.snapshot !== null;
  }

  /** Committed entries not yet applied, up to `sizeBytesMax` (at least one). */
  nextCommittedEntries(sizeBytesMax: number): Entry[] {
    if (this.hasPendingSnapshot()) return [];
    const low = Math.max(this.applied + 1, this.firstIndex());
    if (low > this.committed) return [];
    const slice = this.slice(low, this.committed + 1, Number.MAX_SAFE_INTEGER, sizeBytesMax);
    assert(slice !== 'compacted', `committed entries from ${low} must not be compacted`);
    return slice;
  }

  unstableEntries(): Entry[] {
    return this.unstable.entries.slice();
  }

  stableTo(index: number, term: number): void {
    this.unstable.stableTo(index, term);
  }

  stableSnapshotTo(index: number): void {
    this.unstable.stableSnapshotTo(index);
  }

  /** Replaces the whole log with a snapshot from the leader. */
  restore(snapshot: Snapshot): void {
    assert(snapshot.metadata.index > this.committed, `snapshot ${snapshot.metadata.index} must be newer than commit ${this.committed}`);
    this.committed = snapshot.metadata.index;
    this.unstable.restore(snapshot);
  }

  /**
   * Entries [low, high) limited to `entriesMax` and `sizeBytesMax` (always at least one when
   * low < high), or 'compacted' when `low` is below the first stored index.
   */
  slice(low: number, high: number, entriesMax: number, sizeBytesMax: number): Entry[] | 'compacted' {
    assert(low <= high, `slice bounds [${low}, ${high}) are inverted`);
    if (low < this.firstIndex()) return 'compacted';
    assert(high <= this.lastIndex() + 1, `slice end ${high} is beyond last index ${this.lastIndex()}`);
    if (low === high) return [];
    const cappedHigh = Math.min(high, low + Math.max(1, entriesMax));
    const result: Entry[] = [];
    const offset = this.unstable.offset;
    if (low < offset) {
      const stored = this.storage.entries(low, Math.min(cappedHigh, offset), sizeBytesMax);
      for (const entry of stored) result.push(entry);
      if (result.length < Math.min(cappedHigh, offset) - low) return result;
    }
    if (cappedHigh > offset) {
      let sizeBytes = 0;
      for (const entry of result) sizeBytes += entrySizeBytes(entry);
      for (const entry of this.unstable.slice(Math.max(low, offset), cappedHigh)) {
        sizeBytes += entrySizeBytes(entry);
        if (result.length > 0 && sizeBytes > sizeBytesMax) break;
        result.push(entry);
      }
    }
    return result;
  }
}
