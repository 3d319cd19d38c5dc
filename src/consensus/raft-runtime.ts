/**
 * The Raft thread's runtime: the thin, boring loop around the pure core (src/raft).
 *
 *   inputs (ticks, peer messages, proposals, reports) ──queue──▶ one cycle:
 *     feed every queued input to the RawNode
 *     while (ready = node.ready()):
 *       persist (one LMDB transaction, fsynced)      lmdb-log-storage.ts
 *       send messages / answer the requests stepped  peer-transport.ts, answer slots
 *       hand committed entries to the apply side     apply-protocol.ts (main thread)
 *       advance
 *
 * A cycle runs synchronously, so while its fsync runs, new inputs wait in the thread's ports and
 * the next cycle carries them all: that is the group commit. A leader that appended proposals
 * less than batching.groupCommitWindowMs ago (a burst is on) also waits out the rest of that
 * window after a proposal before writing, so the next ones share the fsync; one that has been
 * idle longer writes at once, since nothing is coming to share it with. It appends at most
 * batching.groupCommitMaxEntries proposed entries per cycle (whole calls; at least one). Requests from peers are
 * answered with what the core produced for them in the first Ready after they were stepped —
 * after that Ready is on disk, as the Ready contract requires.
 *
 * Every queue has a bound: inputs (`inputsMax`), proposals waiting to be appended
 * (`queuedProposalBytesMax`, beyond it RESOURCE_EXHAUSTED), proposals waiting for their commit
 * (bounded by the core's uncommitted-bytes limit, and expired after `proposalTimeoutMs`), and
 * entries handed to the apply side but not yet applied (`applyBacklogEntriesMax`: beyond it new
 * proposals wait in their queue, which is backpressure on the clients).
 */
import type { MessagePort } from 'node:worker_threads';
import type { NodeConfig } from '../config/types.js';
import { AurigraphError, assert, failedPrecondition, invalidArgument, unavailable } from '../errors.js';
import { ConsensusEvent, ConsensusEventType } from '../generated/aurigraph.js';
import type { Logger } from '../log/logger.js';
import {
  RAFT_OPTION_DEFAULTS,
  RawNode,
  decodeConfChange,
  type ConfChange,
  type Entry,
  type HardState,
  type Message,
  type MessageType,
  type NodeId,
  type ProposalResult,
  type RawNodeStatus,
  type Ready,
  type Role,
  type Snapshot,
} from '../raft/index.js';
import { ownedBuffer, ownedEntryBuffer, packCommittedEntries, type ProposeOutcome, type RaftToApplyMessage } from './apply-protocol.js';
import type { AppliedDigest } from './apply-target.js';
import { ConsensusCounters, PeerContacts } from './consensus-metrics.js';
import { notLeader } from './leader-redirect.js';
import type { LmdbLogStorage } from './lmdb-log-storage.js';
import { isAnswerMessage, membershipOf, snapshotChunkBytesDefault } from './message-codec.js';
import type { PeerDirectory } from './node-ids.js';
import { PeerTransport } from './peer-transport.js';

/** Queued inputs other than ticks and proposals (peer messages, reports). */
const inputsMax = 65_536;
/** Bytes of proposals waiting to be appended. */
const queuedProposalBytesMax = 256 * 1024 * 1024;
/** Entries handed to the apply side and not yet acknowledged before proposals wait. */
const applyBacklogEntriesMax = 131_072;
/** A proposal not committed (or not appended) within this is answered "outcome unknown". */
const proposalTimeoutMs = 30_000;
/** Peer calls in flight per peer before messages are dropped. */
const peerInflightMessagesMax = 256;
/** Ticks fed in one cycle; more (after a long stall) are dropped rather than replayed in a burst. */
const ticksPerCycleMax = 100;
/** Readies handled in one cycle before the event loop gets a turn. */
const readiesPerCycleMax = 64;

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: AurigraphError };

export interface ProposalReceipt {
  indexes: number[];
  term: number;
}

export interface MembershipReceipt {
  logIndex: number;
  voters: readonly NodeId[];
}

export interface TransferReceipt {
  leader: NodeId;
  term: number;
  transferred: boolean;
}

