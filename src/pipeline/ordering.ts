/**
 * The two faces the coordinator shows the Raft runtime (src/consensus), as structural types so
 * either side can be built first:
 *
 *   Orderer       what the coordinator proposes through: entry bytes in, the outcome out
 *   ApplyTarget   what the runtime delivers committed entries to, strictly in log order, on
 *                 every replica; it also asks where to resume after a restart
 *
 * Entry data starts with a kind byte (src/consensus/entry-kind.ts); the rest belongs to that
 * kind's owner. This pipeline owns transactionBatch and applies every other kind as a no-op.
 */

export { entryKind } from '../consensus/entry-kind.js';

export type ProposeOutcome =
  | { accepted: true; index: number; term: number }
  | {
      accepted: false;
      /** Why, for the client: e.g. not the leader. */
      message: string;
      leaderId?: string;
      leaderAddress?: string;
    };

export interface Orderer {
  /** Appends `data` to the log if this node leads; resolves once the leader has accepted (not committed) it. */
  propose(data: Uint8Array): Promise<ProposeOutcome>;
}

export interface CommittedEntry {
  index: number;
  term: number;
  /** Empty for Raft's own no-op entries. */
  data: Uint8Array;
}

export interface ApplySnapshot {
  index: number;
  data: Uint8Array;
}

export interface ApplyTarget {
  /** Applies committed entries in log order; entries at or below appliedIndex() are skipped. */
  apply(entries: CommittedEntry[]): Promise<void>;
  snapshot(): Promise<ApplySnapshot>;
  restore(snapshot: ApplySnapshot): Promise<void>;
  /** The last applied Raft index: a restart replays the log from the entry after it. */
  appliedIndex(): number;
}
