/**
 * The deterministic Raft simulator: N nodes over a simulated network and disk, all driven by one
 * seed. Each step: faults (crashes, restarts, partitions), message delivery, ticks, client
 * proposals and admin actions, then every running node's Ready is carried out per the contract
 * (persist to the simulated disk, then send, then apply). The SafetyChecker watches every
 * persist, commit, leader and apply. After the faulty phase the network heals and the run must
 * make progress within a bounded number of steps (liveness). Same seed, same trace.
 */

import {
  MESSAGE_TYPES,
  MemoryStorage,
  Prng,
  RawNode,
  type Entry,
  type Message,
  type NodeId,
  type Ready,
  type Role,
} from '../../../src/raft/index.js';
import { SafetyChecker } from './checker.js';
import { deriveConfig, DEFAULT_LIVENESS_STEPS, DEFAULT_STEPS, type SimConfig, type SimRunOptions } from './config.js';
import { TraceHasher } from './hash.js';
import { SimNetwork } from './network.js';
import { SimStateMachine } from './state-machine.js';

export interface SimResult {
  readonly seed: number;
  readonly nodeCount: number;
  readonly profile: string;
  readonly violations: readonly string[];
  readonly committedEntries: number;
  readonly acknowledgedEntries: number;
  readonly leaderTerms: number;
  readonly crashes: number;
  readonly snapshotsInstalled: number;
  readonly messagesSent: number;
  readonly livenessReached: boolean;
  readonly traceHash: string;
  readonly traceEvents: number;
  readonly replayCommand: string;
}

const MESSAGE_TYPE_CODES = new Map(MESSAGE_TYPES.map((type, code) => [type, code]));
const READY_ROUNDS_MAX = 8;

class SimNode {
  readonly id: NodeId;
  readonly disk: MemoryStorage;
  raw: RawNode | null = null;
  stateMachine = new SimStateMachine();
  /** Proposals this incarnation accepted: index → term. Lost on crash, like a client's connection. */
  proposals = new Map<number, number>();
  restartAt = 0;
  incarnation = 0;
  observedCommit = 0;
  role: Role = 'follower';
  term = 0;
  leaderTermObserved = -1;

  constructor(id: NodeId, voters: readonly NodeId[]) {
    this.id = id;
    this.disk = MemoryStorage.bootstrap(voters);
  }
}

export function replayCommand(options: SimRunOptions): string {
  let command = `node dist/scripts/raft-sim.js --seed ${options.seed} --nodes ${options.nodeCount}`;
  if (options.steps !== undefined && options.steps !== DEFAULT_STEPS) command += ` --steps ${options.steps}`;
  if (options.livenessSteps !== undefined && options.livenessSteps !== DEFAULT_LIVENESS_STEPS) command += ` --liveness-steps ${options.livenessSteps}`;
  if (options.unsafeCommitPreviousTermEntries === true) command += ' --unsafe-commit-previous-term-entries';
  return command;
}

export function runSimulation(options: SimRunOptions, printer?: (line: string) => void): SimResult {
  return new Simulation(deriveConfig(options), options, printer).run();
}

class Simulation {
  private readonly config: SimConfig;
  private readonly options: SimRunOptions;
  private readonly prng: Prng;
  private readonly network: SimNetwork;
  private readonly checker = new SafetyChecker();
  private readonly trace: TraceHasher;
  private readonly nodes: SimNode[] = [];
  private now = 0;
  private proposalCounter = 0;
  private crashes = 0;
  private snapshotsInstalled = 0;
  private marker: { nodeId: NodeId; index: number; term: number; acknowledged: boolean } | null = null;

  constructor(config: SimConfig, options: SimRunOptions, printer?: (line: string) => void) {
    this.config = config;
    this.options = options;
    this.prng = new Prng(config.seed * 16 + 3);
    this.network = new SimNetwork(new Prng(config.seed * 16 + 5), { ...config.network });
    this.trace = new TraceHasher(printer);
    const voters: NodeId[] = [];
    for (let id = 1; id <= config.nodeCount; id++) voters.push(id);
    for (const id of voters) {
      const node = new SimNode(id, voters);
      this.nodes.push(node);
      this.start(node);
    }
  }

  private get nodeById(): (id: NodeId) => SimNode {
    return (id) => this.nodes[id - 1]!;
  }