/** A request stepped from a peer, answered with the core's answer to it (or none). */
interface AnswerSlot {
  readonly from: NodeId;
  readonly accepts: readonly MessageType[];
  answered: boolean;
  answer(message: Message | undefined): void;
  refuse(error: AurigraphError): void;
}

interface ProposalCall {
  readonly datas: readonly Uint8Array[];
  readonly sizeBytes: number;
  readonly answerOn: 'append' | 'commit';
  readonly queuedAtMs: number;
  next: number;
  indexes: number[];
  term: number;
  finish(outcome: Outcome<ProposalReceipt>): void;
}

type Input =
  | { kind: 'step'; message: Message; slot: AnswerSlot | undefined }
  | { kind: 'unreachable'; peer: NodeId }
  | { kind: 'snapshot-failed'; peer: NodeId }
  | { kind: 'compact'; index: number; data: Uint8Array }
  | { kind: 'conf-change'; change: ConfChange; finish(outcome: Outcome<MembershipReceipt>): void }
  | { kind: 'transfer'; target: NodeId; finish(outcome: Outcome<TransferReceipt>): void };

export interface RaftRuntimeOptions {
  config: NodeConfig;
  directory: PeerDirectory;
  storage: LmdbLogStorage;
  /** The apply target's applied index at start (it replays the log from the entry after it). */
  appliedIndex: number;
  appliedDigest: AppliedDigest | undefined;
  /** The main thread's apply side. */
  applyPort: MessagePort;
  /** Every consensus event, as it happens (the acceptor fans them out to subscribers). */
  emitEvent(eventType: ConsensusEventType, event: ConsensusEvent): void;
  logger: Logger;
  nowMs?: () => number;
}

export class RaftRuntime {
  readonly directory: PeerDirectory;
  readonly storage: LmdbLogStorage;
  readonly counters: ConsensusCounters;
  readonly contacts: PeerContacts;
  private readonly config: NodeConfig;
  private readonly node: RawNode;
  private readonly transport: PeerTransport;
  private readonly applyPort: MessagePort;
  private readonly logger: Logger;
  private readonly nowMs: () => number;
  private readonly emitEvent: RaftRuntimeOptions['emitEvent'];

  private inputs: Input[] = [];
  private pendingTicks = 0;
  private tickCount = 0;
  private slots: AnswerSlot[] = [];
  private readonly proposalQueue: ProposalCall[] = [];
  private queuedProposalBytes = 0;
  /** Appended proposals waiting for their commit, sorted by last index. */
  private readonly committing: ProposalCall[] = [];
  private readonly pendingConfChanges: Array<{ index: number; term: number; finish(outcome: Outcome<MembershipReceipt>): void }> = [];
  private readonly pendingTransfers: Array<{ target: NodeId; startedAtTick: number; finish(outcome: Outcome<TransferReceipt>): void }> = [];

  private role: Role = 'follower';
  private leader: NodeId = 0;
  private hard: HardState;
  private eventSequence = 0;
  /** Highest index handed to the apply side, and the highest it acknowledged. */
  private handedIndex: number;
  private applied: AppliedDigest | undefined;
  private appliedIndexValue: number;
  private snapshotRequested = false;
  private cycleScheduled = false;
  /** When the last cycle appended proposals (nowMs); -Infinity before the first. */
  private lastProposalsAppendedAtMs = Number.NEGATIVE_INFINITY;
  private stopped = false;
  private tickTimer: NodeJS.Timeout | undefined;
  droppedAnswers = 0;

