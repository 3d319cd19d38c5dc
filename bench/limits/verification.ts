/**
 * Limit 3: signature verification and hashing per core, in a child process
 * (verification-child.ts): native ML-DSA-65 verify, batch verification (Merkle root of the
 * batch's transaction hashes + one ML-DSA-65 verify), and SHA-256 of a transfer's signing
 * bytes, each on k = 1, 2, … worker threads, to show how it scales on this machine.
 */
import { invalidArgument } from '../../src/errors.js';
import { runInChildProcess } from '../common/child-process.js';
import type { VerificationCaseOutcome, VerificationChildInput, VerificationChildResult } from './verification-child.js';
import type { VerificationKind } from './verification-worker.js';

export type { VerificationKind } from './verification-worker.js';
export type { VerificationThreadOutcome } from './verification-child.js';

export const verificationKinds: readonly VerificationKind[] = ['ml-dsa-65-verify', 'batch-verify', 'signing-bytes-sha256'];

export interface VerificationOptions {
  durationMsPerCase: number;
  /** Worker-thread counts to run each kind with; [1, 2] by default. */
  threadCounts?: number[];
  /** All three by default. */
  kinds?: VerificationKind[];
  /** Transactions under one batch signature; 1,024 by default. */
  transactionsPerBatch?: number;
}

export interface VerificationCase extends VerificationCaseOutcome {
  /** Transactions each operation covers: transactionsPerBatch for batch-verify, else 1. */
  transactionsPerOperation: number;
  transactionsPerSecond: number;
  /** Microseconds of one thread per transaction: threads / transactionsPerSecond. */
  threadMicrosecondsPerTransaction: number;
}

export interface VerificationResult {
  limit: 'verification';
  configuration: {
    durationMsPerCase: number;
    threadCounts: number[];
    kinds: VerificationKind[];
    transactionsPerBatch: number;
    algorithm: 'ML-DSA-65';
    backend: 'native (node:crypto / OpenSSL)';
    signingBytesLength: number;
  };
  cases: VerificationCase[];
}

export async function measureVerification(options: VerificationOptions): Promise<VerificationResult> {
  const durationMsPerCase = options.durationMsPerCase;
  if (!Number.isInteger(durationMsPerCase) || durationMsPerCase <= 0) {
    throw invalidArgument('durationMsPerCase', `must be a positive whole number of milliseconds, got ${durationMsPerCase}`);
  }
  const threadCounts = options.threadCounts ?? [1, 2];
  if (threadCounts.length === 0 || threadCounts.some((count) => !Number.isInteger(count) || count <= 0 || count > 64)) {
    throw invalidArgument('threadCounts', `must be whole numbers from 1 to 64, got [${threadCounts.join(', ')}]`);
  }
  const kinds = options.kinds ?? [...verificationKinds];
  for (const kind of kinds) {
    if (!verificationKinds.includes(kind)) throw invalidArgument('kinds', `must be among ${verificationKinds.join(', ')}, got ${String(kind)}`);
  }
  const transactionsPerBatch = options.transactionsPerBatch ?? 1024;
  if (!Number.isInteger(transactionsPerBatch) || transactionsPerBatch <= 0) {
    throw invalidArgument('transactionsPerBatch', `must be a positive whole number, got ${transactionsPerBatch}`);
  }
  const caseCount = kinds.length * threadCounts.length;
  const child = await runInChildProcess<VerificationChildInput, VerificationChildResult>({
    module: new URL('./verification-child.js', import.meta.url),
    label: 'verification',
    input: { kinds, threadCounts, durationMsPerCase, transactionsPerBatch },
    // Each case: worker start-up and key generation, then the measured time.
    timeoutMs: caseCount * (durationMsPerCase + 10_000) + 30_000,
  });
  return {
    limit: 'verification',
    configuration: {
      durationMsPerCase,
      threadCounts,
      kinds,
      transactionsPerBatch,
      algorithm: 'ML-DSA-65',
      backend: 'native (node:crypto / OpenSSL)',
      signingBytesLength: child.signingBytesLength,
    },
    cases: child.cases.map((outcome) => {
      const transactionsPerOperation = outcome.kind === 'batch-verify' ? transactionsPerBatch : 1;
      const transactionsPerSecond = outcome.operationsPerSecond * transactionsPerOperation;
      return { ...outcome, transactionsPerOperation, transactionsPerSecond, threadMicrosecondsPerTransaction: (outcome.threads / transactionsPerSecond) * 1e6 };
    }),
  };
}
