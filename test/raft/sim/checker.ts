/**
 * Raft's safety properties (Raft paper Figure 3), checked incrementally as the simulator
 * observes persisted state, leaders, commits and applies:
 * - election safety: at most one leader per term;
 * - log matching: every (index, term) ever persisted anywhere has one content and one
 *   predecessor term — by induction, two logs sharing an (index, term) share the whole prefix;
 * - leader completeness: an entry committed in term t is in the log of every leader of a term
 *   above t (a leader's log is rebuilt from the (index, term) chain above);
 * - state machine safety: no two nodes apply different entries, or reach different state, at
 *   one index; nothing is applied before it is known committed;
 * - durability of acknowledgements: an entry acknowledged to a client is committed and is what
 *   every node applies at its index.
 * Plus two persisted-state sanity rules: terms on disk never go back, and a node never changes
 * its vote within a term.
 */

import type { Entry, HardState, MemoryStorage, NodeId } from '../../../src/raft/index.js';
import { entryIdentity } from './state-machine.js';

/** Terms stay far below this in simulation; keys are index * TERM_SPACE + term. */
const TERM_SPACE = 0x10_0000;

interface PersistedEntry {
  readonly identity: number;
  readonly previousTerm: number;
}

interface CommittedEntry {
  readonly term: number;
  readonly identity: number;
  /** Lowest term of a node observed holding this commit (the true commit term is ≤ it). */
  commitTerm: number;
}

interface LeaderRecord {
  readonly term: number;
  readonly nodeId: NodeId;
  /** termsByIndex[i] = term of the leader's entry at i when first observed as leader. */
  readonly termsByIndex: Int32Array;
}

export class SafetyChecker {
  readonly violations: string[] = [];
  private readonly persisted = new Map<number, PersistedEntry>([[0, { identity: 0, previousTerm: 0 }]]);
  private readonly leaderByTerm = new Map<number, NodeId>();
  private readonly leaders: LeaderRecord[] = [];
  private readonly leaderLogRecorded = new Set<number>();
  private readonly committed: (CommittedEntry | undefined)[] = [];
  private readonly appliedIdentity: (number | undefined)[] = [];
  private readonly appliedChainHash: (number | undefined)[] = [];
  private readonly acknowledged = new Map<number, { term: number; identity: number }>();
  private readonly lastHardState = new Map<NodeId, HardState>();
  committedCount = 0;

  private fail(message: string): void {
    if (this.violations.length < 20) this.violations.push(message);
  }

  get failed(): boolean {
    return this.violations.length > 0;
  }

  /** After node `nodeId` persisted a Ready: check its new entries and hard state. */
  onPersist(nodeId: NodeId, disk: MemoryStorage, entries: readonly Entry[], hardState: HardState | null): void {
    const snapshotIndex = disk.snapshot().metadata.index;
    for (const entry of entries) {
      if (entry.index <= snapshotIndex) continue;
      const previousTerm = disk.term(entry.index - 1);
      if (previousTerm === undefined) {
        this.fail(`node ${nodeId}: persisted entry ${entry.index} has no predecessor on disk`);
        continue;
      }
      if (previousTerm > entry.term) this.fail(`node ${nodeId}: log terms go back at ${entry.index}: ${previousTerm} then ${entry.term}`);
      this.registerPersisted(nodeId, entry.index, entry.term, entryIdentity(entry), previousTerm);
    }
    if (hardState !== null) {
      const before = this.lastHardState.get(nodeId);
      if (before !== undefined) {
        if (hardState.term < before.term) this.fail(`node ${nodeId}: persisted term went back from ${before.term} to ${hardState.term}`);
        if (hardState.term === before.term && before.vote !== 0 && hardState.vote !== before.vote) {
          this.fail(`node ${nodeId}: changed its vote in term ${hardState.term} from ${before.vote} to ${hardState.vote}`);
        }
      }
      this.lastHardState.set(nodeId, hardState);
    }
  }

  private registerPersisted(nodeId: NodeId, index: number, term: number, identity: number, previousTerm: number): void {
    const key = index * TERM_SPACE + term;
    const known = this.persisted.get(key);
    if (known === undefined) {
      this.persisted.set(key, { identity, previousTerm });
      return;
    }
    if (known.identity !== identity) this.fail(`log matching: node ${nodeId} persisted a different entry at (index ${index}, term ${term})`);
    if (known.previousTerm !== previousTerm) {
      this.fail(`log matching: node ${nodeId} has (index ${index}, term ${term}) after term ${previousTerm}, another log after term ${known.previousTerm}`);
    }
  }

  /** Node `nodeId` persisted commit index `commit` while at `term`; `disk` is its log. */
  onCommit(nodeId: NodeId, disk: MemoryStorage, fromIndex: number, commit: number, term: number): void {
    const snapshotIndex = disk.snapshot().metadata.index;
    for (let index = Math.max(fromIndex, snapshotIndex) + 1; index <= commit; index++) {
      const entryTerm = disk.term(index);
      if (entryTerm === undefined) {
        this.fail(`node ${nodeId}: commit ${commit} covers index ${index} it does not store`);
        return;
      }
      const identity = this.persisted.get(index * TERM_SPACE + entryTerm)?.identity;
      if (identity === undefined) {
        this.fail(`node ${nodeId}: committed (index ${index}, term ${entryTerm}) was never seen persisted`);
        return;
      }
      this.recordCommitted(nodeId, index, entryTerm, identity, term);
    }
  }

