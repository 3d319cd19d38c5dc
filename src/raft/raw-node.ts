/**
 * RawNode: the Raft core's public face, in the shape of etcd-io/raft's RawNode. Feed it inputs
 * (`tick`, `step`, `propose`, ...), then take a Ready, carry it out (see the contract on `Ready`
 * in types.ts: persist, then send, then apply) and call `advance`. Restarting from disk is just
 * constructing a new RawNode over storage that holds what was persisted.
 */

import { assert, invalidArgument } from '../errors.js';
import type { ConfChange } from './conf-change.js';
import type { RaftOptions } from './options.js';
import type { ProgressState } from './progress.js';
import { Raft, type ProposalResult, type TransferResult } from './raft.js';
import { hardStateEqual, type HardState, type Message, type NodeId, type Ready, type Role, type Snapshot, type SoftState } from './types.js';

export interface FollowerProgressStatus {
  readonly match: number;
  readonly next: number;
  readonly state: ProgressState;
  readonly inflightEntries: number;
  readonly inflightBytes: number;
}

export interface RawNodeStatus {
  readonly id: NodeId;
  readonly term: number;
  readonly vote: NodeId;
  readonly commit: number;
  readonly applied: number;
  readonly firstIndex: number;
  readonly lastIndex: number;
  readonly role: Role;
  readonly leaderId: NodeId;
  readonly voters: readonly NodeId[];
  readonly leadTransferee: NodeId;
  /** Leader only: its view of every voter, itself included. */
  readonly progress: ReadonlyMap<NodeId, FollowerProgressStatus>;
}

export class RawNode {
  private readonly raft: Raft;
  private previousHardState: HardState;
  private previousSoftState: SoftState;
  private outstanding: Ready | null = null;
  private pendingCompaction: Snapshot | null = null;

  constructor(options: RaftOptions) {
    this.raft = new Raft(options);
    this.previousHardState = options.storage.hardState();
    this.previousSoftState = this.softState();
  }

  private assertNoOutstandingReady(operation: string): void {
    assert(this.outstanding === null, `${operation} called between ready() and advance()`);
  }

  tick(): void {
    this.assertNoOutstandingReady('tick');
    this.raft.tick();
  }

  /** A message from a peer. Throws invalid_argument (and changes nothing) if it is malformed. */
  step(message: Message): void {
    this.assertNoOutstandingReady('step');
    this.raft.step(message);
  }

  /** Starts an election now, as if the election timeout had fired. */
  campaign(): void {
    this.assertNoOutstandingReady('campaign');
    this.raft.startElection(false);
  }

  /**
   * Appends `data` as a normal entry if this node is the leader. All proposals made before the
   * next `ready()` travel in one append per follower and one disk write.
   */
  propose(data: Uint8Array): ProposalResult {
    this.assertNoOutstandingReady('propose');
    return this.raft.propose(data);
  }

  /** Proposes a single-server membership change; it takes effect when applied (see conf-change.ts). */
  proposeConfChange(change: ConfChange): ProposalResult {
    this.assertNoOutstandingReady('proposeConfChange');
    return this.raft.proposeConfChange(change);
  }

  /** Hands leadership to voter `to` (catch it up, then TimeoutNow). Proposals are refused meanwhile. */
  transferLeadership(to: NodeId): TransferResult {
    this.assertNoOutstandingReady('transferLeadership');
    return this.raft.transferLeadership(to);
  }

  /**
   * Schedules log compaction: `snapshotData` is the state machine as of applied index `index`.
   * The next Ready carries it as `compaction`. Returns false when the log is already compacted
   * at or beyond `index`.
   */
  compact(index: number, snapshotData: Uint8Array): boolean {
    this.assertNoOutstandingReady('compact');
    const log = this.raft.log;
    if (!Number.isSafeInteger(index) || index < 0) throw invalidArgument('index', `must be a non-negative integer, got ${index}`);
    if (index > log.applied) throw invalidArgument('index', `cannot compact at ${index} beyond the applied index ${log.applied}`);
    const compactedIndex = Math.max(log.snapshot().metadata.index, this.pendingCompaction?.metadata.index ?? 0);
    if (index <= compactedIndex) return false;
    const term = log.term(index);
    assert(term !== undefined, `applied index ${index} must have a term`);
    this.pendingCompaction = {
      metadata: { index, term, confState: this.raft.membership.confStateAt(index) },
      data: snapshotData,
    };
    return true;
  }

