/**
 * Construction options for a Raft node, with defaults and validation. Limits are named with
 * the unit last (`inflightBytesMax`); every queue the core keeps is bounded by one of them.
 */

import { invalidArgument } from '../errors.js';
import type { LogStorage } from './storage.js';
import type { NodeId } from './types.js';

export interface RaftOptions {
  /** This node's id (positive). */
  readonly id: NodeId;
  /** Persisted state to start from: hard state, snapshot (with membership) and entries. */
  readonly storage: LogStorage;
  /**
   * The last index already applied to the state machine (a runtime keeps it next to the state).
   * Defaults to the snapshot index. Committed entries after it are delivered again.
   */
  readonly appliedIndex?: number;
  /** Election timeouts are drawn uniformly from [electionTicksMin, electionTicksMax). */
  readonly electionTicksMin?: number;
  readonly electionTicksMax?: number;
  /** A leader sends heartbeats every heartbeatTicks; must be below electionTicksMin. */
  readonly heartbeatTicks?: number;
  /** Seed for the election-timeout PRNG; defaults to the node id so peers differ. */
  readonly randomSeed?: number;
  /** Run a pre-vote round before incrementing the term (thesis §9.6). */
  readonly preVote?: boolean;
  /** A leader steps down when it has not heard from a quorum for an election timeout. */
  readonly checkQuorum?: boolean;
  /** Bounds on one append message. */
  readonly messageEntriesMax?: number;
  readonly messageBytesMax?: number;
  /** Bounds on unacknowledged appends per follower (the replication pipeline window). */
  readonly inflightEntriesMax?: number;
  readonly inflightBytesMax?: number;
  /** A leader refuses proposals while its uncommitted tail exceeds this. */
  readonly uncommittedBytesMax?: number;
  /** Bound on committed entries handed out in one Ready. */
  readonly readyCommittedBytesMax?: number;
  /**
   * TEST ONLY. Breaks the §5.4.2 commit rule: the leader commits entries of earlier terms by
   * counting replicas (the Figure 8 bug). Exists so the simulator can prove it catches it.
   */
  readonly unsafeCommitPreviousTermEntries?: boolean;
}

export type ResolvedRaftOptions = Required<RaftOptions>;

export const RAFT_OPTION_DEFAULTS = {
  electionTicksMin: 10,
  electionTicksMax: 20,
  heartbeatTicks: 1,
  preVote: true,
  checkQuorum: true,
  messageEntriesMax: 1024,
  messageBytesMax: 1024 * 1024,
  inflightEntriesMax: 4096,
  inflightBytesMax: 8 * 1024 * 1024,
  uncommittedBytesMax: 64 * 1024 * 1024,
  readyCommittedBytesMax: 4 * 1024 * 1024,
  unsafeCommitPreviousTermEntries: false,
} as const;

function positiveInteger(field: string, value: number): number {
  if (!Number.isSafeInteger(value) || value <= 0) throw invalidArgument(field, `must be a positive integer, got ${value}`);
  return value;
}

export function resolveRaftOptions(options: RaftOptions): ResolvedRaftOptions {
  const resolved: ResolvedRaftOptions = {
    ...RAFT_OPTION_DEFAULTS,
    appliedIndex: options.storage.snapshot().metadata.index,
    randomSeed: options.id,
    ...stripUndefined(options),
    id: options.id,
    storage: options.storage,
  };
  positiveInteger('id', resolved.id);
  positiveInteger('electionTicksMin', resolved.electionTicksMin);
  positiveInteger('heartbeatTicks', resolved.heartbeatTicks);
  if (!Number.isSafeInteger(resolved.electionTicksMax) || resolved.electionTicksMax <= resolved.electionTicksMin) {
    throw invalidArgument('electionTicksMax', `must be an integer above electionTicksMin (${resolved.electionTicksMin}), got ${resolved.electionTicksMax}`);
  }
  if (resolved.heartbeatTicks >= resolved.electionTicksMin) {
    throw invalidArgument('heartbeatTicks', `must be below electionTicksMin (${resolved.electionTicksMin}), got ${resolved.heartbeatTicks}`);
  }
  if (!Number.isSafeInteger(resolved.randomSeed) || resolved.randomSeed < 0) {
    throw invalidArgument('randomSeed', `must be a non-negative integer, got ${resolved.randomSeed}`);
  }
  if (!Number.isSafeInteger(resolved.appliedIndex) || resolved.appliedIndex < 0) {
    throw invalidArgument('appliedIndex', `must be a non-negative integer, got ${resolved.appliedIndex}`);
  }
  positiveInteger('messageEntriesMax', resolved.messageEntriesMax);
  positiveInteger('messageBytesMax', resolved.messageBytesMax);
  positiveInteger('inflightEntriesMax', resolved.inflightEntriesMax);
  positiveInteger('inflightBytesMax', resolved.inflightBytesMax);
  positiveInteger('uncommittedBytesMax', resolved.uncommittedBytesMax);
  positiveInteger('readyCommittedBytesMax', resolved.readyCommittedBytesMax);
  return resolved;
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  const result: Partial<T> = {};
  for (const key of Object.keys(value) as (keyof T)[]) {
    if (value[key] !== undefined) result[key] = value[key];
  }
  return result;
}
