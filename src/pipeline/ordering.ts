/**
 * The two faces the coordinator shows the Raft runtime (src/consensus), which defines them:
 *
 *   Orderer       what the coordinator proposes through: entry bytes in, the outcome out
 *   ApplyTarget   what the runtime delivers committed entries to, strictly in log order, on
 *                 every replica; it also asks where to resume after a restart
 *
 * Entry data starts with a kind byte (src/consensus/entry-kind.ts); the rest belongs to that
 * kind's owner. This pipeline owns transactionBatch and applies every other kind as a no-op.
 */
export { entryKind } from '../consensus/entry-kind.js';
export type { ApplySnapshot, ApplyTarget, CommittedEntry } from '../consensus/apply-target.js';
export type { Orderer } from '../consensus/apply-bridge.js';
export type { ProposeOutcome } from '../consensus/apply-protocol.js';