  constructor(options: RaftRuntimeOptions) {
    this.config = options.config;
    this.directory = options.directory;
    this.storage = options.storage;
    this.applyPort = options.applyPort;
    this.logger = options.logger;
    this.nowMs = options.nowMs ?? Date.now;
    this.emitEvent = options.emitEvent;
    const raftConfig = options.config.raft;
    this.counters = new ConsensusCounters(this.nowMs);
    this.contacts = new PeerContacts(this.nowMs, raftConfig.electionTicksMin * raftConfig.tickMs);

    const storage = options.storage;
    const snapshotIndex = storage.snapshot().metadata.index;
    let appliedIndex = options.appliedIndex;
    if (appliedIndex > storage.lastIndex()) {
      throw failedPrecondition(
        `the applied state is at index ${appliedIndex} but the Raft log in ${options.config.node.dataDir} ends at ${storage.lastIndex()}: ` +
          'the state and the log come from different data folders; restore both from the same node',
      );
    }
    if (appliedIndex < snapshotIndex) {
      // The node installed (or took) a snapshot and stopped before the apply side restored it.
      this.logger.info('restoring the apply target from the stored snapshot', { appliedIndex, snapshotIndex });
      this.postRestore(storage.snapshot());
      appliedIndex = snapshotIndex;
    }
    // Applied entries were committed: an applied index above the stored commit (both writes
    // lost by the OS) is safe to record as the commit.
    storage.raiseCommit(appliedIndex);
    this.hard = storage.hardState();
    this.handedIndex = appliedIndex;
    this.appliedIndexValue = appliedIndex;
    this.applied = options.appliedDigest;
    this.node = new RawNode({
      id: options.directory.self.nodeId,
      storage,
      appliedIndex,
      electionTicksMin: raftConfig.electionTicksMin,
      electionTicksMax: raftConfig.electionTicksMax,
      heartbeatTicks: raftConfig.heartbeatTicks,
      preVote: true,
      checkQuorum: true,
      inflightBytesMax: raftConfig.maxInflightBytes,
      // An append must fit in what a peer's server accepts, with room for the framing.
      messageBytesMax: Math.min(RAFT_OPTION_DEFAULTS.messageBytesMax, Math.floor(options.config.grpc.maxReceiveMessageBytes / 2)),
    });
    this.transport = new PeerTransport(
      options.directory,
      {
        deadlineMs: Math.max(1_000, 2 * raftConfig.electionTicksMax * raftConfig.tickMs),
        inflightMessagesMax: peerInflightMessagesMax,
        snapshotChunkBytes: snapshotChunkBytesDefault,
        messageBytesMax: 2 * options.config.grpc.maxReceiveMessageBytes,
      },
      {
        answered: (message) => this.enqueue({ kind: 'step', message, slot: undefined }),
        unreachable: (peer) => this.enqueue({ kind: 'unreachable', peer }),
        snapshotFailed: (peer) => this.enqueue({ kind: 'snapshot-failed', peer }),
        contacted: (peer) => this.contacts.contacted(peer),
        failed: (peer) => this.contacts.failed(peer),
      },
      this.logger,
    );
    const status = this.node.status();
    this.logger.info('raft log opened', {
      nodeId: options.directory.self.id,
      raftNodeId: options.directory.self.nodeId,
      term: this.hard.term,
      commit: this.hard.commit,
      appliedIndex,
      snapshotIndex,
      lastIndex: storage.lastIndex(),
      voters: status.voters.map((voter) => options.directory.idOf(voter)),
    });
  }

  /** Starts the tick timer; a node that is the only voter campaigns at once. */
  start(): void {
    const status = this.node.status();
    if (status.voters.length === 1 && status.voters[0] === this.directory.self.nodeId) this.node.campaign();
    this.tickTimer = setInterval(() => {
      this.pendingTicks += 1;
      this.schedule();
    }, this.config.raft.tickMs);
    this.schedule();
  }

