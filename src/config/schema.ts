import { assert } from '../errors.js';
import type { CryptoBackendChoice, LogLevel, NodeConfig, PeerConfig, StateMachineChoice } from './types.js';

/**
 * Every configuration field, described once: its type, what it may hold and what it tunes.
 * The validator (field-check.ts), the text parser for environment variables and flags
 * (parse-text.ts), the environment variable names and the docs all derive from this table,
 * and the mapped type below makes the compiler reject a table that misses or invents a field
 * of NodeConfig.
 */

type Leaf = string | number | boolean | readonly unknown[];

/** Dotted paths of the leaves of T, e.g. 'grpc.port'. */
type LeafPaths<T, Prefix extends string = ''> = {
  [Key in keyof T & string]: T[Key] extends Leaf ? `${Prefix}${Key}` : LeafPaths<T[Key], `${Prefix}${Key}.`>;
}[keyof T & string];

type ValueAt<T, Path extends string> = Path extends `${infer Head}.${infer Rest}`
  ? Head extends keyof T
    ? ValueAt<T[Head], Rest>
    : never
  : Path extends keyof T
    ? T[Path]
    : never;

/** `profiles` is written by the loader, never by a profile, so it has no schema entry. */
export type ConfigFieldPath = Exclude<LeafPaths<NodeConfig>, 'profiles'>;

interface FieldBase {
  /** One line for docs and error messages: what the knob tunes. */
  description: string;
}

export interface IntegerSpec extends FieldBase {
  kind: 'integer';
  min: number;
  max: number;
  unit: 'bytes' | 'mebibytes' | 'arenas' | 'ms' | 'ticks' | 'entries' | 'transactions' | 'records' | 'streams' | 'threads' | 'shards' | 'port' | 'factor';
  powerOfTwo?: true;
  multipleOf?: number;
}

export interface BooleanSpec extends FieldBase {
  kind: 'boolean';
}

export interface StringSpec extends FieldBase {
  kind: 'string';
  pattern: RegExp;
  /** Completes "must be …" in error messages. */
  patternDescription: string;
}

export interface EnumSpec<Value extends string = string> extends FieldBase {
  kind: 'enum';
  values: readonly Value[];
}

export interface PeersSpec extends FieldBase {
  kind: 'peers';
  maxEntries: number;
}

export type FieldSpec = IntegerSpec | BooleanSpec | StringSpec | EnumSpec | PeersSpec;

type SpecFor<Value> = [Value] extends [PeerConfig[]]
  ? PeersSpec
  : [Value] extends [boolean]
    ? BooleanSpec
    : [Value] extends [number]
      ? IntegerSpec
      : [Value] extends [string]
        ? string extends Value
          ? StringSpec
          : EnumSpec<Value>
        : never;

export type ConfigField = FieldSpec & {
  path: ConfigFieldPath;
  /** AURIGRAPH_ followed by the path in upper snake case, e.g. AURIGRAPH_GRPC_MAX_RECEIVE_MESSAGE_BYTES. */
  environmentVariable: string;
};

const kibibyte = 1024;
const mebibyte = 1024 * kibibyte;
const gibibyte = 1024 * mebibyte;

/** Node ids appear in logs, peer lists and file names, so they stay short and shell-safe. */
export const nodeIdPattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
export const nodeIdDescription =
  "1 to 64 characters: letters, digits, '.', '_' or '-', starting with a letter or digit";
/** A host name, IPv4 address or bare IPv6 address; the server adds brackets when it binds. */
export const hostPattern = /^[A-Za-z0-9.:-]{1,253}$/;
export const hostDescription = "a host name or IP address (letters, digits, '.', '-', ':'; 1 to 253 characters)";

