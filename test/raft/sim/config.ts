/**
 * Everything about one simulated run is derived from (seed, node count): Raft options, network
 * faults and the fault schedule's rates. Profiles make seeds differ in kind, not only in detail:
 * some runs are calm, some lossy, some crash leaders constantly (which is what produces the
 * Figure 8 situation: leaders that die with entries of their term on a minority).
 */

import { Prng } from '../../../src/raft/index.js';
import type { NetworkFaults } from './network.js';

export interface SimRaftSettings {
  electionTicksMin: number;
  electionTicksMax: number;
  heartbeatTicks: number;
  preVote: boolean;
  checkQuorum: boolean;
  messageEntriesMax: number;
  messageBytesMax: number;
  inflightEntriesMax: number;
  inflightBytesMax: number;
  uncommittedBytesMax: number;
}

export interface SimFaults {
  /** Per step: chance to crash one running node; a leader is preferred with leaderBiasPerMille. */
  crashPerMille: number;
  leaderBiasPerMille: number;
  restartStepsMin: number;
  restartStepsMax: number;
  /** Per Ready: chance to crash after persisting (before sending) or after sending (before applying). */
  crashInReadyPerMille: number;
  /**
   * Per Ready in which a leader persisted a higher commit index: chance it crashes right after
   * that write, before sending anything — the moment that exposes a wrong commit decision.
   */
  leaderCommitCrashPerMille: number;
  /** Per newly elected leader: chance it crashes right after persisting its no-op, before sending. */
  leaderElectedCrashPerMille: number;
  /** Per step: chance to start a partition (symmetric or one-way), and to heal all partitions. */
  partitionPerMille: number;
  oneWayPerMille: number;
  healPerMille: number;
  /** Per step and node: chance a node's clock skips a tick. */
  tickSkipPerMille: number;
}

export interface SimConfig {
  seed: number;
  nodeCount: number;
  steps: number;
  livenessSteps: number;
  profile: string;
  raft: SimRaftSettings;
  network: NetworkFaults;
  faults: SimFaults;
  /** Per step: chance a client proposes, and how many proposals at most arrive together. */
  proposePerMille: number;
  proposalBurstMax: number;
  payloadBytesMax: number;
  /** Per applied Ready: chance a node compacts its log, keeping this many applied entries. */
  compactPerMille: number;
  compactKeepEntriesMax: number;
  confChangePerMille: number;
  transferPerMille: number;
  unsafeCommitPreviousTermEntries: boolean;
}

export interface SimRunOptions {
  seed: number;
  nodeCount: number;
  steps?: number;
  livenessSteps?: number;
  unsafeCommitPreviousTermEntries?: boolean;
}

export const DEFAULT_STEPS = 260;
export const DEFAULT_LIVENESS_STEPS = 400;

const PROFILES = ['calm', 'lossy', 'crashy', 'partitioned', 'chaos', 'leader-killer', 'leader-killer'] as const;