  /** Stops ticking and sending; calls still waiting are answered UNAVAILABLE. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    clearInterval(this.tickTimer);
    this.transport.close();
    const stopping = unavailable('the node is stopping; the outcome of this request is unknown');
    for (const input of this.inputs) {
      if (input.kind === 'step') input.slot?.answer(undefined);
      else if (input.kind === 'conf-change' || input.kind === 'transfer') input.finish({ ok: false, error: stopping });
    }
    this.inputs = [];
    for (const call of [...this.proposalQueue.splice(0), ...this.committing.splice(0)]) call.finish({ ok: false, error: stopping });
    for (const change of this.pendingConfChanges.splice(0)) change.finish({ ok: false, error: stopping });
    for (const transfer of this.pendingTransfers.splice(0)) transfer.finish({ ok: false, error: stopping });
  }

  // ---------------------------------------------------------------- inputs

  private schedule(): void {
    if (this.cycleScheduled || this.stopped) return;
    this.cycleScheduled = true;
    setImmediate(() => this.runCycle());
  }

  private enqueue(input: Input): boolean {
    if (this.stopped) return false;
    if (this.inputs.length >= inputsMax) return false;
    this.inputs.push(input);
    this.schedule();
    return true;
  }

  /**
   * A request from a peer. `answer` receives the core's answer once the Ready carrying it is on
   * disk, or undefined when the core produced none (or the request was dropped).
   */
  stepPeerRequest(message: Message, answer: (message: Message | undefined) => void, refuse: (error: AurigraphError) => void): void {
    this.contacts.contacted(message.from);
    const accepts: MessageType[] =
      message.type === 'append' || message.type === 'heartbeat' ? ['append-response', 'heartbeat-response']
      : message.type === 'snapshot' ? ['append-response']
      : message.type === 'vote' ? ['vote-response']
      : message.type === 'pre-vote' ? ['pre-vote-response']
      : [];
    const slot: AnswerSlot = { from: message.from, accepts, answered: false, answer, refuse };
    if (!this.enqueue({ kind: 'step', message, slot })) answer(undefined);
  }

  /**
   * Appends `datas` as normal entries, in order, if this node leads. 'append' answers once the
   * leader appended them (the Orderer), 'commit' once they are committed (Propose).
   */
  propose(datas: readonly Uint8Array[], answerOn: 'append' | 'commit', finish: (outcome: Outcome<ProposalReceipt>) => void): void {
    assert(datas.length > 0, 'a proposal carries at least one entry');
    if (this.stopped) {
      finish({ ok: false, error: unavailable('the node is stopping') });
      return;
    }
    let sizeBytes = 0;
    for (const data of datas) sizeBytes += data.byteLength;
    if (this.queuedProposalBytes + sizeBytes > queuedProposalBytesMax) {
      finish({ ok: false, error: new AurigraphError('resource_exhausted', `${this.queuedProposalBytes} bytes of proposals are already waiting to be appended; retry later`) });
      return;
    }
    if (this.role !== 'leader' && this.proposalQueue.length === 0 && this.leader !== 0) {
      // Known follower: refuse at once, with the leader's address.
      finish({ ok: false, error: notLeader(this.directory, this.leader, 'proposals') });
      return;
    }
    this.queuedProposalBytes += sizeBytes;
    this.proposalQueue.push({ datas, sizeBytes, answerOn, queuedAtMs: this.nowMs(), next: 0, indexes: [], term: 0, finish });
    this.scheduleForProposals();
  }

  /**
   * During a burst (proposals appended less than batching.groupCommitWindowMs ago) a proposal
   * waits for the rest of that window, for more to share the fsync; after a quiet spell it is
   * written at once (waiting would only add latency: there is nothing to share it with).
   */
  private scheduleForProposals(): void {
    const windowMs = this.config.batching.groupCommitWindowMs;
    const sinceAppendMs = this.nowMs() - this.lastProposalsAppendedAtMs;
    if (windowMs === 0 || sinceAppendMs >= windowMs || this.cycleScheduled || this.stopped) {
      this.schedule();
      return;
    }
    this.cycleScheduled = true;
    setTimeout(() => this.runCycle(), windowMs - sinceAppendMs);
  }

  proposeMembershipChange(change: ConfChange, finish: (outcome: Outcome<MembershipReceipt>) => void): void {
    if (!this.enqueue({ kind: 'conf-change', change, finish })) finish({ ok: false, error: unavailable('the Raft thread is overloaded or stopping; retry') });
  }

  transferLeadership(target: NodeId, finish: (outcome: Outcome<TransferReceipt>) => void): void {
    if (!this.enqueue({ kind: 'transfer', target, finish })) finish({ ok: false, error: unavailable('the Raft thread is overloaded or stopping; retry') });
  }

