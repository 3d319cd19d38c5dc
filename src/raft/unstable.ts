/**
 * The unstable half of the log: entries (and possibly a snapshot received from the leader) that
 * the core has accepted but the runtime has not yet reported persisted. `offset` is the index
 * of entries[0]; entries at or after `offset` shadow whatever storage still holds there.
 */

import { assert } from '../errors.js';
import type { Entry, Snapshot } from './types.js';

export class Unstable {
  snapshot: Snapshot | null = null;
  entries: Entry[] = [];
  offset: number;

  constructor(offset: number) {
    this.offset = offset;
  }

  /** The first index known only from a pending snapshot, if there is one. */
  maybeFirstIndex(): number | undefined {
    return this.snapshot === null ? undefined : this.snapshot.metadata.index + 1;
  }

  maybeLastIndex(): number | undefined {
    if (this.entries.length > 0) return this.offset + this.entries.length - 1;
    return this.snapshot === null ? undefined : this.snapshot.metadata.index;
  }

  /** The term at `index` when this segment decides it; undefined sends the caller to storage. */
  maybeTerm(index: number): number | undefined {
    if (index < this.offset) {
      if (this.snapshot !== null && this.snapshot.metadata.index === index) return this.snapshot.metadata.term;
      return undefined;
    }
    const last = this.maybeLastIndex();
    if (last === undefined || index > last) return undefined;
    return this.entries[index - this.offset]!.term;
  }

  /** The runtime persisted entries up to `index` (with `term`): drop them from this segment. */
  stableTo(index: number, term: number): void {
    if (index < this.offset) return;
    // A later append may have replaced the entry; then the persisted one is already obsolete.
    if (this.maybeTerm(index) !== term) return;
    this.entries = this.entries.slice(index + 1 - this.offset);
    this.offset = index + 1;
  }

  stableSnapshotTo(index: number): void {
    if (this.snapshot !== null && this.snapshot.metadata.index === index) this.snapshot = null;
  }

  restore(snapshot: Snapshot): void {
    this.offset = snapshot.metadata.index + 1;
    this.entries = [];
    this.snapshot = snapshot;
  }

  /** Appends entries that directly follow or replace part of this segment or stable storage. */
  truncateAndAppend(entries: readonly Entry[]): void {
    assert(entries.length > 0, 'truncateAndAppend needs entries');
    const after = entries[0]!.index;
    if (after === this.offset + this.entries.length) {
      for (const entry of entries) this.entries.push(entry);
    } else if (after <= this.offset) {
      // Replaces everything unstable, and shadows stable entries from `after` on.
      this.offset = after;
      this.entries = entries.slice();
    } else {
      this.entries = this.entries.slice(0, after - this.offset);
      for (const entry of entries) this.entries.push(entry);
    }
  }

  /** Entries [low, high) held here; the caller checks the bounds. */
  slice(low: number, high: number): Entry[] {
    assert(low >= this.offset && high <= this.offset + this.entries.length && low <= high, `unstable slice [${low}, ${high}) outside [${this.offset}, ${this.offset + this.entries.length})`);
    return this.entries.slice(low - this.offset, high - this.offset);
  }
}
