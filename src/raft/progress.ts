/**
 * The leader's view of one follower's log (§5.3, and etcd's progress states):
 * - probe: the leader does not know where the logs agree; one append at a time, resent after
 *   a heartbeat response, backing off using the follower's rejection hints.
 * - replicate: the logs agree up to `match`; appends are pipelined up to the in-flight window.
 * - snapshot: the needed entries were compacted; an InstallSnapshot is outstanding.
 */

import { assert } from '../errors.js';
import { Inflights } from './inflights.js';

export type ProgressState = 'probe' | 'replicate' | 'snapshot';

export class Progress {
  /** Highest index known to be replicated on the follower. */
  match = 0;
  /** Next index to send. */
  next: number;
  state: ProgressState = 'probe';
  /** In snapshot state: the index of the snapshot sent. */
  pendingSnapshotIndex = 0;
  /** Leader ticks since this follower last acknowledged anything new (or changed state). */
  ticksWithoutProgress = 0;
  /** In probe state: an append was sent and the leader waits for a reply or a heartbeat. */
  probeSent = false;
  /** The follower answered since the last check-quorum round. */
  recentActive = false;
  readonly inflights: Inflights;

  constructor(next: number, inflightEntriesMax: number, inflightBytesMax: number) {
    this.next = next;
    this.inflights = new Inflights(inflightEntriesMax, inflightBytesMax);
  }

  private resetState(state: ProgressState): void {
    this.probeSent = false;
    this.pendingSnapshotIndex = 0;
    this.ticksWithoutProgress = 0;
    this.state = state;
    this.inflights.reset();
  }

  becomeProbe(): void {
    // After a snapshot the follower has at least the snapshot's entries.
    if (this.state === 'snapshot') {
      const pendingSnapshotIndex = this.pendingSnapshotIndex;
      this.resetState('probe');
      this.next = Math.max(this.match + 1, pendingSnapshotIndex + 1);
    } else {
      this.resetState('probe');
      this.next = this.match + 1;
    }
  }

  becomeReplicate(): void {
    this.resetState('replicate');
    this.next = this.match + 1;
  }

  becomeSnapshot(snapshotIndex: number): void {
    this.resetState('snapshot');
    this.pendingSnapshotIndex = snapshotIndex;
  }

  /** An acknowledgement up to `index`; returns whether it told us anything new. */
  maybeUpdate(index: number): boolean {
    let updated = false;
    if (this.match < index) {
      this.match = index;
      updated = true;
      this.probeSent = false;
      this.ticksWithoutProgress = 0;
    }
    this.next = Math.max(this.next, index + 1);
    return updated;
  }

  /** Records an append carrying entries up to `lastIndex` (entryCount may be 0 for commit-only). */
  sentEntries(lastIndex: number, entryCount: number, sizeBytes: number): void {
    if (this.state === 'replicate') {
      if (entryCount > 0) {
        this.inflights.add(lastIndex, entryCount, sizeBytes);
        this.next = lastIndex + 1;
      }
    } else if (this.state === 'probe') {
      this.probeSent = true;
    } else {
      assert(false, 'appends are not sent in snapshot state');
    }
  }

  /**
   * A rejection of the append whose preceding index was `rejectedIndex`; `matchHint` is the
   * highest index the logs may agree at. Returns false when the rejection is stale.
   */
  maybeDecreaseTo(rejectedIndex: number, matchHint: number): boolean {
    if (this.state === 'replicate') {
      if (rejectedIndex <= this.match) return false;
      this.next = this.match + 1;
      return true;
    }
    if (this.next - 1 !== rejectedIndex) return false;
    this.next = Math.max(Math.min(rejectedIndex, matchHint + 1), this.match + 1);
    this.probeSent = false;
    return true;
  }

  isPaused(): boolean {
    switch (this.state) {
      case 'probe':
        return this.probeSent;
      case 'replicate':
        return this.inflights.full();
      case 'snapshot':
        return true;
    }
  }
}
