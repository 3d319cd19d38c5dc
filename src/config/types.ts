/**
 * The validated shape of a node's configuration. Profiles in config/*.yaml are layered over
 * config/defaults.yaml, then environment variables, then CLI flags; the loader validates the
 * result against this shape and rejects unknown keys, wrong types and out-of-range values.
 */

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type CryptoBackendChoice = 'auto' | 'native' | 'noble';
/** What committed log entries are applied to (src/consensus/apply-target.ts). */
export type StateMachineChoice = 'ledger' | 'digest';

export interface PeerConfig {
  /** Stable node id, unique in the cluster. */
  id: string;
  /** host:port of the peer's gRPC server. */
  address: string;
}

export interface NodeConfig {
  /** Profile names applied, in order (for logs and `status`). */
  profiles: string[];
  node: {
    id: string;
    /** Folder for LMDB files, the Raft log and the keystore. */
    dataDir: string;
  };
  grpc: {
    host: string;
    port: number;
    maxReceiveMessageBytes: number;
    maxSendMessageBytes: number;
    /** HTTP/2 SETTINGS_MAX_CONCURRENT_STREAMS per connection. */
    maxConcurrentStreams: number;
    keepaliveTimeMs: number;
    keepaliveTimeoutMs: number;
    keepalivePermitWithoutCalls: boolean;
  };
  shards: {
    count: number;
    /** Records per shard ring; a power of two. */
    ringRecords: number;
    /** Bytes per ring record; a multiple of 8. */
    ringRecordBytes: number;
  };
  batching: {
    maxBatchTransactions: number;
    maxBatchBytes: number;
    /** Largest transaction payload accepted, 0..65535 (a log entry stores a u16 length). */
    maxPayloadBytes: number;
    /** Transactions admitted and not yet answered, across all calls; more stops reading streams. */
    maxInflightTransactions: number;
    groupCommitWindowMs: number;
    groupCommitMaxEntries: number;
  };
  workers: {
    /** Threads in the piscina shard pool. */
    piscinaThreads: number;
    piscinaIdleTimeoutMs: number;
  };
  raft: {
    peers: PeerConfig[];
    tickMs: number;
    heartbeatTicks: number;
    electionTicksMin: number;
    electionTicksMax: number;
    maxInflightBytes: number;
    snapshotEveryEntries: number;
    /** Whether ConsensusService.Propose (opaque payloads, for tooling and benchmarks) is allowed. */
    rawProposals: boolean;
    /** 'ledger': the transaction pipeline; 'digest': a fingerprint of the log (Raft alone). */
    stateMachine: StateMachineChoice;
  };
  crypto: {
    backend: CryptoBackendChoice;
    keystore: {
      /** scrypt cost parameters for the key-encryption key. */
      scryptN: number;
      scryptR: number;
      scryptP: number;
      /** Name of the environment variable that holds the operator secret. */
      secretEnv: string;
    };
  };
  log: {
    level: LogLevel;
    /**
     * Period of the `runtime` log line (RSS parts; per thread: heap, event-loop utilization and
     * delay), ms; 0 turns it off.
     */
    runtimeReportIntervalMs: number;
  };
  memory: {
    /**
     * V8 old-generation cap of each of the node's threads (main, acceptor, Raft, every shard
     * worker), MiB. One value: V8's heap flags are process-wide and override worker limits.
     */
    threadOldGenerationMb: number;
    /** V8 young-generation cap of each thread, MiB (three semi-spaces). */
    threadYoungGenerationMb: number;
    /** glibc malloc arenas of the process (MALLOC_ARENA_MAX); 0 leaves glibc's default. */
    mallocArenas: number;
  };
  ledger: {
    /**
     * The genesis document (YAML) the ledger starts from; relative paths resolve against the
     * config folder. Absolute after loading.
     */
    genesisFile: string;
  };
}