  /** The apply side applied through `index`. */
  acknowledgeApplied(index: number, digest: AppliedDigest | undefined): void {
    assert(index <= this.handedIndex, `the apply side reports index ${index}, beyond the ${this.handedIndex} handed to it`);
    this.appliedIndexValue = index;
    this.applied = digest;
    const snapshotIndex = this.storage.snapshot().metadata.index;
    // The ledger cannot yet ship its state as a snapshot (its restore() refuses), so in ledger
    // mode no node compacts: a follower behind a compaction point could never catch up. The
    // log grows instead; ledger snapshots are the way to lift this.
    const compactionAllowed = this.config.raft.stateMachine !== 'ledger';
    if (compactionAllowed && !this.snapshotRequested && !this.stopped && index - snapshotIndex >= this.config.raft.snapshotEveryEntries) {
      this.snapshotRequested = true;
      this.postToApply({ type: 'snapshot-request' });
    }
    if (this.proposalQueue.length > 0) this.schedule();
  }

  /** The apply side's answer to a snapshot request: compact the log up to it. */
  snapshotTaken(index: number, data: Uint8Array): void {
    this.snapshotRequested = false;
    this.enqueue({ kind: 'compact', index, data });
  }

  // ---------------------------------------------------------------- the cycle

  private runCycle(): void {
    this.cycleScheduled = false;
    if (this.stopped) return;
    this.feedInputs();
    let slots = this.slots;
    this.slots = [];
    let committedSomething = false;
    for (let round = 0; ; round++) {
      if (round >= readiesPerCycleMax) {
        this.schedule();
        break;
      }
      const ready = this.node.ready();
      if (ready === null) break;
      this.handleReady(ready, slots);
      slots = [];
      committedSomething ||= ready.committedEntries.length > 0;
    }
    for (const slot of slots) slot.answer(undefined);
    // Commits may have made room under the uncommitted-bytes limit for waiting proposals.
    if (committedSomething && this.proposalQueue.length > 0) this.schedule();
  }

  private feedInputs(): void {
    const ticks = Math.min(this.pendingTicks, ticksPerCycleMax);
    this.pendingTicks = 0;
    for (let tick = 0; tick < ticks; tick++) this.node.tick();
    if (ticks > 0) this.afterTicks(ticks);
    const inputs = this.inputs;
    this.inputs = [];
    for (const input of inputs) this.feed(input);
    this.feedProposals();
  }

  private feed(input: Input): void {
    switch (input.kind) {
      case 'step':
        try {
          this.node.step(input.message);
        } catch (error) {
          if (!(error instanceof AurigraphError)) throw error;
          this.logger.warn('refused a malformed Raft message', { from: this.directory.idOf(input.message.from), type: input.message.type, error: error.message });
          input.slot?.refuse(error);
          return;
        }
        if (input.slot !== undefined) this.slots.push(input.slot);
        return;
      case 'unreachable':
        this.node.reportUnreachable(input.peer);
        return;
      case 'snapshot-failed':
        this.node.reportSnapshot(input.peer, 'failed');
        return;
      case 'compact':
        if (this.node.compact(input.index, input.data)) this.logger.debug('compacting the log', { index: input.index });
        return;
      case 'conf-change': {
        const result = this.node.proposeConfChange(input.change);
        if (result.accepted) this.pendingConfChanges.push({ index: result.index, term: result.term, finish: input.finish });
        else input.finish({ ok: false, error: this.refusalOf(result, `membership change (${input.change.type} ${this.directory.idOf(input.change.nodeId)})`) });
        return;
      }
      case 'transfer': {
        const result = this.node.transferLeadership(input.target);
        if (result.accepted) {
          this.pendingTransfers.push({ target: input.target, startedAtTick: this.tickCount, finish: input.finish });
        } else if (result.reason === 'is-self') {
          input.finish({ ok: true, value: { leader: this.directory.self.nodeId, term: this.hard.term, transferred: true } });
        } else if (result.reason === 'not-a-voter') {
          input.finish({ ok: false, error: invalidArgument('target_node_id', `${this.directory.idOf(input.target)} is not a voter`) });
        } else {
          input.finish({ ok: false, error: notLeader(this.directory, result.leaderId, 'leadership transfers') });
        }
        return;
      }
    }
  }