export function deriveConfig(options: SimRunOptions): SimConfig {
  const prng = new Prng(options.seed * 8 + options.nodeCount);
  const profile = prng.pick(PROFILES);
  const electionTicksMin = prng.nextIntInRange(6, 12);
  const raft: SimRaftSettings = {
    electionTicksMin,
    electionTicksMax: electionTicksMin + prng.nextIntInRange(3, 12),
    heartbeatTicks: prng.nextIntInRange(1, 3),
    preVote: prng.nextChance(3, 4),
    checkQuorum: prng.nextChance(1, 2),
    // Small message limits split a leader's catch-up into single entries, which is how an
    // old-term entry can reach a majority before the new term's no-op does.
    messageEntriesMax: prng.pick([1, 1, 2, 3, 8, 64]),
    messageBytesMax: prng.pick([64, 256, 1024, 64 * 1024]),
    inflightEntriesMax: prng.pick([1, 2, 4, 16, 256]),
    inflightBytesMax: prng.pick([128, 512, 4096, 1024 * 1024]),
    uncommittedBytesMax: 1024,
  };
  // Bound the leader's backlog by its replication rate, so the liveness phase can drain it.
  if (raft.inflightEntriesMax > 2 && raft.messageEntriesMax > 1) raft.uncommittedBytesMax = prng.pick([1024, 2048, 4096]);
  const network: NetworkFaults = {
    dropPerMille: 0,
    duplicatePerMille: 0,
    delayStepsMin: 1,
    delayStepsMax: prng.nextIntInRange(1, 4),
    longDelayPerMille: prng.nextIntInRange(0, 40),
    longDelayStepsMax: prng.nextIntInRange(3, 25),
  };
  const faults: SimFaults = {
    crashPerMille: 0,
    leaderBiasPerMille: 500,
    restartStepsMin: 1,
    restartStepsMax: prng.nextIntInRange(5, 60),
    crashInReadyPerMille: 0,
    leaderCommitCrashPerMille: 0,
    leaderElectedCrashPerMille: 0,
    partitionPerMille: 0,
    oneWayPerMille: 300,
    healPerMille: prng.nextIntInRange(10, 60),
    tickSkipPerMille: prng.nextIntInRange(0, 150),
  };
  switch (profile) {
    case 'calm':
      network.dropPerMille = prng.nextIntInRange(0, 20);
      faults.crashPerMille = prng.nextIntInRange(0, 10);
      break;
    case 'lossy':
      network.dropPerMille = prng.nextIntInRange(50, 300);
      network.duplicatePerMille = prng.nextIntInRange(0, 100);
      faults.crashPerMille = prng.nextIntInRange(0, 15);
      break;
    case 'crashy':
      faults.crashPerMille = prng.nextIntInRange(20, 80);
      faults.crashInReadyPerMille = prng.nextIntInRange(0, 20);
      network.dropPerMille = prng.nextIntInRange(0, 50);
      break;
    case 'partitioned':
      faults.partitionPerMille = prng.nextIntInRange(10, 60);
      network.dropPerMille = prng.nextIntInRange(0, 50);
      faults.crashPerMille = prng.nextIntInRange(0, 10);
      break;
    case 'chaos':
      faults.crashPerMille = prng.nextIntInRange(10, 60);
      faults.crashInReadyPerMille = prng.nextIntInRange(0, 30);
      faults.partitionPerMille = prng.nextIntInRange(5, 40);
      network.dropPerMille = prng.nextIntInRange(0, 200);
      network.duplicatePerMille = prng.nextIntInRange(0, 100);
      break;
    case 'leader-killer':
      faults.crashPerMille = prng.nextIntInRange(40, 120);
      faults.leaderBiasPerMille = 900;
      faults.restartStepsMax = prng.nextIntInRange(3, 20);
      faults.crashInReadyPerMille = prng.nextIntInRange(5, 40);
      faults.leaderCommitCrashPerMille = prng.nextIntInRange(200, 700);
      faults.leaderElectedCrashPerMille = prng.nextIntInRange(300, 700);
      // One entry per append, so a new leader's catch-up carries old-term entries without its no-op.
      if (prng.nextChance(2, 3)) raft.messageEntriesMax = 1;
      network.dropPerMille = prng.nextIntInRange(0, 100);
      break;
  }
  return {
    seed: options.seed,
    nodeCount: options.nodeCount,
    steps: options.steps ?? DEFAULT_STEPS,
    livenessSteps: options.livenessSteps ?? DEFAULT_LIVENESS_STEPS,
    profile,
    raft,
    network,
    faults,
    proposePerMille: prng.nextIntInRange(100, 700),
    proposalBurstMax: prng.pick([1, 1, 3, 10]),
    payloadBytesMax: prng.pick([8, 40, 200]),
    compactPerMille: prng.pick([0, 20, 100, 300]),
    compactKeepEntriesMax: prng.pick([0, 2, 10]),
    // A removed node that never learns it was removed campaigns forever; only the leader lease
    // (check-quorum) or pre-vote stops it from deposing leaders (thesis §4.2.3).
    confChangePerMille: raft.preVote || raft.checkQuorum ? prng.pick([0, 0, 5, 15]) : 0,
    transferPerMille: prng.pick([0, 0, 5, 20]),
    unsafeCommitPreviousTermEntries: options.unsafeCommitPreviousTermEntries ?? false,
  };
}