  run(): SimResult {
    this.trace.record([0, this.config.seed, this.config.nodeCount], () => `config ${JSON.stringify(this.config)}`);
    let livenessReached = false;
    try {
      for (this.now = 1; this.now <= this.config.steps && !this.checker.failed; this.now++) {
        this.injectFaults();
        this.deliverMessages();
        this.tickNodes();
        this.clientProposals();
        this.adminActions();
        this.processReadies();
      }
      livenessReached = this.checker.failed ? false : this.runLiveness();
    } catch (error) {
      // A failed assertion inside the core is a finding like any other: report it with the seed.
      const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
      this.checker.violations.push(`exception at step ${this.now}: ${text}`);
    }
    for (const node of this.nodes) {
      const stateMachine = node.stateMachine;
      this.checker.checkAcknowledgedApplied(node.id, stateMachine.appliedIndex, (index) => stateMachine.chainHashAt(index));
    }
    return {
      seed: this.config.seed,
      nodeCount: this.config.nodeCount,
      profile: this.config.profile,
      violations: this.checker.violations,
      committedEntries: this.checker.committedCount,
      acknowledgedEntries: this.checker.acknowledgedCount(),
      leaderTerms: this.leaderTermCount,
      crashes: this.crashes,
      snapshotsInstalled: this.snapshotsInstalled,
      messagesSent: this.network.sent,
      livenessReached,
      traceHash: this.trace.digest(),
      traceEvents: this.trace.events,
      replayCommand: replayCommand(this.options),
    };
  }

  private leaderTermCount = 0;
  /** In the liveness phase: no more faults. */
  private healed = false;

  // ---------------------------------------------------------------- node lifecycle

  private start(node: SimNode): void {
    node.incarnation += 1;
    const raft = this.config.raft;
    node.raw = new RawNode({
      id: node.id,
      storage: node.disk,
      ...raft,
      randomSeed: this.config.seed * 1024 + node.id * 64 + node.incarnation,
      unsafeCommitPreviousTermEntries: this.config.unsafeCommitPreviousTermEntries,
    });
    const snapshot = node.disk.snapshot();
    node.stateMachine = new SimStateMachine();
    node.stateMachine.restore(snapshot.data);
    if (snapshot.metadata.index > 0) this.checker.onRestore(node.id, snapshot.metadata.index, node.stateMachine.chainHash);
    node.proposals = new Map();
    node.observedCommit = node.disk.hardState().commit;
    node.role = 'follower';
    node.term = node.disk.hardState().term;
  }

  private crash(node: SimNode, phase: number): void {
    node.raw = null;
    node.restartAt = this.now + this.prng.nextIntInRange(this.config.faults.restartStepsMin, this.config.faults.restartStepsMax + 1);
    this.crashes += 1;
    this.trace.record([3, this.now, node.id, phase], () => `${this.now}: crash node ${node.id} (phase ${phase})`);
  }

  private restart(node: SimNode): void {
    this.start(node);
    this.trace.record([4, this.now, node.id], () => `${this.now}: restart node ${node.id} from disk (commit ${node.disk.hardState().commit}, last ${node.disk.lastIndex()}, snapshot ${node.disk.snapshot().metadata.index})`);
  }

  private running(): SimNode[] {
    return this.nodes.filter((node) => node.raw !== null);
  }

  private leaders(): SimNode[] {
    return this.nodes.filter((node) => node.raw !== null && node.role === 'leader');
  }

  // ---------------------------------------------------------------- per-step phases

  private injectFaults(): void {
    const faults = this.config.faults;
    for (const node of this.nodes) {
      if (node.raw === null && node.restartAt <= this.now) this.restart(node);
    }
    if (this.prng.nextChance(faults.crashPerMille, 1000)) {
      const leaders = this.leaders();
      const candidates = leaders.length > 0 && this.prng.nextChance(faults.leaderBiasPerMille, 1000) ? leaders : this.running();
      if (candidates.length > 0) this.crash(this.prng.pick(candidates), 0);
    }
    if (this.network.hasPartition() && this.prng.nextChance(faults.healPerMille, 1000)) {
      this.network.heal();
      this.trace.record([7, this.now], () => `${this.now}: heal network`);
    }
    if (this.nodes.length > 1 && this.prng.nextChance(faults.partitionPerMille, 1000)) {
      const ids = this.nodes.map((node) => node.id);
      if (this.prng.nextChance(faults.oneWayPerMille, 1000)) {
        const from = this.prng.pick(ids);
        const to = this.prng.pick(ids.filter((id) => id !== from));
        this.network.block(from, to);
        this.trace.record([5, this.now, from, to], () => `${this.now}: block ${from} -> ${to}`);
      } else {
        for (let i = ids.length - 1; i > 0; i--) {
          const j = this.prng.nextIntBelow(i + 1);
          [ids[i], ids[j]] = [ids[j]!, ids[i]!];
        }
        const size = this.prng.nextIntInRange(1, Math.floor(ids.length / 2) + 1);
        const groupA = ids.slice(0, size);
        const groupB = ids.slice(size);
        this.network.partition(groupA, groupB);
        this.trace.record([6, this.now, ...groupA], () => `${this.now}: partition [${groupA.join(',')}] | [${groupB.join(',')}]`);
      }
    }
  }

