/**
 * What the Raft thread's committed entries are applied to, on the main thread. The Raft thread
 * never executes anything itself (DESIGN.md, Threads): it hands committed entries, strictly in
 * log order and every one of them, over a MessagePort to an ApplyBridge (apply-bridge.ts), which
 * calls one ApplyTarget. The node uses DigestStateMachine until the transaction pipeline's
 * coordinator (src/pipeline) plugs its own target in; the shapes below are structural so either
 * side compiles without the other.
 *
 * Entries: every committed index is delivered once, in order — transaction batches and raw
 * proposals (data starts with their kind byte, entry-kind.ts), Raft's no-ops (empty data) and
 * membership changes (kind 0x03 + the encoded change). An entry at or below appliedIndex()
 * is skipped (a restart may deliver it again).
 */

export interface CommittedEntry {
  index: number;
  term: number;
  /** Kind byte first; empty for Raft's own no-op entries. */
  data: Uint8Array;
}

export interface ApplySnapshot {
  /** The last applied index the image covers. */
  index: number;
  data: Uint8Array;
}

/** A fingerprint of the applied state, reported by GetMetrics (ConsensusMetrics.applied_digest). */
export interface AppliedDigest {
  index: number;
  /** 32 bytes; equal on every replica that applied the same log up to `index`. */
  digest: Uint8Array;
  rawProposalCount: number;
  /** 32 bytes: SHA-256 chain over applied raw proposals (index u64 BE || payload). */
  rawProposalDigest: Uint8Array;
}

export interface ApplyTarget {
  /** Applies committed entries in log order; resolves once their effects are stored with the applied index. */
  apply(entries: CommittedEntry[]): Promise<void>;
  /** An image of the applied state, for log compaction and for followers behind the compaction point. */
  snapshot(): Promise<ApplySnapshot>;
  /** Replaces the state with a leader's snapshot. */
  restore(snapshot: ApplySnapshot): Promise<void>;
  /** The last applied log index, as stored: a restart replays the log from the entry after it. */
  appliedIndex(): number;
  /** Optional fingerprint for monitoring and tests. */
  appliedDigest?(): AppliedDigest;
}