  private recordCommitted(nodeId: NodeId, index: number, entryTerm: number, identity: number, commitTerm: number): void {
    const known = this.committed[index];
    if (known !== undefined) {
      if (known.term !== entryTerm || known.identity !== identity) {
        this.fail(`state machine safety: node ${nodeId} committed (index ${index}, term ${entryTerm}) but (index ${index}, term ${known.term}) was committed before`);
        return;
      }
      if (commitTerm >= known.commitTerm) return;
      known.commitTerm = commitTerm;
    } else {
      this.committed[index] = { term: entryTerm, identity, commitTerm };
      this.committedCount += 1;
    }
    for (const leader of this.leaders) {
      if (leader.term > commitTerm) this.checkLeaderHas(leader, index, entryTerm, 'committed');
    }
  }

  private checkLeaderHas(leader: LeaderRecord, index: number, term: number, what: string): void {
    const leaderTerm = index < leader.termsByIndex.length ? leader.termsByIndex[index] : undefined;
    if (leaderTerm !== term) {
      this.fail(
        `leader completeness: leader ${leader.nodeId} of term ${leader.term} has ${leaderTerm === undefined ? 'no entry' : `term ${leaderTerm}`} at index ${index}, where (index ${index}, term ${term}) was ${what}`,
      );
    }
  }

  /** Node `nodeId` acts as leader of `term` with a log ending at (lastIndex, lastTerm). */
  onLeader(nodeId: NodeId, term: number, lastIndex: number, lastTerm: number): void {
    if (!this.onLeaderMessage(nodeId, term)) return;
    if (this.leaderLogRecorded.has(term)) return;
    this.leaderLogRecorded.add(term);
    const termsByIndex = new Int32Array(lastIndex + 1);
    let entryTerm = lastTerm;
    for (let index = lastIndex; index > 0; index--) {
      termsByIndex[index] = entryTerm;
      const record = this.persisted.get(index * TERM_SPACE + entryTerm);
      if (record === undefined) {
        this.fail(`checker: leader ${nodeId} log entry (index ${index}, term ${entryTerm}) was never persisted`);
        return;
      }
      entryTerm = record.previousTerm;
    }
    const leader: LeaderRecord = { term, nodeId, termsByIndex };
    this.leaders.push(leader);
    for (let index = 1; index < this.committed.length; index++) {
      const entry = this.committed[index];
      if (entry !== undefined && entry.commitTerm < term) this.checkLeaderHas(leader, index, entry.term, 'committed');
    }
    for (const [index, entry] of this.acknowledged) this.checkLeaderHas(leader, index, entry.term, 'acknowledged to a client');
  }

  /** Node `nodeId` sent a leader's message in `term`; returns false on an election-safety violation. */
  onLeaderMessage(nodeId: NodeId, term: number): boolean {
    const known = this.leaderByTerm.get(term);
    if (known === undefined) {
      this.leaderByTerm.set(term, nodeId);
      return true;
    }
    if (known === nodeId) return true;
    this.fail(`election safety: nodes ${known} and ${nodeId} both lead term ${term}`);
    return false;
  }

  /** Node `nodeId` applied `entry`, reaching `chainHash`. */
  onApply(nodeId: NodeId, entry: Entry, chainHash: number): void {
    const identity = entryIdentity(entry);
    const committed = this.committed[entry.index];
    if (committed === undefined || committed.term !== entry.term || committed.identity !== identity) {
      this.fail(`node ${nodeId} applied (index ${entry.index}, term ${entry.term}) which is not the entry known committed there`);
    }
    const appliedBefore = this.appliedIdentity[entry.index];
    if (appliedBefore === undefined) this.appliedIdentity[entry.index] = identity;
    else if (appliedBefore !== identity) this.fail(`state machine safety: node ${nodeId} applied a different entry at index ${entry.index}`);
    this.checkChainHash(nodeId, entry.index, chainHash);
    const acknowledged = this.acknowledged.get(entry.index);
    if (acknowledged !== undefined && acknowledged.identity !== identity) {
      this.fail(`acknowledged entry lost: node ${nodeId} applied another entry at index ${entry.index}, acknowledged (term ${acknowledged.term})`);
    }
  }

  /** Node `nodeId` restored its state machine from a snapshot at `index`. */
  onRestore(nodeId: NodeId, index: number, chainHash: number): void {
    this.checkChainHash(nodeId, index, chainHash);
  }

  private checkChainHash(nodeId: NodeId, index: number, chainHash: number): void {
    const known = this.appliedChainHash[index];
    if (known === undefined) this.appliedChainHash[index] = chainHash;
    else if (known !== chainHash) this.fail(`state machine safety: node ${nodeId} reached a different state at index ${index}`);
  }

  /** A client was told its entry at (index, term) is committed. */
  onAcknowledge(nodeId: NodeId, entry: Entry): void {
    const identity = entryIdentity(entry);
    const committed = this.committed[entry.index];
    if (committed === undefined || committed.identity !== identity) {
      this.fail(`node ${nodeId} acknowledged (index ${entry.index}, term ${entry.term}) which is not known committed`);
    }
    this.acknowledged.set(entry.index, { term: entry.term, identity });
  }

  acknowledgedCount(): number {
    return this.acknowledged.size;
  }

  /** At the end: every acknowledged entry is applied (identically) by `nodeId` if it got that far. */
  checkAcknowledgedApplied(nodeId: NodeId, appliedIndex: number, chainHashAt: (index: number) => number | undefined): void {
    for (const [index] of this.acknowledged) {
      if (index > appliedIndex) continue;
      const hash = chainHashAt(index);
      if (hash !== undefined && hash !== this.appliedChainHash[index]) this.fail(`acknowledged entry ${index}: node ${nodeId} state differs there`);
    }
  }
}