  private deliverMessages(): void {
    for (const message of this.network.takeDue(this.now)) {
      const node = this.nodeById(message.to);
      if (node.raw === null) continue;
      this.trace.record(
        [1, this.now, message.from, message.to, MESSAGE_TYPE_CODES.get(message.type)!, message.term, message.index, message.logTerm, message.entries.length, message.commit, message.reject ? 1 : 0],
        () => `${this.now}: deliver ${describeMessage(message)}`,
      );
      node.raw.step(message);
    }
  }

  private tickNodes(): void {
    for (const node of this.nodes) {
      if (node.raw === null) continue;
      if (this.prng.nextChance(this.config.faults.tickSkipPerMille, 1000)) continue;
      node.raw.tick();
    }
  }

  private makePayload(): Uint8Array {
    this.proposalCounter += 1;
    const bytes = new Uint8Array(4 + this.prng.nextIntBelow(this.config.payloadBytesMax + 1));
    new DataView(bytes.buffer).setUint32(0, this.proposalCounter);
    bytes.fill(this.proposalCounter & 0xff, 4);
    return bytes;
  }

  private propose(node: SimNode, data: Uint8Array): { index: number; term: number } | null {
    const raw = node.raw;
    if (raw === null) return null;
    const result = raw.propose(data);
    this.trace.record([8, this.now, node.id, result.accepted ? result.index : 0], () => `${this.now}: propose at node ${node.id}: ${result.accepted ? `index ${result.index} term ${result.term}` : result.reason}`);
    if (!result.accepted) return null;
    node.proposals.set(result.index, result.term);
    return { index: result.index, term: result.term };
  }

  private clientProposals(): void {
    if (!this.prng.nextChance(this.config.proposePerMille, 1000)) return;
    const leaders = this.leaders();
    const running = this.running();
    if (running.length === 0) return;
    const target = leaders.length > 0 && this.prng.nextChance(9, 10) ? this.prng.pick(leaders) : this.prng.pick(running);
    const burst = this.prng.nextIntInRange(1, this.config.proposalBurstMax + 1);
    for (let k = 0; k < burst; k++) this.propose(target, this.makePayload());
  }

  private adminActions(): void {
    const leaders = this.leaders();
    if (leaders.length === 0) return;
    if (this.prng.nextChance(this.config.confChangePerMille, 1000)) {
      const leader = this.prng.pick(leaders);
      const raw = leader.raw!;
      const voters = raw.status().voters;
      const outsiders = this.nodes.map((node) => node.id).filter((id) => !voters.includes(id));
      const votersMin = this.config.nodeCount >= 5 ? 3 : 2;
      const remove = outsiders.length === 0 || (voters.length > votersMin && this.prng.nextChance(1, 2));
      const nodeId = remove ? this.prng.pick(voters) : this.prng.pick(outsiders);
      if (!remove || voters.length > votersMin) {
        const result = raw.proposeConfChange({ type: remove ? 'remove' : 'add', nodeId });
        this.trace.record([9, this.now, leader.id, remove ? 2 : 1, nodeId, result.accepted ? result.index : 0], () => `${this.now}: node ${leader.id} proposes ${remove ? 'remove' : 'add'} ${nodeId}: ${result.accepted ? `index ${result.index}` : result.reason}`);
      }
    }
    if (this.prng.nextChance(this.config.transferPerMille, 1000)) {
      const leader = this.prng.pick(leaders);
      const raw = leader.raw!;
      const others = raw.status().voters.filter((id) => id !== leader.id);
      if (others.length > 0) {
        const to = this.prng.pick(others);
        const result = raw.transferLeadership(to);
        this.trace.record([10, this.now, leader.id, to, result.accepted ? 1 : 0], () => `${this.now}: node ${leader.id} transfers leadership to ${to}: ${result.accepted ? 'started' : result.reason}`);
      }
    }
  }