const fieldTable: { [Path in ConfigFieldPath]: SpecFor<ValueAt<NodeConfig, Path>> } = {
  'node.id': {
    kind: 'string',
    pattern: nodeIdPattern,
    patternDescription: nodeIdDescription,
    description: "This node's id; must appear in raft.peers when that list is non-empty.",
  },
  'node.dataDir': {
    kind: 'string',
    pattern: /^[^\0\r\n]{1,4096}$/,
    patternDescription: 'a non-empty path of at most 4096 characters on one line',
    description: 'Folder for LMDB files, the Raft log and the keystore; relative paths resolve against the working directory.',
  },
  'grpc.host': {
    kind: 'string',
    pattern: hostPattern,
    patternDescription: hostDescription,
    description: 'Address the gRPC server listens on; 127.0.0.1 keeps it private, 0.0.0.0 exposes it.',
  },
  'grpc.port': {
    kind: 'integer',
    min: 0,
    max: 65535,
    unit: 'port',
    description: 'TCP port of the gRPC server; 0 asks the OS for a free port (tests).',
  },
  'grpc.maxReceiveMessageBytes': {
    kind: 'integer',
    min: kibibyte,
    max: 256 * mebibyte,
    unit: 'bytes',
    description: 'Largest gRPC message the server accepts; bounds one TxBatch.',
  },
  'grpc.maxSendMessageBytes': {
    kind: 'integer',
    min: kibibyte,
    max: 256 * mebibyte,
    unit: 'bytes',
    description: 'Largest gRPC message the server sends.',
  },
  'grpc.maxConcurrentStreams': {
    kind: 'integer',
    min: 100,
    max: 1_000_000,
    unit: 'streams',
    description: 'HTTP/2 SETTINGS_MAX_CONCURRENT_STREAMS per connection.',
  },
  'grpc.keepaliveTimeMs': {
    kind: 'integer',
    min: 1_000,
    max: 7_200_000,
    unit: 'ms',
    description: 'Idle time before the server pings a connection to check it is alive.',
  },
  'grpc.keepaliveTimeoutMs': {
    kind: 'integer',
    min: 1_000,
    max: 600_000,
    unit: 'ms',
    description: 'How long the server waits for a ping answer before closing the connection.',
  },
  'grpc.keepalivePermitWithoutCalls': {
    kind: 'boolean',
    description: 'Whether keepalive pings are sent and allowed on connections with no call in flight.',
  },
  'shards.count': {
    kind: 'integer',
    min: 1,
    max: 64,
    unit: 'shards',
    description: 'Execution shards; each has one ring and one home worker.',
  },
  'shards.ringRecords': {
    kind: 'integer',
    min: 64,
    max: 16_777_216,
    powerOfTwo: true,
    unit: 'records',
    description: 'Records per shard ring; a full ring is backpressure on the client stream.',
  },
  'shards.ringRecordBytes': {
    kind: 'integer',
    // The smallest verify record (src/wire/verify-record-layout.ts): a batch-signed transaction
    // without payload. A transaction that does not fit the configured size is rejected, not the node.
    min: 136,
    max: 65_536,
    multipleOf: 8,
    unit: 'bytes',
    description: 'Bytes per ring record; one record holds one transaction (136 bytes + payload + signature) or rejects it.',
  },
  'batching.maxBatchTransactions': {
    kind: 'integer',
    min: 1,
    max: 65_536,
    unit: 'transactions',
    description: 'Most transactions accepted in one TxBatch.',
  },
  'batching.maxBatchBytes': {
    kind: 'integer',
    min: kibibyte,
    max: 256 * mebibyte,
    unit: 'bytes',
    description: 'Largest encoded TxBatch; at most grpc.maxReceiveMessageBytes.',
  },
  'batching.maxPayloadBytes': {
    kind: 'integer',
    min: 0,
    max: 65_535,
    unit: 'bytes',
    description: 'Largest transaction payload accepted; a log entry stores the length in 16 bits.',
  },
  'batching.maxInflightTransactions': {
    kind: 'integer',
    min: 1,
    max: 16_777_216,
    unit: 'transactions',
    description: 'Transactions admitted and not yet answered, across all calls; beyond it the node stops reading client streams.',
  },
  'batching.groupCommitWindowMs': {
    kind: 'integer',
    min: 0,
    max: 1_000,
    unit: 'ms',
    description: 'How long the Raft leader waits to gather entries into one fsync; 0 syncs at once.',
  },
  'batching.groupCommitMaxEntries': {
    kind: 'integer',
    min: 1,
    max: 65_536,
    unit: 'entries',
    description: 'Most log entries in one group commit.',
  },
  'workers.piscinaThreads': {
    kind: 'integer',
    min: 1,
    max: 256,
    unit: 'threads',
    description: 'Threads in the piscina shard pool (signature checks and execution).',
  },
  'workers.piscinaIdleTimeoutMs': {
    kind: 'integer',
    min: 0,
    max: 3_600_000,
    unit: 'ms',
    description: 'Idle time after which piscina retires a surplus thread.',
  },
  'raft.peers': {
    kind: 'peers',
    maxEntries: 15,
    description: 'Cluster members with this node among them; empty means a single node.',
  },
  'raft.tickMs': {
    kind: 'integer',
    min: 1,
    max: 10_000,
    unit: 'ms',
    description: 'Length of one Raft tick; heartbeats and elections count in ticks.',
  },
  'raft.heartbeatTicks': {
    kind: 'integer',
    min: 1,
    max: 1_000,
    unit: 'ticks',
    description: 'Ticks between leader heartbeats; less than raft.electionTicksMin.',
  },
  'raft.electionTicksMin': {
    kind: 'integer',
    min: 2,
    max: 10_000,
    unit: 'ticks',
    description: 'Shortest randomised election timeout.',
  },
  'raft.electionTicksMax': {
    kind: 'integer',
    min: 3,
    max: 10_000,
    unit: 'ticks',
    description: 'Longest randomised election timeout; more than raft.electionTicksMin.',
  },
  'raft.maxInflightBytes': {
    kind: 'integer',
    min: 64 * kibibyte,
    max: gibibyte,
    unit: 'bytes',
    description: 'Unacknowledged AppendEntries bytes per follower; at least batching.maxBatchBytes.',
  },
  'raft.snapshotEveryEntries': {
    kind: 'integer',
    min: 100,
    max: 100_000_000,
    unit: 'entries',
    description: 'Applied entries between snapshots (and log compaction); digest state machine only, the ledger does not compact yet.',
  },
  'raft.rawProposals': {
    kind: 'boolean',
    description: 'Allow ConsensusService.Propose to append opaque payloads (tooling, benchmarks); keep false in production.',
  },
  'raft.stateMachine': {
    kind: 'enum',
    values: ['ledger', 'digest'] satisfies StateMachineChoice[],
    description: 'What committed entries are applied to: the ledger (transactions) or a digest of the log (Raft alone: consensus tests and benchmarks).',
  },
  'crypto.backend': {
    kind: 'enum',
    values: ['auto', 'native', 'noble'] satisfies CryptoBackendChoice[],
    description: 'ML-DSA/ML-KEM implementation: native OpenSSL, portable @noble, or auto (native when present).',
  },
  'crypto.keystore.scryptN': {
    kind: 'integer',
    min: 1_024,
    max: 1_048_576,
    powerOfTwo: true,
    unit: 'factor',
    description: 'scrypt CPU/memory cost N of the key-encryption key; memory is 128 * N * r bytes.',
  },
  'crypto.keystore.scryptR': {
    kind: 'integer',
    min: 1,
    max: 32,
    unit: 'factor',
    description: 'scrypt block size r.',
  },
  'crypto.keystore.scryptP': {
    kind: 'integer',
    min: 1,
    max: 16,
    unit: 'factor',
    description: 'scrypt parallelism p.',
  },
  'crypto.keystore.secretEnv': {
    kind: 'string',
    pattern: /^[A-Z_][A-Z0-9_]{0,127}$/,
    patternDescription: 'an environment variable name: upper-case letters, digits and _, not starting with a digit',
    description: 'Name of the environment variable holding the operator secret (never the secret itself).',
  },
  'log.level': {
    kind: 'enum',
    values: ['debug', 'info', 'warn', 'error'] satisfies LogLevel[],
    description: 'Least severe level written to the JSON log.',
  },
  'log.runtimeReportIntervalMs': {
    kind: 'integer',
    min: 0,
    max: 3_600_000,
    unit: 'ms',
    description: "Period of the info-level `runtime` log line (RSS parts; every thread's V8 heap, event-loop utilization and event-loop delay); 0 turns it off.",
  },
  'memory.threadOldGenerationMb': {
    kind: 'integer',
    min: 16,
    max: 65_536,
    unit: 'mebibytes',
    description: "V8 old-generation cap of each of the node's threads (main, acceptor, Raft, every shard worker); `aurigraph start` re-executes itself with --max-old-space-size.",
  },
  'memory.threadYoungGenerationMb': {
    kind: 'integer',
    min: 3,
    max: 1_024,
    multipleOf: 3,
    unit: 'mebibytes',
    description: 'V8 young-generation cap of each thread (three semi-spaces); larger means fewer scavenges and more memory.',
  },
  'memory.mallocArenas': {
    kind: 'integer',
    min: 0,
    max: 1_024,
    unit: 'arenas',
    description: "glibc malloc arenas of the node process (MALLOC_ARENA_MAX, set by re-exec); 0 leaves glibc's default of 8 per core.",
  },
  'ledger.genesisFile': {
    kind: 'string',
    pattern: /^[^\0\r\n]{1,4096}$/,
    patternDescription: 'a non-empty path of at most 4096 characters on one line',
    description: 'The genesis document (YAML) the ledger starts from; relative paths resolve against the config folder.',
  },
};

