/** The Raft core's public API. See README.md for what this folder owns. */

export { RawNode, type RawNodeStatus, type FollowerProgressStatus } from './raw-node.js';
export type { ProposalResult, ProposalRejection, TransferResult, TransferRejection } from './raft.js';
export { RAFT_OPTION_DEFAULTS, resolveRaftOptions, type RaftOptions, type ResolvedRaftOptions } from './options.js';
export { MemoryStorage, type LogStorage } from './storage.js';
export { encodeConfChange, decodeConfChange, type ConfChange, type ConfChangeType } from './conf-change.js';
export { Prng } from './prng.js';
export type { ProgressState } from './progress.js';
export {
  NO_NODE,
  MESSAGE_TYPES,
  EMPTY_HARD_STATE,
  ENTRY_OVERHEAD_BYTES,
  entrySizeBytes,
  hardStateEqual,
  makeMessage,
  type NodeId,
  type Entry,
  type EntryType,
  type HardState,
  type SoftState,
  type Role,
  type ConfState,
  type Snapshot,
  type SnapshotMetadata,
  type Message,
  type MessageType,
  type Ready,
} from './types.js';
