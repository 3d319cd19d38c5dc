/**
 * Every limit in one call, each measured in its own child process(es), one after another (never
 * two at once: they would share the two cores). The ingest benchmark runs this in the same run
 * as its own measurement and reports its figures as ratios against `headlineLimits(report)`;
 * run.ts writes the report into BENCHMARKS.md.
 */
import { describeMachine, type MachineDescription } from '../common/machine.js';
import type { SignatureMode } from './batch-shapes.js';
import { measureRawGrpcStream, type RawGrpcStreamOptions, type RawGrpcStreamResult } from './grpc-stream.js';
import { measureLmdbWrites, type LmdbWritesResult } from './lmdb-writes.js';
import { measureVerification, type VerificationResult } from './verification.js';

export type GrpcStreamConfiguration = Omit<RawGrpcStreamOptions, 'durationMs' | 'warmupMs'>;

/**
 * The client configurations tried for the raw gRPC limit: from one stream with one batch in
 * flight (the latency floor) through streams sharing one connection, to several connections and
 * client threads. The best transactions/s among them is the limit; every row is reported.
 */
export const rawGrpcStreamSweep: readonly GrpcStreamConfiguration[] = [
  { signatureMode: 'batch-signed', clientThreads: 1, connectionsPerThread: 1, streamsPerConnection: 1, batchesInFlightPerStream: 1 },
  { signatureMode: 'batch-signed', clientThreads: 1, connectionsPerThread: 1, streamsPerConnection: 4, batchesInFlightPerStream: 2 },
  { signatureMode: 'batch-signed', clientThreads: 1, connectionsPerThread: 4, streamsPerConnection: 1, batchesInFlightPerStream: 2 },
  { signatureMode: 'batch-signed', clientThreads: 1, connectionsPerThread: 8, streamsPerConnection: 1, batchesInFlightPerStream: 1 },
  { signatureMode: 'batch-signed', clientThreads: 2, connectionsPerThread: 4, streamsPerConnection: 1, batchesInFlightPerStream: 1 },
  { signatureMode: 'batch-signed', clientThreads: 2, connectionsPerThread: 4, streamsPerConnection: 1, batchesInFlightPerStream: 2 },
  { signatureMode: 'per-transaction', clientThreads: 1, connectionsPerThread: 1, streamsPerConnection: 1, batchesInFlightPerStream: 1 },
  { signatureMode: 'per-transaction', clientThreads: 1, connectionsPerThread: 4, streamsPerConnection: 1, batchesInFlightPerStream: 2 },
  { signatureMode: 'per-transaction', clientThreads: 2, connectionsPerThread: 2, streamsPerConnection: 1, batchesInFlightPerStream: 2 },
];

export interface LimitsSuiteOptions {
  /** Measured time of each gRPC configuration; 5,000 by default. */
  grpcDurationMs?: number;
  /** Per LMDB case (five cases); 4,000 by default. */
  lmdbDurationMsPerCase?: number;
  /** Per verification case (three kinds × thread counts); 4,000 by default. */
  verificationDurationMsPerCase?: number;
  /** rawGrpcStreamSweep by default. */
  grpcConfigurations?: readonly GrpcStreamConfiguration[];
  /** [1, 2] by default. */
  verificationThreadCounts?: number[];
  /** Called before each measurement starts, for progress output. */
  onProgress?: (message: string) => void;
}

export interface LimitsReport {
  machineAtStart: MachineDescription;
  machineAtEnd: MachineDescription;
  elapsedSec: number;
  grpc: RawGrpcStreamResult[];
  lmdb: LmdbWritesResult;
  verification: VerificationResult;
}

/** The figures a node measurement is compared with, each with where it came from. */
export interface HeadlineLimits {
  /** Best transactions/s of batch-signed batches over raw gRPC, and the run it came from. */
  grpcBatchSigned: { transactionsPerSecond: number; run: RawGrpcStreamResult } | undefined;
  /** Best request bytes/s with per-transaction signatures. */
  grpcPerTransaction: { transactionsPerSecond: number; requestBytesPerSecond: number; run: RawGrpcStreamResult } | undefined;
  ledgerCommitTransactionsPerSecond: number;
  rawLmdbTransactionsPerSecond: number;
  /** LMDB, fsync per 1,024-transaction entry, overlappingSync off. */
  fsyncedEntryCommitsPerSecond: number;
  fileFdatasyncCommitsPerSecond: number;
  /** Native ML-DSA-65 verifications per second on one thread, and on the most threads measured. */
  verifyPerSecondOneThread: number | undefined;
  verifyPerSecondAllThreads: { threads: number; operationsPerSecond: number } | undefined;
  /** Transactions per second through batch verification (Merkle root + one verify) on one thread. */
  batchVerifyTransactionsPerSecondOneThread: number | undefined;
  sha256SigningBytesPerSecondOneThread: number | undefined;
}

