/**
 * The values that cross the Raft core's boundary: log entries, persisted state, snapshots,
 * messages between peers, and the Ready batch handed to the runtime. All are plain objects with
 * number and Uint8Array fields so a transport or a disk layer can serialise them field by field.
 */

import { assert } from '../errors.js';

/** A node's id in the cluster: a positive safe integer. `NO_NODE` (0) means "nobody". */
export type NodeId = number;
export const NO_NODE: NodeId = 0;

export type EntryType = 'normal' | 'conf-change';

/**
 * One log entry. `index` starts at 1 and is contiguous; `term` never decreases along the log.
 * A `conf-change` entry's data is an encoded ConfChange (see conf-change.ts); an empty `normal`
 * entry is the no-op a new leader appends.
 */
export interface Entry {
  readonly term: number;
  readonly index: number;
  readonly type: EntryType;
  readonly data: Uint8Array;
}

/** What must be on disk before any message of the same Ready is sent. */
export interface HardState {
  readonly term: number;
  readonly vote: NodeId;
  readonly commit: number;
}

export type Role = 'follower' | 'pre-candidate' | 'candidate' | 'leader';

/** Volatile state, reported for observability; never persisted. */
export interface SoftState {
  readonly leaderId: NodeId;
  readonly role: Role;
}

/** The voting membership as of some log index. */
export interface ConfState {
  readonly voters: readonly NodeId[];
}

export interface SnapshotMetadata {
  /** The last log index the snapshot covers, and that entry's term. */
  readonly index: number;
  readonly term: number;
  /** Membership as of `index`. */
  readonly confState: ConfState;
}

/** A state-machine image as of `metadata.index`; `data` is opaque to the Raft core. */
export interface Snapshot {
  readonly metadata: SnapshotMetadata;
  readonly data: Uint8Array;
}

export type MessageType =
  | 'append'
  | 'append-response'
  | 'heartbeat'
  | 'heartbeat-response'
  | 'pre-vote'
  | 'pre-vote-response'
  | 'vote'
  | 'vote-response'
  | 'snapshot'
  | 'timeout-now';

export const MESSAGE_TYPES: readonly MessageType[] = [
  'append',
  'append-response',
  'heartbeat',
  'heartbeat-response',
  'pre-vote',
  'pre-vote-response',
  'vote',
  'vote-response',
  'snapshot',
  'timeout-now',
];

/**
 * A message between peers. Every field is always present (zero/empty when unused) so a
 * transport can use one fixed schema. Meaning per type:
 * - append: `index`/`logTerm` = the entry preceding `entries` (consistency check), `commit` =
 *   leader's commit index.
 * - append-response: accepted → `index` = last index the follower now matches; rejected →
 *   `index` = the rejected `index` of the append, `rejectHint`/`logTerm` = the follower's
 *   guess at where the logs agree (its last index ≤ the probe whose term ≤ the probe's term).
 * - heartbeat: `commit` = min(follower's match, leader's commit).
 * - pre-vote / vote: `index`/`logTerm` = candidate's last index and term; `leaderTransfer`
 *   marks a campaign started by TimeoutNow (bypasses the leader lease).
 * - pre-vote-response / vote-response: `reject` says whether the vote was granted.
 * - snapshot: `snapshot` is set (InstallSnapshot).
 * - timeout-now: the recipient should campaign at once (leadership transfer).
 */
export interface Message {
  readonly type: MessageType;
  readonly from: NodeId;
  readonly to: NodeId;
  readonly term: number;
  readonly logTerm: number;
  readonly index: number;
  readonly entries: readonly Entry[];
  readonly commit: number;
  readonly reject: boolean;
  readonly rejectHint: number;
  readonly snapshot: Snapshot | null;
  readonly leaderTransfer: boolean;
}

/**
 * One batch of work for the runtime. Process it in exactly this order:
 *  1. Persist, in one atomic write and durably when `mustSync`: `snapshot` (if any: replace the
 *     log with it), then `entries` (delete any stored entry with index ≥ entries[0].index, then
 *     append), then `hardState` (if any). Then, if `compaction` is set, store it as the latest
 *     snapshot and discard stored entries with index ≤ compaction.metadata.index (this may be a
 *     later, separate write: it only saves space).
 *  2. Only after step 1 is durable: send `messages`. They may acknowledge or depend on the data
 *     just persisted (votes, appended entries, commit index), so sending earlier breaks safety.
 *  3. Apply to the state machine: `snapshot.data` first (if any), then `committedEntries` in
 *     order. Never apply `compaction` (it was made from the state machine).
 *  4. Call `advance(ready)`. No other RawNode call is allowed between `ready()` and `advance()`;
 *     buffer inputs meanwhile (which is also how proposals group-commit).
 */
export interface Ready {
  readonly softState: SoftState | null;
  readonly hardState: HardState | null;
  readonly snapshot: Snapshot | null;
  readonly entries: readonly Entry[];
  readonly compaction: Snapshot | null;
  readonly messages: readonly Message[];
  readonly committedEntries: readonly Entry[];
  /** True when hardState term/vote or entries changed: the write must be fsynced. */
  readonly mustSync: boolean;
}

/** Bytes an entry counts for in message and in-flight limits: payload plus fixed framing. */
export const ENTRY_OVERHEAD_BYTES = 24;
export function entrySizeBytes(entry: Entry): number {
  return entry.data.byteLength + ENTRY_OVERHEAD_BYTES;
}

export const EMPTY_HARD_STATE: HardState = { term: 0, vote: NO_NODE, commit: 0 };

export function hardStateEqual(a: HardState, b: HardState): boolean {
  return a.term === b.term && a.vote === b.vote && a.commit === b.commit;
}

export function isSafeCount(value: number): boolean {
  return Number.isSafeInteger(value) && value >= 0;
}

/** Terms and indexes are numbers; they must stay exact (below 2^53). */
export function assertSafeCount(value: number, what: string): void {
  assert(isSafeCount(value), `${what} must be a safe non-negative integer, got ${value}`);
}

/** A message with every optional field at its zero value; callers override what they use. */
export function makeMessage(fields: Partial<Message> & Pick<Message, 'type' | 'from' | 'to' | 'term'>): Message {
  return {
    logTerm: 0,
    index: 0,
    entries: [],
    commit: 0,
    reject: false,
    rejectHint: 0,
    snapshot: null,
    leaderTransfer: false,
    ...fields,
  };
}