/** 'maxReceiveMessageBytes' → 'MAX_RECEIVE_MESSAGE_BYTES', 'scryptN' → 'SCRYPT_N'. */
function upperSnakeCase(segment: string): string {
  return segment.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
}

export const environmentPrefix = 'AURIGRAPH_';

export function environmentVariableFor(path: string): string {
  return environmentPrefix + path.split('.').map(upperSnakeCase).join('_');
}

export const configFields: readonly ConfigField[] = Object.entries(fieldTable).map(
  ([path, spec]) => ({ ...spec, path: path as ConfigFieldPath, environmentVariable: environmentVariableFor(path) }) as ConfigField,
);

const fieldsByPath = new Map<string, ConfigField>(configFields.map((field) => [field.path, field]));
const fieldsByEnvironmentVariable = new Map<string, ConfigField>(
  configFields.map((field) => [field.environmentVariable, field]),
);
assert(fieldsByEnvironmentVariable.size === configFields.length, 'each config field derives its own environment variable name');

export function fieldByPath(path: string): ConfigField | undefined {
  return fieldsByPath.get(path);
}

export function fieldByEnvironmentVariable(name: string): ConfigField | undefined {
  return fieldsByEnvironmentVariable.get(name);
}

/** Top-level section names ('node', 'grpc', …): the AURIGRAPH_<SECTION>_ namespaces config owns. */
export const configSections: readonly string[] = [...new Set(configFields.map((field) => field.path.split('.')[0]!))];
