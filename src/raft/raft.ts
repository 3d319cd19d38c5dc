/**
 * The Raft state machine of one node (follower, pre-candidate, candidate, leader), in the
 * shape of etcd-io/raft: inputs are `tick`, `step(message)` and proposals; outputs accumulate
 * in `messages` and in the log's unstable tail and commit cursor, which RawNode turns into a
 * Ready. It performs no I/O and reads no clock or ambient randomness: the only source of
 * variation is the seeded PRNG for election timeouts.
 */

import { assert, invalidArgument } from '../errors.js';
import { decodeConfChange, encodeConfChange, isValidNodeId, type ConfChange } from './conf-change.js';
import { RaftLog } from './log.js';
import { Membership } from './membership.js';
import { resolveRaftOptions, type RaftOptions, type ResolvedRaftOptions } from './options.js';
import { Prng } from './prng.js';
import { Progress } from './progress.js';
import {
  ENTRY_OVERHEAD_BYTES,
  MESSAGE_TYPES,
  NO_NODE,
  entrySizeBytes,
  isSafeCount,
  makeMessage,
  type Entry,
  type EntryType,
  type Message,
  type MessageType,
  type NodeId,
  type Role,
  type Snapshot,
} from './types.js';

export type ProposalRejection =
  | 'not-leader'
  | 'leader-transfer-in-progress'
  | 'uncommitted-bytes-limit'
  | 'conf-change-pending'
  | 'conf-change-ineffective';

/** A proposal either got a log position (not yet committed) or a reason it was refused. */
export type ProposalResult =
  | { readonly accepted: true; readonly index: number; readonly term: number }
  | { readonly accepted: false; readonly reason: ProposalRejection; readonly leaderId: NodeId };

export type TransferRejection = 'not-leader' | 'not-a-voter' | 'is-self';
export type TransferResult = { readonly accepted: true } | { readonly accepted: false; readonly reason: TransferRejection; readonly leaderId: NodeId };

type CampaignKind = 'pre-election' | 'election';

const MESSAGE_TYPE_SET: ReadonlySet<string> = new Set(MESSAGE_TYPES);

export class Raft {
  readonly id: NodeId;
  readonly options: ResolvedRaftOptions;
  readonly log: RaftLog;
  readonly membership: Membership;

  term = 0;
  vote: NodeId = NO_NODE;
  leaderId: NodeId = NO_NODE;
  role: Role = 'follower';

  /** Outgoing messages since the last Ready. */
  messages: Message[] = [];
  /** Leader only: one entry per voter, including this node. */
  progress = new Map<NodeId, Progress>();
  private votes = new Map<NodeId, boolean>();

  private electionElapsed = 0;
  private heartbeatElapsed = 0;
  private randomizedElectionTicks = 0;
  private readonly prng: Prng;

  /** Leader: the index of the latest conf-change (or this term's no-op); none may follow until applied. */
  private pendingConfIndex = 0;
  private leadTransferee: NodeId = NO_NODE;
  /** Leader: sizes of its own uncommitted entries, oldest first, for uncommittedBytesMax. */
  private uncommittedSizes: { index: number; sizeBytes: number }[] = [];
  private uncommittedBytes = 0;
  /** Leader: appends were added or commit moved; broadcast once when the Ready is built. */
  private entriesBroadcastPending = false;
  private commitBroadcastPending = false;