  private refusalOf(result: Extract<ProposalResult, { accepted: false }>, what: string): AurigraphError {
    switch (result.reason) {
      case 'not-leader':
        return notLeader(this.directory, result.leaderId, what);
      case 'leader-transfer-in-progress':
        return unavailable(`leadership is being transferred; retry the ${what} shortly`);
      case 'uncommitted-bytes-limit':
        return new AurigraphError('resource_exhausted', `too many uncommitted entries; retry the ${what} later`);
      case 'conf-change-pending':
        return failedPrecondition(`another membership change is not yet applied; retry the ${what} once it is`);
      case 'conf-change-ineffective':
        return failedPrecondition(`the ${what} would not change the voters (already so, or it would remove the last voter)`);
    }
  }

  private applyBacklog(): number {
    return this.handedIndex - this.appliedIndexValue;
  }

  private feedProposals(): void {
    if (this.proposalQueue.length === 0) return;
    if (this.applyBacklog() > applyBacklogEntriesMax) return;
    const entriesMax = this.config.batching.groupCommitMaxEntries;
    let appended = 0;
    this.lastProposalsAppendedAtMs = this.nowMs();
    while (this.proposalQueue.length > 0) {
      const call = this.proposalQueue[0]!;
      if (appended > 0 && appended + (call.datas.length - call.next) > entriesMax) break;
      const before = call.next;
      const state = this.proposeCall(call);
      appended += call.next - before;
      if (state === 'retry') break;
      this.proposalQueue.shift();
      this.queuedProposalBytes -= call.sizeBytes;
    }
  }

  /** Appends what it can of `call`; 'retry' leaves it at the head for a later cycle. */
  private proposeCall(call: ProposalCall): 'retry' | 'finished' {
    if (call.indexes.length > 0 && (this.role !== 'leader' || this.hard.term !== call.term)) {
      call.finish({ ok: false, error: unavailable(`leadership changed after ${call.indexes.length} of ${call.datas.length} entries were appended; their outcome is unknown`) });
      return 'finished';
    }
    while (call.next < call.datas.length) {
      const result = this.node.propose(call.datas[call.next]!);
      if (!result.accepted) {
        if (result.reason === 'uncommitted-bytes-limit' && this.nowMs() - call.queuedAtMs < proposalTimeoutMs) return 'retry';
        const error = call.indexes.length === 0
          ? this.refusalOf(result, 'proposals')
          : unavailable(`${call.indexes.length} of ${call.datas.length} entries were appended before the leader refused the rest (${result.reason}); their outcome is unknown`);
        call.finish({ ok: false, error });
        return 'finished';
      }
      if (call.indexes.length === 0) call.term = result.term;
      assert(result.term === call.term, 'one call is appended in one term');
      call.indexes.push(result.index);
      call.next += 1;
      this.counters.proposalsTotal += 1;
    }
    if (call.answerOn === 'append') {
      call.finish({ ok: true, value: { indexes: call.indexes, term: call.term } });
    } else {
      const last = call.indexes[call.indexes.length - 1]!;
      let position = this.committing.length;
      while (position > 0 && this.committing[position - 1]!.indexes.at(-1)! > last) position -= 1;
      this.committing.splice(position, 0, call);
    }
    return 'finished';
  }

  private afterTicks(ticks: number): void {
    this.tickCount += ticks;
    this.counters.sample();
    const now = this.nowMs();
    const expired = (call: ProposalCall): boolean => now - call.queuedAtMs >= proposalTimeoutMs;
    // Sorted by index, not by age: check them all (they are bounded by the uncommitted-bytes limit).
    for (let position = this.committing.length - 1; position >= 0; position--) {
      if (expired(this.committing[position]!)) this.committing.splice(position, 1)[0]!.finish({ ok: false, error: unavailable(`not committed within ${proposalTimeoutMs} ms; the outcome is unknown`) });
    }
    while (this.proposalQueue.length > 0 && this.proposalQueue[0]!.next === 0 && expired(this.proposalQueue[0]!)) {
      const call = this.proposalQueue.shift()!;
      this.queuedProposalBytes -= call.sizeBytes;
      call.finish({ ok: false, error: unavailable(`not appended within ${proposalTimeoutMs} ms (the apply side or the log is overloaded); retry`) });
    }
    const transferTicksMax = 2 * this.config.raft.electionTicksMax;
    for (let position = this.pendingTransfers.length - 1; position >= 0; position--) {
      const transfer = this.pendingTransfers[position]!;
      if (this.tickCount - transfer.startedAtTick < transferTicksMax) continue;
      this.pendingTransfers.splice(position, 1);
      transfer.finish({ ok: true, value: { leader: this.leader, term: this.hard.term, transferred: this.leader === transfer.target } });
    }
  }

