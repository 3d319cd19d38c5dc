/**
 * The first byte of every normal log entry's data says whose it is (docs/pipeline.md, Formats).
 * Raft's own no-op entries are empty. Membership changes live in the log as conf-change entries
 * (src/raft/conf-change.ts); when the runtime hands them to an ApplyTarget it prefixes their
 * data with `membershipChange`, so an apply target sees one uniform "kind byte first" format
 * and can skip what is not its own.
 */
export const entryKind = {
  /** A verified transaction batch (src/pipeline); the rest is a src/wire log entry. */
  transactionBatch: 0x01,
  /** An opaque payload appended through ConsensusService.Propose (tooling, benchmarks). */
  rawProposal: 0x02,
  /** A membership change as delivered to an ApplyTarget; never proposed as a normal entry. */
  membershipChange: 0x03,
} as const;

export type EntryKind = (typeof entryKind)[keyof typeof entryKind];

/** Kinds a caller may propose as normal entries. */
export function isProposableKind(kind: number | undefined): boolean {
  return kind === entryKind.transactionBatch || kind === entryKind.rawProposal;
}

export function rawProposalData(payload: Uint8Array): Uint8Array {
  const data = new Uint8Array(payload.byteLength + 1);
  data[0] = entryKind.rawProposal;
  data.set(payload, 1);
  return data;
}