  constructor(options: RaftOptions) {
    this.options = resolveRaftOptions(options);
    this.id = this.options.id;
    this.prng = new Prng(this.options.randomSeed);
    const storage = this.options.storage;
    const hardState = storage.hardState();
    const snapshot = storage.snapshot();
    this.log = new RaftLog(storage, this.options.appliedIndex);
    this.membership = new Membership(snapshot.metadata.index, snapshot.metadata.confState);
    // Membership changes between the snapshot and the applied index were applied before the
    // restart but are not in the snapshot: replay them from the log.
    if (this.log.applied > snapshot.metadata.index) {
      const applied = this.log.slice(snapshot.metadata.index + 1, this.log.applied + 1, Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
      assert(applied !== 'compacted', 'entries after the snapshot must be stored');
      for (const entry of applied) {
        if (entry.type === 'conf-change') this.membership.apply(entry.index, decodeConfChange(entry.data));
      }
    }
    this.becomeFollower(hardState.term, NO_NODE);
    this.vote = hardState.vote;
  }

  // ---------------------------------------------------------------- queries

  promotable(): boolean {
    return this.membership.has(this.id);
  }

  lastIndex(): number {
    return this.log.lastIndex();
  }

  leadTransferTarget(): NodeId {
    return this.leadTransferee;
  }

  // ---------------------------------------------------------------- role changes

  private reset(term: number): void {
    if (this.term !== term) {
      assert(term > this.term, `term must not go back from ${this.term} to ${term}`);
      assert(isSafeCount(term), `term ${term} must stay a safe integer`);
      this.term = term;
      this.vote = NO_NODE;
    }
    this.leaderId = NO_NODE;
    this.electionElapsed = 0;
    this.heartbeatElapsed = 0;
    this.resetRandomizedElectionTimeout();
    this.leadTransferee = NO_NODE;
    this.votes.clear();
    this.progress.clear();
    this.pendingConfIndex = 0;
    this.uncommittedSizes = [];
    this.uncommittedBytes = 0;
    this.entriesBroadcastPending = false;
    this.commitBroadcastPending = false;
  }

  private resetRandomizedElectionTimeout(): void {
    this.randomizedElectionTicks = this.prng.nextIntInRange(this.options.electionTicksMin, this.options.electionTicksMax);
  }

  private becomeFollower(term: number, leaderId: NodeId): void {
    this.reset(term);
    this.leaderId = leaderId;
    this.role = 'follower';
  }

  private becomePreCandidate(): void {
    assert(this.role !== 'leader', 'a leader does not become a pre-candidate');
    // A pre-election changes neither term nor vote: a failed one leaves no trace.
    this.votes.clear();
    this.progress.clear();
    this.leaderId = NO_NODE;
    this.role = 'pre-candidate';
    this.resetRandomizedElectionTimeout();
  }

  private becomeCandidate(): void {
    assert(this.role !== 'leader', 'a leader does not become a candidate');
    this.reset(this.term + 1);
    this.vote = this.id;
    this.role = 'candidate';
  }

  private becomeLeader(): void {
    assert(this.role === 'candidate', `only a candidate becomes leader, not a ${this.role}`);
    this.reset(this.term);
    this.leaderId = this.id;
    this.role = 'leader';
    const next = this.log.lastIndex() + 1;
    for (const voter of this.membership.voters) this.progress.set(voter, this.newProgress(next));
    const own = this.progress.get(this.id);
    if (own !== undefined) {
      own.match = next - 1;
      own.becomeReplicate();
      own.recentActive = true;
    }
    // The no-op lets the leader commit (and so learn the commit status of) earlier terms'
    // entries, and blocks membership changes until one entry of this term is applied.
    this.appendEntries([{ type: 'normal', data: new Uint8Array(0) }]);
    this.pendingConfIndex = this.log.lastIndex();
  }

  private newProgress(next: number): Progress {
    const progress = new Progress(next, this.options.inflightEntriesMax, this.options.inflightBytesMax);
    progress.recentActive = true;
    return progress;
  }

  // ---------------------------------------------------------------- ticks

  tick(): void {
    if (this.role === 'leader') this.tickLeader();
    else this.tickElection();
  }

  private tickElection(): void {
    this.electionElapsed += 1;
    if (this.promotable() && this.electionElapsed >= this.randomizedElectionTicks) {
      this.electionElapsed = 0;
      this.startElection(false);
    }
  }

  private tickLeader(): void {
    this.heartbeatElapsed += 1;
    this.electionElapsed += 1;
    if (this.electionElapsed >= this.options.electionTicksMin) {
      this.electionElapsed = 0;
      if (this.options.checkQuorum && !this.quorumActive()) {
        this.becomeFollower(this.term, NO_NODE);
        return;
      }
      this.leadTransferee = NO_NODE;
    }
    for (const [peer, progress] of this.progress) {
      if (peer === this.id) continue;
      progress.ticksWithoutProgress += 1;
      // A lost or failed snapshot would otherwise stall this follower forever.
      if (progress.state === 'snapshot' && progress.ticksWithoutProgress >= this.options.electionTicksMax) {
        progress.pendingSnapshotIndex = 0;
        progress.becomeProbe();
      }
    }
    if (this.heartbeatElapsed >= this.options.heartbeatTicks) {
      this.heartbeatElapsed = 0;
      this.broadcastHeartbeat();
    }
  }

  /** Counts voters heard from since the last check, and starts a new round. */
  private quorumActive(): boolean {
    let active = 0;
    for (const voter of this.membership.voters) {
      if (voter === this.id) {
        active += 1;
        continue;
      }
      const progress = this.progress.get(voter);
      if (progress === undefined) continue;
      if (progress.recentActive) active += 1;
      progress.recentActive = false;
    }
    return active >= this.membership.quorum();
  }

  // ---------------------------------------------------------------- elections

  /** Starts an election now (the local "hup"); `leaderTransfer` skips pre-vote and the lease. */
  startElection(leaderTransfer: boolean): void {
    if (this.role === 'leader' || !this.promotable()) return;
    // A committed but unapplied membership change might remove this node: wait for it.
    if (this.hasUnappliedConfChange()) return;
    if (this.options.preVote && !leaderTransfer) this.campaign('pre-election', false);
    else this.campaign('election', leaderTransfer);
  }

  private hasUnappliedConfChange(): boolean {
    if (this.log.committed <= this.log.applied) return false;
    const unapplied = this.log.slice(Math.max(this.log.applied + 1, this.log.firstIndex()), this.log.committed + 1, Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
    if (unapplied === 'compacted') return false;
    return unapplied.some((entry) => entry.type === 'conf-change');
  }

  private campaign(kind: CampaignKind, leaderTransfer: boolean): void {
    let voteTerm: number;
    let type: MessageType;
    if (kind === 'pre-election') {
      this.becomePreCandidate();
      voteTerm = this.term + 1;
      type = 'pre-vote';
    } else {
      this.becomeCandidate();
      voteTerm = this.term;
      type = 'vote';
    }
    this.votes.set(this.id, true);
    if (this.membership.voteResult(this.votes) === 'won') {
      // A single-voter cluster wins at once.
      if (kind === 'pre-election') this.campaign('election', leaderTransfer);
      else this.becomeLeader();
      return;
    }
    const lastIndex = this.log.lastIndex();
    const lastTerm = this.log.lastTerm();
    for (const voter of this.membership.voters) {
      if (voter === this.id) continue;
      this.send(makeMessage({ type, from: this.id, to: voter, term: voteTerm, index: lastIndex, logTerm: lastTerm, leaderTransfer }));
    }
  }

  // ---------------------------------------------------------------- step

  /** Checks a message from the network before it touches any state. */
  validate(message: Message): void {
    if (!MESSAGE_TYPE_SET.has(message.type)) throw invalidArgument('message.type', `unknown message type ${String(message.type)}`);
    if (message.to !== this.id) throw invalidArgument('message.to', `message for node ${message.to} reached node ${this.id}`);
    if (!isValidNodeId(message.from) || message.from === this.id) throw invalidArgument('message.from', `invalid sender ${message.from}`);
    for (const field of ['term', 'logTerm', 'index', 'commit', 'rejectHint'] as const) {
      if (!isSafeCount(message[field])) throw invalidArgument(`message.${field}`, `must be a safe non-negative integer, got ${message[field]}`);
    }
    let expectedIndex = message.index + 1;
    for (const entry of message.entries) {
      if (entry.index !== expectedIndex) throw invalidArgument('message.entries', `entry index ${entry.index} should be ${expectedIndex}`);
      if (!isSafeCount(entry.term) || entry.term > message.term) throw invalidArgument('message.entries', `entry term ${entry.term} must not exceed message term ${message.term}`);
      if (entry.type !== 'normal' && entry.type !== 'conf-change') throw invalidArgument('message.entries', `unknown entry type ${String(entry.type)}`);
      if (!(entry.data instanceof Uint8Array)) throw invalidArgument('message.entries', `entry ${entry.index} data must be a Uint8Array`);
      expectedIndex += 1;
    }
    if (message.type === 'snapshot' && message.snapshot === null) throw invalidArgument('message.snapshot', 'a snapshot message must carry a snapshot');
  }

  step(message: Message): void {
    this.validate(message);
    if (message.term > this.term) {
      if (message.type === 'vote' || message.type === 'pre-vote') {
        // The leader lease: while we hear from a live leader, ignore campaigns (check-quorum
        // makes the leader step down when it loses the quorum, so the lease is safe).
        const inLease = this.options.checkQuorum && this.leaderId !== NO_NODE && this.electionElapsed < this.options.electionTicksMin;
        if (!message.leaderTransfer && inLease) return;
      }
      if (message.type === 'pre-vote') {
        // A pre-vote never changes our term.
      } else if (message.type === 'pre-vote-response' && !message.reject) {
        // Granted pre-votes carry the future term we asked for; the term moves when we campaign.
      } else {
        const fromLeader = message.type === 'append' || message.type === 'heartbeat' || message.type === 'snapshot';
        this.becomeFollower(message.term, fromLeader ? message.from : NO_NODE);
      }
    } else if (message.term < this.term) {
      if ((this.options.checkQuorum || this.options.preVote) && (message.type === 'append' || message.type === 'heartbeat')) {
        // A stale leader that is cut off from the cluster would otherwise never learn the newer
        // term (pre-vote keeps our term from reaching it through elections).
        this.send(makeMessage({ type: 'append-response', from: this.id, to: message.from, term: this.term }));
      } else if (message.type === 'pre-vote') {
        this.send(makeMessage({ type: 'pre-vote-response', from: this.id, to: message.from, term: this.term, reject: true }));
      }
      return;
    }

    if (message.type === 'vote' || message.type === 'pre-vote') {
      this.handleVoteRequest(message);
      return;
    }
    switch (this.role) {
      case 'leader':
        this.stepLeader(message);
        return;
      case 'candidate':
      case 'pre-candidate':
        this.stepCandidate(message);
        return;
      case 'follower':
        this.stepFollower(message);
        return;
    }
  }

  private handleVoteRequest(message: Message): void {
    const isPreVote = message.type === 'pre-vote';
    const responseType: MessageType = isPreVote ? 'pre-vote-response' : 'vote-response';
    const canVote =
      this.vote === message.from ||
      (this.vote === NO_NODE && this.leaderId === NO_NODE) ||
      (isPreVote && message.term > this.term);
    // Thesis §9.6: refuse a pre-vote while a leader is known to be alive, so a node returning
    // from a partition cannot start an election that would depose it.
    const heardFromLeader = this.leaderId !== NO_NODE && this.electionElapsed < this.options.electionTicksMin;
    const leaseBlocks = isPreVote && !message.leaderTransfer && heardFromLeader;
    if (canVote && !leaseBlocks && this.log.isUpToDate(message.index, message.logTerm)) {
      this.send(makeMessage({ type: responseType, from: this.id, to: message.from, term: message.term }));
      if (!isPreVote) {
        this.electionElapsed = 0;
        this.vote = message.from;
      }
    } else {
      this.send(makeMessage({ type: responseType, from: this.id, to: message.from, term: this.term, reject: true }));
    }
  }

  private stepFollower(message: Message): void {
    switch (message.type) {
      case 'append':
        this.electionElapsed = 0;
        this.leaderId = message.from;
        this.handleAppend(message);
        return;
      case 'heartbeat':
        this.electionElapsed = 0;
        this.leaderId = message.from;
        this.handleHeartbeat(message);
        return;
      case 'snapshot':
        this.electionElapsed = 0;
        this.leaderId = message.from;
        this.handleSnapshot(message);
        return;
      case 'timeout-now':
        this.startElection(true);
        return;
      default:
        return;
    }
  }

  private stepCandidate(message: Message): void {
    const responseType: MessageType = this.role === 'pre-candidate' ? 'pre-vote-response' : 'vote-response';
    switch (message.type) {
      case 'append':
        this.becomeFollower(message.term, message.from);
        this.handleAppend(message);
        return;
      case 'heartbeat':
        this.becomeFollower(message.term, message.from);
        this.handleHeartbeat(message);
        return;
      case 'snapshot':
        this.becomeFollower(message.term, message.from);
        this.handleSnapshot(message);
        return;
      default:
        break;
    }
    if (message.type !== responseType) return;
    this.votes.set(message.from, !message.reject);
    const result = this.membership.voteResult(this.votes);
    if (result === 'won') {
      if (this.role === 'pre-candidate') this.campaign('election', message.leaderTransfer);
      else this.becomeLeader();
    } else if (result === 'lost') {
      this.becomeFollower(this.term, NO_NODE);
    }
  }

  private stepLeader(message: Message): void {
    const progress = this.progress.get(message.from);
    if (progress === undefined) return;
    switch (message.type) {
      case 'append-response':
        progress.recentActive = true;
        if (message.reject) this.handleAppendRejection(message, progress);
        else this.handleAppendAcceptance(message, progress);
        return;
      case 'heartbeat-response':
        progress.recentActive = true;
        this.handleHeartbeatResponse(message, progress);
        return;
      default:
        return;
    }
  }

  // ---------------------------------------------------------------- follower handlers

  private handleAppend(message: Message): void {
    if (message.index < this.log.committed) {
      this.send(makeMessage({ type: 'append-response', from: this.id, to: message.from, term: this.term, index: this.log.committed }));
      return;
    }
    const lastNewIndex = this.log.maybeAppend(message.index, message.logTerm, message.commit, message.entries);
    if (lastNewIndex !== undefined) {
      this.send(makeMessage({ type: 'append-response', from: this.id, to: message.from, term: this.term, index: lastNewIndex }));
      return;
    }
    // Fast backtracking: tell the leader the last index where our log might agree with its
    // probe (our entry term there is ≤ the probe's term), skipping a whole term per round.
    const hint = this.log.findConflictByTerm(Math.min(message.index, this.log.lastIndex()), message.logTerm);
    this.send(
      makeMessage({
        type: 'append-response',
        from: this.id,
        to: message.from,
        term: this.term,
        index: message.index,
        reject: true,
        rejectHint: hint.index,
        logTerm: hint.term,
      }),
    );
  }

  private handleHeartbeat(message: Message): void {
    // The leader sends min(our acknowledged match, its commit), so we hold every entry up to it.
    this.log.commitTo(message.commit);
    this.send(makeMessage({ type: 'heartbeat-response', from: this.id, to: message.from, term: this.term }));
  }

  private handleSnapshot(message: Message): void {
    const snapshot = message.snapshot;
    assert(snapshot !== null, 'validated snapshot message carries a snapshot');
    const index = this.restore(snapshot) ? this.log.lastIndex() : this.log.committed;
    this.send(makeMessage({ type: 'append-response', from: this.id, to: message.from, term: this.term, index }));
  }

  /** Installs a leader's snapshot unless our log already covers it; returns whether it did. */
  private restore(snapshot: Snapshot): boolean {
    const { index, term } = snapshot.metadata;
    if (index <= this.log.committed) return false;
    if (this.log.matchTerm(index, term)) {
      // Our log already holds the snapshot's last entry: just move the commit forward.
      this.log.commitTo(index);
      return false;
    }
    this.log.restore(snapshot);
    this.membership.resetTo(index, snapshot.metadata.confState);
    return true;
  }

  // ---------------------------------------------------------------- leader handlers

  private handleAppendRejection(message: Message, progress: Progress): void {
    let matchHint = message.rejectHint;
    if (message.logTerm > 0) {
      // Skip our entries whose term is above the follower's term at the hint.
      matchHint = this.log.findConflictByTerm(message.rejectHint, message.logTerm).index;
    }
    if (progress.maybeDecreaseTo(message.index, matchHint)) {
      if (progress.state === 'replicate') progress.becomeProbe();
      this.maybeSendAppend(message.from, true);
    }
  }

  private handleAppendAcceptance(message: Message, progress: Progress): void {
    const wasPaused = progress.isPaused();
    const probeConfirmed = progress.match === message.index && progress.state === 'probe';
    if (!progress.maybeUpdate(message.index) && !probeConfirmed) return;
    if (progress.state === 'probe') {
      progress.becomeReplicate();
    } else if (progress.state === 'snapshot') {
      if (progress.match + 1 >= this.log.firstIndex()) {
        progress.becomeProbe();
        progress.becomeReplicate();
      }
    } else {
      progress.inflights.freeLessOrEqual(message.index);
    }
    if (this.maybeCommit()) {
      this.commitBroadcastPending = true;
    } else if (wasPaused) {
      this.maybeSendAppend(message.from, true);
    }
    while (this.maybeSendAppend(message.from, false)) {
      // Fill the follower's in-flight window.
    }
    if (message.from === this.leadTransferee && progress.match === this.log.lastIndex()) {
      this.sendTimeoutNow(message.from);
    }
  }

  private handleHeartbeatResponse(message: Message, progress: Progress): void {
    if (progress.state === 'probe') progress.probeSent = false;
    if (progress.state === 'replicate' && progress.inflights.messageCount > 0 && progress.ticksWithoutProgress >= this.options.electionTicksMin) {
      // The follower is alive but has acknowledged nothing for an election timeout while
      // appends are outstanding: they were lost. Probe again from the last known match.
      progress.becomeProbe();
    }
    // An empty append probes the follower's log end: if appends in flight were lost, the
    // follower rejects it and the leader falls back to probing at once.
    if (progress.match < this.log.lastIndex()) this.maybeSendAppend(message.from, true);
  }

  private sendTimeoutNow(to: NodeId): void {
    this.send(makeMessage({ type: 'timeout-now', from: this.id, to, term: this.term }));
  }

  /**
   * Sends the next append (or a snapshot) to `to` if its progress allows. Returns whether a
   * message was sent. `sendIfEmpty` sends even with no entries (to carry the commit index).
   */
  private maybeSendAppend(to: NodeId, sendIfEmpty: boolean): boolean {
    const progress = this.progress.get(to);
    if (progress === undefined || to === this.id || progress.isPaused()) return false;
    const previousIndex = progress.next - 1;
    const previousTerm = this.log.term(previousIndex);
    if (previousTerm === undefined) return this.sendSnapshot(to, progress);
    let entriesMax = this.options.messageEntriesMax;
    let sizeBytesMax = this.options.messageBytesMax;
    if (progress.state === 'replicate') {
      entriesMax = Math.min(entriesMax, progress.inflights.entriesAvailable());
      sizeBytesMax = Math.min(sizeBytesMax, progress.inflights.sizeBytesAvailable());
    } else {
      entriesMax = Math.min(entriesMax, this.options.inflightEntriesMax);
      sizeBytesMax = Math.min(sizeBytesMax, this.options.inflightBytesMax);
    }
    const lastIndex = this.log.lastIndex();
    const entries = progress.next <= lastIndex ? this.log.slice(progress.next, lastIndex + 1, entriesMax, sizeBytesMax) : [];
    if (entries === 'compacted') return this.sendSnapshot(to, progress);
    let sizeBytes = 0;
    for (const entry of entries) sizeBytes += entrySizeBytes(entry);
    // The slice returns one entry even when it alone is over the byte budget; such an entry
    // may only travel alone, into an empty window.
    if (progress.state === 'replicate' && progress.inflights.messageCount > 0 && sizeBytes > progress.inflights.sizeBytesAvailable()) return false;
    if (entries.length === 0 && !sendIfEmpty) return false;
    this.send(
      makeMessage({
        type: 'append',
        from: this.id,
        to,
        term: this.term,
        index: previousIndex,
        logTerm: previousTerm,
        entries,
        commit: this.log.committed,
      }),
    );
    const lastSent = entries.length > 0 ? entries[entries.length - 1]!.index : previousIndex;
    progress.sentEntries(lastSent, entries.length, sizeBytes);
    return true;
  }

  private sendSnapshot(to: NodeId, progress: Progress): boolean {
    // Do not push a (possibly large) snapshot at a follower that has not answered lately.
    if (!progress.recentActive) return false;
    const snapshot = this.log.snapshot();
    assert(snapshot.metadata.index >= progress.match, `snapshot ${snapshot.metadata.index} must not be behind follower match ${progress.match}`);
    this.send(makeMessage({ type: 'snapshot', from: this.id, to, term: this.term, snapshot }));
    progress.becomeSnapshot(snapshot.metadata.index);
    return true;
  }

  private broadcastHeartbeat(): void {
    for (const voter of this.membership.voters) {
      if (voter === this.id) continue;
      const progress = this.progress.get(voter);
      if (progress === undefined) continue;
      const commit = Math.min(progress.match, this.log.committed);
      this.send(makeMessage({ type: 'heartbeat', from: this.id, to: voter, term: this.term, commit }));
    }
  }

  /** Sends the appends and commit updates deferred since the last call (one batch per Ready). */
  flushBroadcast(): void {
    if (this.role !== 'leader') return;
    if (!this.entriesBroadcastPending && !this.commitBroadcastPending) return;
    const sendIfEmpty = this.commitBroadcastPending;
    this.entriesBroadcastPending = false;
    this.commitBroadcastPending = false;
    for (const voter of this.membership.voters) {
      if (voter === this.id) continue;
      let sent = this.maybeSendAppend(voter, sendIfEmpty);
      while (sent) sent = this.maybeSendAppend(voter, false);
    }
  }

  /** §5.3/§5.4.2: commit the highest index on a quorum, if its entry is from this term. */
  private maybeCommit(): boolean {
    const quorumIndex = this.membership.committedIndex((voter) => this.progress.get(voter)?.match ?? 0);
    const requiredTerm = this.options.unsafeCommitPreviousTermEntries ? undefined : this.term;
    if (!this.log.maybeCommit(quorumIndex, requiredTerm)) return false;
    while (this.uncommittedSizes.length > 0 && this.uncommittedSizes[0]!.index <= this.log.committed) {
      this.uncommittedBytes -= this.uncommittedSizes.shift()!.sizeBytes;
    }
    return true;
  }

  private appendEntries(entries: readonly { type: EntryType; data: Uint8Array }[]): { index: number; term: number } {
    assert(this.role === 'leader', 'only a leader appends new entries');
    let index = this.log.lastIndex();
    const appended: Entry[] = [];
    for (const entry of entries) {
      index += 1;
      const full: Entry = { term: this.term, index, type: entry.type, data: entry.data };
      appended.push(full);
      const sizeBytes = entrySizeBytes(full);
      this.uncommittedSizes.push({ index, sizeBytes });
      this.uncommittedBytes += sizeBytes;
    }
    const lastIndex = this.log.append(appended);
    this.progress.get(this.id)?.maybeUpdate(lastIndex);
    this.maybeCommit();
    this.entriesBroadcastPending = true;
    return { index: lastIndex, term: this.term };
  }

  // ---------------------------------------------------------------- proposals

  private rejectProposal(reason: ProposalRejection): ProposalResult {
    return { accepted: false, reason, leaderId: this.leaderId };
  }

  propose(data: Uint8Array): ProposalResult {
    if (this.role !== 'leader') return this.rejectProposal('not-leader');
    if (this.leadTransferee !== NO_NODE) return this.rejectProposal('leader-transfer-in-progress');
    const sizeBytes = data.byteLength + ENTRY_OVERHEAD_BYTES;
    if (this.uncommittedBytes > 0 && this.uncommittedBytes + sizeBytes > this.options.uncommittedBytesMax) {
      return this.rejectProposal('uncommitted-bytes-limit');
    }
    const position = this.appendEntries([{ type: 'normal', data }]);
    return { accepted: true, ...position };
  }

  proposeConfChange(change: ConfChange): ProposalResult {
    if (this.role !== 'leader') return this.rejectProposal('not-leader');
    if (this.leadTransferee !== NO_NODE) return this.rejectProposal('leader-transfer-in-progress');
    // One change at a time, and none before this term's no-op is applied (the single-server
    // change bug described on raft-dev in 2015 needs both).
    if (this.pendingConfIndex > this.log.applied) return this.rejectProposal('conf-change-pending');
    if (!this.membership.isEffective(change)) return this.rejectProposal('conf-change-ineffective');
    const position = this.appendEntries([{ type: 'conf-change', data: encodeConfChange(change) }]);
    this.pendingConfIndex = position.index;
    return { accepted: true, ...position };
  }

  transferLeadership(to: NodeId): TransferResult {
    if (this.role !== 'leader') return { accepted: false, reason: 'not-leader', leaderId: this.leaderId };
    if (to === this.id) return { accepted: false, reason: 'is-self', leaderId: this.leaderId };
    const progress = this.progress.get(to);
    if (progress === undefined || !this.membership.has(to)) return { accepted: false, reason: 'not-a-voter', leaderId: this.leaderId };
    if (this.leadTransferee === to) return { accepted: true };
    this.leadTransferee = to;
    // The transfer must finish within one election timeout or it is abandoned.
    this.electionElapsed = 0;
    if (progress.match === this.log.lastIndex()) this.sendTimeoutNow(to);
    else this.maybeSendAppend(to, true);
    return { accepted: true };
  }

  /** The runtime could not reach `to`: stop pipelining to it and probe instead. */
  reportUnreachable(to: NodeId): void {
    if (this.role !== 'leader') return;
    const progress = this.progress.get(to);
    if (progress !== undefined && progress.state === 'replicate') progress.becomeProbe();
  }

  /** The runtime knows whether a snapshot message to `to` was delivered. */
  reportSnapshot(to: NodeId, status: 'delivered' | 'failed'): void {
    if (this.role !== 'leader') return;
    const progress = this.progress.get(to);
    if (progress === undefined || progress.state !== 'snapshot') return;
    if (status === 'failed') progress.pendingSnapshotIndex = 0;
    progress.becomeProbe();
    // Wait for a heartbeat response before probing again.
    progress.probeSent = true;
  }

  // ---------------------------------------------------------------- applying

  /** A committed conf-change entry was applied by the runtime: switch membership now. */
  applyConfChange(entry: Entry): void {
    assert(entry.type === 'conf-change', 'applyConfChange takes a conf-change entry');
    const change = decodeConfChange(entry.data);
    this.membership.apply(entry.index, change);
    if (this.role !== 'leader') return;
    if (change.type === 'add') {
      if (this.membership.has(change.nodeId) && !this.progress.has(change.nodeId)) {
        this.progress.set(change.nodeId, this.newProgress(this.log.lastIndex() + 1));
        this.entriesBroadcastPending = true;
      }
      return;
    }
    if (change.nodeId === this.id) {
      // A leader that removed itself steps down; the rest elect a leader among themselves.
      this.becomeFollower(this.term, NO_NODE);
      return;
    }
    this.progress.delete(change.nodeId);
    if (this.leadTransferee === change.nodeId) this.leadTransferee = NO_NODE;
    // A smaller quorum may commit more now.
    if (this.maybeCommit()) this.commitBroadcastPending = true;
  }

  // ---------------------------------------------------------------- output

  private send(message: Message): void {
    this.messages.push(message);
  }
}
