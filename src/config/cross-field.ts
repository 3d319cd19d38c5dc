import type { ConfigFieldPath } from './schema.js';
import type { PeerConfig } from './types.js';

/**
 * Rules that relate two or more fields. Each runs only when every field it reads is present and
 * individually valid. The loader blames the field set by the latest layer (the one the user most
 * likely just changed) and the message mentions the others with where their values came from.
 */

export type ValueOf = (path: ConfigFieldPath) => unknown;
/** 'raft.electionTicksMax = 20 (from config/dev.yaml)' */
export type Mention = (path: ConfigFieldPath) => string;
/** 'config/dev.yaml', 'environment variable AURIGRAPH_RAFT_PEERS' */
export type Origin = (path: ConfigFieldPath) => string;

export interface CrossFieldRule {
  fields: readonly ConfigFieldPath[];
  holds(value: ValueOf): boolean;
  /** What `blamed` must satisfy, completing "<blamed> = <value> is not allowed: …". */
  requirement(blamed: ConfigFieldPath, value: ValueOf, mention: Mention, origin: Origin): string;
}

const ringMemoryBytesMax = 2 * 1024 * 1024 * 1024;
const scryptMemoryBytesMax = 1024 * 1024 * 1024;

function others(fields: readonly ConfigFieldPath[], blamed: ConfigFieldPath, mention: Mention): string {
  return fields
    .filter((field) => field !== blamed)
    .map(mention)
    .join(' and ');
}

function ordered(smaller: ConfigFieldPath, larger: ConfigFieldPath, strict: boolean): CrossFieldRule {
  return {
    fields: [smaller, larger],
    holds: (value) =>
      strict ? (value(smaller) as number) < (value(larger) as number) : (value(smaller) as number) <= (value(larger) as number),
    requirement: (blamed, _value, mention) =>
      blamed === smaller
        ? `must be ${strict ? 'less than' : 'at most'} ${mention(larger)}`
        : `must be ${strict ? 'greater than' : 'at least'} ${mention(smaller)}`,
  };
}

function ringMemoryBytes(value: ValueOf): number {
  return (value('shards.count') as number) * (value('shards.ringRecords') as number) * (value('shards.ringRecordBytes') as number);
}

function scryptMemoryBytes(value: ValueOf): number {
  return 128 * (value('crypto.keystore.scryptN') as number) * (value('crypto.keystore.scryptR') as number);
}

const ringFields = ['shards.count', 'shards.ringRecords', 'shards.ringRecordBytes'] as const;
const scryptFields = ['crypto.keystore.scryptN', 'crypto.keystore.scryptR'] as const;

export const crossFieldRules: readonly CrossFieldRule[] = [
  ordered('raft.heartbeatTicks', 'raft.electionTicksMin', true),
  ordered('raft.electionTicksMin', 'raft.electionTicksMax', true),
  // A TxBatch arrives in one gRPC message, and one batch must fit in what a follower may have in flight.
  ordered('batching.maxBatchBytes', 'grpc.maxReceiveMessageBytes', false),
  ordered('batching.maxBatchBytes', 'raft.maxInflightBytes', false),
  // A full batch must be admissible, or a client sending batches of the allowed size would wait forever.
  ordered('batching.maxBatchTransactions', 'batching.maxInflightTransactions', false),
  {
    fields: ['raft.peers', 'node.id'],
    holds: (value) => {
      const peers = value('raft.peers') as PeerConfig[];
      return peers.length === 0 || peers.some((peer) => peer.id === value('node.id'));
    },
    requirement: (blamed, value, mention, origin) => {
      const ids = (value('raft.peers') as PeerConfig[]).map((peer) => JSON.stringify(peer.id)).join(', ');
      return blamed === 'node.id'
        ? `must be one of the raft.peers ids (${ids}, from ${origin('raft.peers')}) when raft.peers is non-empty`
        : `a non-empty peer list (ids ${ids}) must include this node, ${mention('node.id')}`;
    },
  },
  {
    // Rings are SharedArrayBuffers sized at start; this bounds what one process asks for.
    fields: ringFields,
    holds: (value) => ringMemoryBytes(value) <= ringMemoryBytesMax,
    requirement: (blamed, value, mention) =>
      `ring memory shards.count × shards.ringRecords × shards.ringRecordBytes = ${ringMemoryBytes(value)} bytes ` +
      `must be at most ${ringMemoryBytesMax} bytes (2 GiB), with ${others(ringFields, blamed, mention)}`,
  },
  {
    // scrypt needs 128 * N * r bytes; past this a node cannot open its keystore on a small host.
    fields: scryptFields,
    holds: (value) => scryptMemoryBytes(value) <= scryptMemoryBytesMax,
    requirement: (blamed, value, mention) =>
      `scrypt memory 128 × N × r = ${scryptMemoryBytes(value)} bytes must be at most ${scryptMemoryBytesMax} bytes (1 GiB), ` +
      `with ${others(scryptFields, blamed, mention)}`,
  },
];
