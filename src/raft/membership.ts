/**
 * The voting membership and its recent history. The current voters drive elections and commit
 * counting; the history (changes applied since the last snapshot) answers "who were the voters
 * at index i" when the runtime compacts the log at an index below the applied one.
 */

import { assert } from '../errors.js';
import type { ConfChange } from './conf-change.js';
import type { ConfState, NodeId } from './types.js';

interface MembershipChange {
  readonly index: number;
  readonly voters: readonly NodeId[];
}

function sortedUnique(voters: readonly NodeId[]): NodeId[] {
  return [...new Set(voters)].sort((a, b) => a - b);
}

export class Membership {
  /** Voters in ascending id order, so iteration (and so message order) is deterministic. */
  voters: readonly NodeId[];
  private baseIndex: number;
  private baseVoters: readonly NodeId[];
  private history: MembershipChange[] = [];

  constructor(index: number, confState: ConfState) {
    this.baseIndex = index;
    this.baseVoters = sortedUnique(confState.voters);
    this.voters = this.baseVoters;
  }

  has(nodeId: NodeId): boolean {
    return this.voters.includes(nodeId);
  }

  quorum(): number {
    return Math.floor(this.voters.length / 2) + 1;
  }

  /** Whether applying `change` would alter the voters (and leave at least one). */
  isEffective(change: ConfChange): boolean {
    if (change.type === 'add') return !this.has(change.nodeId);
    return this.has(change.nodeId) && this.voters.length > 1;
  }

  /** Applies a committed change found at log `index`. Ineffective changes are recorded as no-ops. */
  apply(index: number, change: ConfChange): void {
    const last = this.history.length > 0 ? this.history[this.history.length - 1]!.index : this.baseIndex;
    assert(index > last, `membership change at ${index} must follow the previous one at ${last}`);
    if (!this.isEffective(change)) return;
    const voters = change.type === 'add' ? sortedUnique([...this.voters, change.nodeId]) : this.voters.filter((id) => id !== change.nodeId);
    this.history.push({ index, voters });
    this.voters = voters;
  }

  /** Voters as of log `index` (which must not precede the oldest state kept). */
  confStateAt(index: number): ConfState {
    assert(index >= this.baseIndex, `membership at ${index} is older than the kept base ${this.baseIndex}`);
    let voters = this.baseVoters;
    for (const change of this.history) {
      if (change.index > index) break;
      voters = change.voters;
    }
    return { voters: [...voters] };
  }

  /** Forgets history up to `index` (the log was compacted there). */
  compactTo(index: number): void {
    if (index <= this.baseIndex) return;
    this.baseVoters = this.confStateAt(index).voters;
    this.baseIndex = index;
    this.history = this.history.filter((change) => change.index > index);
  }

  /** Replaces everything with the membership of a snapshot. */
  resetTo(index: number, confState: ConfState): void {
    this.baseIndex = index;
    this.baseVoters = sortedUnique(confState.voters);
    this.voters = this.baseVoters;
    this.history = [];
  }

  /** The highest index replicated on a quorum, given each voter's match index. */
  committedIndex(matchOf: (nodeId: NodeId) => number): number {
    const matches = this.voters.map(matchOf).sort((a, b) => b - a);
    return matches[this.quorum() - 1] ?? 0;
  }

  /** Tally of an election: won, lost, or still open. */
  voteResult(votes: ReadonlyMap<NodeId, boolean>): 'won' | 'lost' | 'pending' {
    let granted = 0;
    let rejected = 0;
    for (const voter of this.voters) {
      const vote = votes.get(voter);
      if (vote === true) granted += 1;
      else if (vote === false) rejected += 1;
    }
    const quorum = this.quorum();
    if (granted >= quorum) return 'won';
    if (rejected > this.voters.length - quorum) return 'lost';
    return 'pending';
  }
}