  private processReadies(): void {
    const order = this.nodes.slice();
    for (let i = order.length - 1; i > 0; i--) {
      const j = this.prng.nextIntBelow(i + 1);
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    for (const node of order) {
      for (let round = 0; round < READY_ROUNDS_MAX && node.raw !== null && !this.checker.failed; round++) {
        const ready = node.raw.ready();
        if (ready === null) break;
        this.handleReady(node, node.raw, ready);
      }
    }
  }

  // ---------------------------------------------------------------- the Ready contract

  private handleReady(node: SimNode, raw: RawNode, ready: Ready): void {
    const checker = this.checker;
    const crashPerMille = this.healed ? 0 : this.config.faults.crashInReadyPerMille;
    this.trace.record(
      [2, this.now, node.id, ready.hardState?.term ?? -1, ready.hardState?.vote ?? -1, ready.hardState?.commit ?? -1, ready.entries.length, ready.committedEntries.length, ready.messages.length, ready.snapshot?.metadata.index ?? -1],
      () => `${this.now}: ready node ${node.id}: ${describeReady(ready)}`,
    );

    // 1. Persist.
    node.disk.persistReady(ready);
    checker.onPersist(node.id, node.disk, ready.entries, ready.hardState);
    if (ready.softState !== null) node.role = ready.softState.role;
    let commitAdvanced = false;
    if (ready.hardState !== null) {
      node.term = ready.hardState.term;
      if (ready.hardState.commit > node.observedCommit) {
        commitAdvanced = true;
        checker.onCommit(node.id, node.disk, node.observedCommit, ready.hardState.commit, ready.hardState.term);
        node.observedCommit = ready.hardState.commit;
      }
    }
    let newlyElected = false;
    if (node.role === 'leader' && node.leaderTermObserved !== node.term) {
      newlyElected = true;
      node.leaderTermObserved = node.term;
      this.leaderTermCount += 1;
      const lastIndex = node.disk.lastIndex();
      checker.onLeader(node.id, node.term, lastIndex, node.disk.term(lastIndex) ?? 0);
    }
    for (const message of ready.messages) {
      if (message.type === 'append' || message.type === 'heartbeat' || message.type === 'snapshot') {
        checker.onLeaderMessage(message.from, message.term);
      }
    }
    if (this.prng.nextChance(crashPerMille, 1000)) return this.crash(node, 1);
    if (newlyElected && !this.healed && this.prng.nextChance(this.config.faults.leaderElectedCrashPerMille, 1000)) return this.crash(node, 4);
    if (commitAdvanced && node.role === 'leader' && !this.healed && this.prng.nextChance(this.config.faults.leaderCommitCrashPerMille, 1000)) {
      return this.crash(node, 3);
    }

    // 2. Send.
    for (const message of ready.messages) this.network.send(message, this.now);
    if (this.prng.nextChance(crashPerMille, 1000)) return this.crash(node, 2);

    // 3. Apply.
    const stateMachine = node.stateMachine;
    if (ready.snapshot !== null) {
      stateMachine.restore(ready.snapshot.data);
      this.snapshotsInstalled += 1;
      checker.onRestore(node.id, ready.snapshot.metadata.index, stateMachine.chainHash);
    }
    for (const entry of ready.committedEntries) this.apply(node, entry);

    // 4. Advance.
    raw.advance(ready);

    if (this.prng.nextChance(this.config.compactPerMille, 1000)) {
      const index = stateMachine.appliedIndex - this.prng.nextIntBelow(this.config.compactKeepEntriesMax + 1);
      if (index > node.disk.snapshot().metadata.index && stateMachine.chainHashAt(index) !== undefined) {
        if (raw.compact(index, stateMachine.snapshotData(index))) {
          stateMachine.forgetBefore(index);
          this.trace.record([11, this.now, node.id, index], () => `${this.now}: node ${node.id} compacts at ${index}`);
        }
      }
    }
  }

  private apply(node: SimNode, entry: Entry): void {
    const stateMachine = node.stateMachine;
    if (!stateMachine.apply(entry)) {
      this.checker.violations.push(`node ${node.id} was handed entry ${entry.index} to apply after ${stateMachine.appliedIndex}`);
      return;
    }
    this.checker.onApply(node.id, entry, stateMachine.chainHash);
    const proposedTerm = node.proposals.get(entry.index);
    if (proposedTerm === undefined) return;
    node.proposals.delete(entry.index);
    if (proposedTerm !== entry.term) return;
    this.checker.onAcknowledge(node.id, entry);
    const marker = this.marker;
    if (marker !== null && marker.nodeId === node.id && marker.index === entry.index && marker.term === entry.term) marker.acknowledged = true;
  }

  // ---------------------------------------------------------------- liveness

  /** Heals everything and expects a leader to commit a new proposal on every voter in time. */
  private runLiveness(): boolean {
    this.healed = true;
    this.network.heal();
    this.network.faults = { ...this.network.faults, dropPerMille: 0, duplicatePerMille: 0, longDelayPerMille: 0, delayStepsMin: 1, delayStepsMax: 2 };
    for (const node of this.nodes) if (node.raw === null) this.restart(node);
    this.trace.record([12, this.now], () => `${this.now}: liveness phase: network healed, all nodes running`);
    // Catching up may take a round trip (at most 4 steps once healed) per entry when the message
    // and in-flight windows are one entry wide, so the budget grows with the backlog.
    let lastIndexMax = 0;
    let commitMin = Number.MAX_SAFE_INTEGER;
    for (const node of this.nodes) {
      lastIndexMax = Math.max(lastIndexMax, node.disk.lastIndex());
      commitMin = Math.min(commitMin, node.disk.hardState().commit);
    }
    const end = this.now + this.config.livenessSteps + 4 * Math.max(0, lastIndexMax - commitMin);
    for (; this.now < end && !this.checker.failed; this.now++) {
      this.deliverMessages();
      this.tickNodes();
      this.proposeMarker();
      this.processReadies();
      if (this.livenessDone()) return true;
    }
    if (!this.checker.failed) {
      const states = this.nodes.map((node) => {
        const status = node.raw!.status();
        return `node ${node.id}: ${status.role} term ${status.term} leader ${status.leaderId} commit ${status.commit} applied ${status.applied} last ${status.lastIndex} voters [${status.voters.join(',')}]`;
      });
      this.checker.violations.push(`liveness: no new proposal committed on all voters within ${this.config.livenessSteps} steps after healing (${states.join('; ')})`);
    }
    return false;
  }

  private proposeMarker(): void {
    const marker = this.marker;
    if (marker !== null) {
      const proposer = this.nodeById(marker.nodeId);
      if (marker.acknowledged || (proposer.role === 'leader' && proposer.term === marker.term)) return;
    }
    const leaders = this.leaders();
    if (leaders.length === 0) return;
    const leader = leaders.reduce((best, node) => (node.term > best.term ? node : best));
    const position = this.propose(leader, this.makePayload());
    if (position !== null) this.marker = { nodeId: leader.id, ...position, acknowledged: false };
  }

  private livenessDone(): boolean {
    const marker = this.marker;
    if (marker === null || !marker.acknowledged) return false;
    const leader = this.nodeById(marker.nodeId);
    if (leader.raw === null) return false;
    for (const voter of leader.raw.status().voters) {
      if (this.nodeById(voter).stateMachine.appliedIndex < marker.index) return false;
    }
    return true;
  }
}

export function describeMessage(message: Message): string {
  let text = `${message.type} ${message.from}->${message.to} term ${message.term}`;
  if (message.type === 'append' || message.type === 'append-response' || message.type === 'vote' || message.type === 'pre-vote') {
    text += ` index ${message.index} logTerm ${message.logTerm}`;
  }
  if (message.entries.length > 0) text += ` entries ${message.entries[0]!.index}..${message.entries[message.entries.length - 1]!.index}`;
  if (message.type === 'append' || message.type === 'heartbeat') text += ` commit ${message.commit}`;
  if (message.reject) text += ` REJECT hint ${message.rejectHint}`;
  if (message.snapshot !== null) text += ` snapshot ${message.snapshot.metadata.index}@${message.snapshot.metadata.term}`;
  if (message.leaderTransfer) text += ' (transfer)';
  return text;
}

function describeReady(ready: Ready): string {
  const parts: string[] = [];
  if (ready.softState !== null) parts.push(`${ready.softState.role} (leader ${ready.softState.leaderId})`);
  if (ready.hardState !== null) parts.push(`hard term ${ready.hardState.term} vote ${ready.hardState.vote} commit ${ready.hardState.commit}`);
  if (ready.snapshot !== null) parts.push(`snapshot ${ready.snapshot.metadata.index}@${ready.snapshot.metadata.term}`);
  if (ready.entries.length > 0) parts.push(`persist ${ready.entries[0]!.index}..${ready.entries[ready.entries.length - 1]!.index}`);
  if (ready.committedEntries.length > 0) parts.push(`apply ${ready.committedEntries[0]!.index}..${ready.committedEntries[ready.committedEntries.length - 1]!.index}`);
  if (ready.compaction !== null) parts.push(`compact ${ready.compaction.metadata.index}`);
  if (ready.messages.length > 0) parts.push(`send ${ready.messages.length}`);
  return parts.join(', ');
}