export async function runLimitsSuite(options: LimitsSuiteOptions = {}): Promise<LimitsReport> {
  const progress = options.onProgress ?? (() => undefined);
  const machineAtStart = describeMachine();
  const startedNs = process.hrtime.bigint();
  const grpc: RawGrpcStreamResult[] = [];
  for (const configuration of options.grpcConfigurations ?? rawGrpcStreamSweep) {
    progress(`raw gRPC stream: ${describeGrpcConfiguration(configuration)}`);
    grpc.push(await measureRawGrpcStream({ ...configuration, durationMs: options.grpcDurationMs ?? 5000 }));
  }
  progress('LMDB writes: ledger commitBlock, raw puts, fsynced entries');
  const lmdb = await measureLmdbWrites({ durationMsPerCase: options.lmdbDurationMsPerCase ?? 4000 });
  progress('verification: ML-DSA-65 verify, batch verify, SHA-256 of signing bytes');
  const verification = await measureVerification({
    durationMsPerCase: options.verificationDurationMsPerCase ?? 4000,
    threadCounts: options.verificationThreadCounts ?? [1, 2],
  });
  return { machineAtStart, machineAtEnd: describeMachine(), elapsedSec: Number(process.hrtime.bigint() - startedNs) / 1e9, grpc, lmdb, verification };
}

export function describeGrpcConfiguration(configuration: Pick<GrpcStreamConfiguration, 'signatureMode' | 'clientThreads' | 'connectionsPerThread' | 'streamsPerConnection' | 'batchesInFlightPerStream'>): string {
  const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? '' : 's'}`;
  return (
    `${configuration.signatureMode}, ${plural(configuration.clientThreads, 'client thread')} × ${plural(configuration.connectionsPerThread, 'connection')} × ` +
    `${plural(configuration.streamsPerConnection, 'stream')} × ${configuration.batchesInFlightPerStream} in flight`
  );
}

function best(runs: readonly RawGrpcStreamResult[], mode: SignatureMode): RawGrpcStreamResult | undefined {
  const candidates = runs.filter((run) => run.configuration.signatureMode === mode && run.errorCount === 0);
  return candidates.reduce<RawGrpcStreamResult | undefined>((top, run) => (top === undefined || run.transactionsPerSecond > top.transactionsPerSecond ? run : top), undefined);
}

export function headlineLimits(report: LimitsReport): HeadlineLimits {
  const batchSigned = best(report.grpc, 'batch-signed');
  const perTransaction = best(report.grpc, 'per-transaction');
  const casesOf = (kind: string) => report.verification.cases.filter((entry) => entry.kind === kind);
  const oneThread = (kind: string) => casesOf(kind).find((entry) => entry.threads === 1);
  const verifyMostThreads = casesOf('ml-dsa-65-verify').reduce<(typeof report.verification.cases)[number] | undefined>(
    (top, entry) => (top === undefined || entry.threads > top.threads ? entry : top),
    undefined,
  );
  return {
    grpcBatchSigned: batchSigned === undefined ? undefined : { transactionsPerSecond: batchSigned.transactionsPerSecond, run: batchSigned },
    grpcPerTransaction:
      perTransaction === undefined
        ? undefined
        : { transactionsPerSecond: perTransaction.transactionsPerSecond, requestBytesPerSecond: perTransaction.requestBytesPerSecond, run: perTransaction },
    ledgerCommitTransactionsPerSecond: report.lmdb.ledgerCommitBlock.transactionsPerSecond,
    rawLmdbTransactionsPerSecond: report.lmdb.rawLmdbBlock.transactionsPerSecond,
    fsyncedEntryCommitsPerSecond: report.lmdb.lmdbSyncedEntry.commitsPerSecond,
    fileFdatasyncCommitsPerSecond: report.lmdb.fileAppendFdatasync.commitsPerSecond,
    verifyPerSecondOneThread: oneThread('ml-dsa-65-verify')?.operationsPerSecond,
    verifyPerSecondAllThreads: verifyMostThreads === undefined ? undefined : { threads: verifyMostThreads.threads, operationsPerSecond: verifyMostThreads.operationsPerSecond },
    batchVerifyTransactionsPerSecondOneThread: oneThread('batch-verify')?.transactionsPerSecond,
    sha256SigningBytesPerSecondOneThread: oneThread('signing-bytes-sha256')?.operationsPerSecond,
  };
}