  // ---------------------------------------------------------------- one Ready

  private handleReady(ready: Ready, slots: AnswerSlot[]): void {
    const previousSnapshotIndex = this.storage.snapshot().metadata.index;
    // 1. Persist: one LMDB transaction, fsynced when the Ready says so.
    this.storage.persistReady(ready);
    this.observe(ready, previousSnapshotIndex);
    // 2. Only now send: messages may acknowledge what was just written.
    for (const message of ready.messages) {
      if (!isAnswerMessage(message)) {
        this.transport.send(message);
        continue;
      }
      const slot = slots.find((candidate) => !candidate.answered && candidate.from === message.to && candidate.accepts.includes(message.type));
      if (slot === undefined) {
        this.droppedAnswers += 1;
        continue;
      }
      slot.answered = true;
      slot.answer(message);
    }
    for (const slot of slots) {
      if (slot.answered) continue;
      slot.answered = true;
      slot.answer(undefined);
    }
    // 3. Hand the snapshot, then the committed entries, to the apply side.
    if (ready.snapshot !== null) this.handOffSnapshot(ready.snapshot);
    if (ready.committedEntries.length > 0) this.handOffEntries(ready.committedEntries);
    // 4. Advance, then answer what the commits decided.
    this.node.advance(ready);
    if (ready.committedEntries.length > 0) this.resolveCommitted(ready.committedEntries);
  }

  private observe(ready: Ready, previousSnapshotIndex: number): void {
    const hardState = ready.hardState;
    if (hardState !== null) {
      const termChanged = hardState.term > this.hard.term;
      if (termChanged && hardState.vote === this.directory.self.nodeId) this.counters.electionsHeld += 1;
      this.hard = hardState;
      if (termChanged) this.emit(ConsensusEventType.TERM_CHANGED, 0);
    }
    const softState = ready.softState;
    if (softState !== null) {
      this.role = softState.role;
      if (softState.leaderId !== this.leader) {
        this.leader = softState.leaderId;
        if (softState.leaderId !== 0) this.counters.leaderChanges += 1;
        this.logger.info('leader changed', { leader: this.directory.idOf(softState.leaderId), term: this.hard.term, role: softState.role });
        this.emit(ConsensusEventType.LEADER_CHANGED, 0);
        if (softState.leaderId !== 0) {
          for (const transfer of this.pendingTransfers.splice(0)) {
            transfer.finish({ ok: true, value: { leader: softState.leaderId, term: this.hard.term, transferred: softState.leaderId === transfer.target } });
          }
        }
      }
    }
    if (ready.snapshot !== null) {
      this.logger.info('installed a snapshot from the leader', { index: ready.snapshot.metadata.index, term: ready.snapshot.metadata.term });
      this.emit(ConsensusEventType.SNAPSHOT_INSTALLED, ready.snapshot.metadata.index);
    }
    if (ready.compaction !== null && ready.compaction.metadata.index > previousSnapshotIndex) {
      this.emit(ConsensusEventType.SNAPSHOT_TAKEN, ready.compaction.metadata.index);
    }
  }

  private postToApply(message: RaftToApplyMessage, transfer: ArrayBuffer[] = []): void {
    this.applyPort.postMessage(message, transfer);
  }

  private postRestore(snapshot: Snapshot): void {
    const data = ownedBuffer(snapshot.data);
    this.postToApply({ type: 'restore', index: snapshot.metadata.index, data }, [data]);
  }

  private handOffSnapshot(snapshot: Snapshot): void {
    this.postRestore(snapshot);
    this.handedIndex = snapshot.metadata.index;
    // Proposals at or below the snapshot were decided without this node seeing the entries.
    while (this.committing.length > 0 && this.committing[0]!.indexes.at(-1)! <= snapshot.metadata.index) {
      this.committing.shift()!.finish({ ok: false, error: unavailable('the log was replaced by a leader snapshot; the outcome is unknown') });
    }
  }