  reportUnreachable(to: NodeId): void {
    this.assertNoOutstandingReady('reportUnreachable');
    this.raft.reportUnreachable(to);
  }

  reportSnapshot(to: NodeId, status: 'delivered' | 'failed'): void {
    this.assertNoOutstandingReady('reportSnapshot');
    this.raft.reportSnapshot(to, status);
  }

  private softState(): SoftState {
    return { leaderId: this.raft.leaderId, role: this.raft.role };
  }

  private hardState(): HardState {
    return { term: this.raft.term, vote: this.raft.vote, commit: this.raft.log.committed };
  }

  hasReady(): boolean {
    this.assertNoOutstandingReady('hasReady');
    const raft = this.raft;
    raft.flushBroadcast();
    const soft = this.softState();
    return (
      raft.messages.length > 0 ||
      raft.log.unstable.entries.length > 0 ||
      raft.log.hasPendingSnapshot() ||
      this.pendingCompaction !== null ||
      !hardStateEqual(this.hardState(), this.previousHardState) ||
      soft.leaderId !== this.previousSoftState.leaderId ||
      soft.role !== this.previousSoftState.role ||
      (raft.log.committed > raft.log.applied && !raft.log.hasPendingSnapshot())
    );
  }

  /** The next batch of work, or null when there is none. See the contract on `Ready`. */
  ready(): Ready | null {
    this.assertNoOutstandingReady('ready');
    if (!this.hasReady()) return null;
    const raft = this.raft;
    const soft = this.softState();
    const hard = this.hardState();
    const softChanged = soft.leaderId !== this.previousSoftState.leaderId || soft.role !== this.previousSoftState.role;
    const hardChanged = !hardStateEqual(hard, this.previousHardState);
    const entries = raft.log.unstableEntries();
    const snapshot = raft.log.unstable.snapshot;
    const termOrVoteChanged = hard.term !== this.previousHardState.term || hard.vote !== this.previousHardState.vote;
    const ready: Ready = {
      softState: softChanged ? soft : null,
      hardState: hardChanged ? hard : null,
      snapshot,
      entries,
      compaction: this.pendingCompaction,
      messages: raft.messages,
      committedEntries: raft.log.nextCommittedEntries(raft.options.readyCommittedBytesMax),
      mustSync: entries.length > 0 || termOrVoteChanged || snapshot !== null,
    };
    raft.messages = [];
    this.pendingCompaction = null;
    this.outstanding = ready;
    return ready;
  }

  /** Reports that `ready` was persisted, sent and applied (in that order). */
  advance(ready: Ready): void {
    assert(this.outstanding === ready, 'advance() must be given the Ready returned by the last ready()');
    this.outstanding = null;
    const raft = this.raft;
    if (ready.hardState !== null) this.previousHardState = ready.hardState;
    if (ready.softState !== null) this.previousSoftState = ready.softState;
    if (ready.snapshot !== null) {
      raft.log.stableSnapshotTo(ready.snapshot.metadata.index);
      raft.log.appliedTo(ready.snapshot.metadata.index);
    }
    if (ready.entries.length > 0) {
      const last = ready.entries[ready.entries.length - 1]!;
      raft.log.stableTo(last.index, last.term);
    }
    for (const entry of ready.committedEntries) {
      if (entry.type === 'conf-change') raft.applyConfChange(entry);
    }
    if (ready.committedEntries.length > 0) {
      raft.log.appliedTo(ready.committedEntries[ready.committedEntries.length - 1]!.index);
    }
    if (ready.compaction !== null) raft.membership.compactTo(ready.compaction.metadata.index);
  }

  status(): RawNodeStatus {
    const raft = this.raft;
    const progress = new Map<NodeId, FollowerProgressStatus>();
    for (const [nodeId, entry] of raft.progress) {
      progress.set(nodeId, {
        match: entry.match,
        next: entry.next,
        state: entry.state,
        inflightEntries: entry.inflights.entryCount,
        inflightBytes: entry.inflights.sizeBytes,
      });
    }
    return {
      id: raft.id,
      term: raft.term,
      vote: raft.vote,
      commit: raft.log.committed,
      applied: raft.log.applied,
      firstIndex: raft.log.firstIndex(),
      lastIndex: raft.log.lastIndex(),
      role: raft.role,
      leaderId: raft.leaderId,
      voters: [...raft.membership.voters],
      leadTransferee: raft.leadTransferTarget(),
      progress,
    };
  }
}