  /**
   * Runs of entries go packed into one transferred buffer; an entry that owns its whole buffer
   * goes on its own, that buffer transferred (apply-protocol.ts). Safe because this runs after
   * the Ready is persisted and its messages are encoded: nothing on this thread reads an entry's
   * data again (advance and resolveCommitted read terms, and data only of conf-changes, which
   * are always packed), and the unstable log drops the entries in advance().
   */
  private handOffEntries(entries: readonly Entry[]): void {
    let runStart = 0;
    const postRun = (end: number): void => {
      if (end === runStart) return;
      const run = entries.slice(runStart, end);
      const buffer = packCommittedEntries(run);
      this.postToApply({ type: 'apply', entries: buffer, count: run.length }, [buffer]);
    };
    entries.forEach((entry, position) => {
      const owned = ownedEntryBuffer(entry);
      if (owned === undefined) return;
      postRun(position);
      runStart = position + 1;
      this.postToApply({ type: 'apply-entry', index: entry.index, term: entry.term, data: owned }, [owned]);
    });
    postRun(entries.length);
    this.handedIndex = entries[entries.length - 1]!.index;
  }

  private resolveCommitted(entries: readonly Entry[]): void {
    const low = entries[0]!.index;
    const high = entries[entries.length - 1]!.index;
    while (this.committing.length > 0 && this.committing[0]!.indexes.at(-1)! <= high) {
      const call = this.committing.shift()!;
      const last = call.indexes.at(-1)!;
      const entry = last >= low ? entries[last - low] : undefined;
      if (entry !== undefined && entry.term === call.term) call.finish({ ok: true, value: { indexes: call.indexes, term: call.term } });
      else call.finish({ ok: false, error: unavailable('a new leader replaced these entries before they were committed; they were not applied: retry') });
    }
    for (const entry of entries) {
      if (entry.type !== 'conf-change') continue;
      const change = decodeConfChange(entry.data);
      const voters = this.node.status().voters;
      this.logger.info('membership changed', { index: entry.index, change: change.type, node: this.directory.idOf(change.nodeId), voters: voters.map((voter) => this.directory.idOf(voter)) });
      this.emit(ConsensusEventType.MEMBERSHIP_CHANGED, entry.index, voters);
      const position = this.pendingConfChanges.findIndex((pending) => pending.index === entry.index);
      if (position < 0) continue;
      const pending = this.pendingConfChanges.splice(position, 1)[0]!;
      if (pending.term === entry.term) pending.finish({ ok: true, value: { logIndex: entry.index, voters } });
      else pending.finish({ ok: false, error: unavailable('a new leader replaced the membership change before it was committed; retry') });
    }
    // A change whose index passed without being committed was replaced.
    for (let position = this.pendingConfChanges.length - 1; position >= 0; position--) {
      if (this.pendingConfChanges[position]!.index > high) continue;
      this.pendingConfChanges.splice(position, 1)[0]!.finish({ ok: false, error: unavailable('a new leader replaced the membership change before it was committed; retry') });
    }
  }

  private emit(eventType: ConsensusEventType, index: number, voters?: readonly NodeId[]): void {
    this.eventSequence += 1;
    const event = ConsensusEvent.create({
      type: eventType,
      sequence: BigInt(this.eventSequence),
      term: BigInt(this.hard.term),
      leaderId: this.directory.idOf(this.leader),
      index: BigInt(index),
      membership: voters === undefined ? undefined : membershipOf({ voters }, this.directory),
      observedAtUnixMs: BigInt(this.nowMs()),
    });
    this.emitEvent(eventType, event);
  }

  // ---------------------------------------------------------------- views

  status(): RawNodeStatus {
    return this.node.status();
  }

  currentRole(): Role {
    return this.role;
  }

  currentLeader(): NodeId {
    return this.leader;
  }

  appliedIndex(): number {
    return this.appliedIndexValue;
  }

  appliedDigest(): AppliedDigest | undefined {
    return this.applied;
  }

  inflightTo(peer: NodeId): number {
    return this.transport.inflightOf(peer);
  }

  droppedMessages(): number {
    return this.transport.droppedMessages;
  }
}

export type { ProposeOutcome };
