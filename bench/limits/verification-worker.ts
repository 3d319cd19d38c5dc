/**
 * Worker thread of the verification limit (verification-child.ts): prepares one kind of work,
 * reports ready, then on 'go' repeats it for `durationMs` and reports how many it did. Every
 * operation's answer is checked (a verification that says false is counted as a failure), so a
 * broken fixture cannot pass for a fast one.
 */
import crypto from 'node:crypto';
import { parentPort, workerData } from 'node:worker_threads';
import { createNativeSignatureBackend, signBatch, transactionHash, verifyBatch } from '../../src/crypto/index.js';
import { TransactionKind } from '../../src/generated/aurigraph.js';
import { transactionSigningBytes } from '../../src/wire/index.js';
import { benchChainId } from './batch-shapes.js';

export type VerificationKind = 'ml-dsa-65-verify' | 'batch-verify' | 'signing-bytes-sha256';

export interface VerificationWorkerData {
  kind: VerificationKind;
  durationMs: number;
  /** Transactions under one batch signature (batch-verify). */
  transactionsPerBatch: number;
}

export type VerificationWorkerMessage =
  | { type: 'ready'; signingBytesLength: number }
  | {
      type: 'done';
      operations: number;
      failures: number;
      elapsedNs: string;
      /** This thread's CPU time while measuring: below elapsed when other work took the core. */
      threadCpuUs: number;
    };

if (parentPort === null) throw new Error('verification-worker.js runs only as a worker thread');
const port = parentPort;
const data = workerData as VerificationWorkerData;
const algorithm = 'ML-DSA-65';

/** A transfer's signing bytes: what a per-transaction signature signs and tx_hash hashes. */
const signingBytes = transactionSigningBytes({
  kind: TransactionKind.TRANSFER,
  from: crypto.randomBytes(32),
  to: crypto.randomBytes(32),
  amount: 1_000n,
  nonce: 7n,
  fee: 1n,
  chainId: benchChainId,
  payload: new Uint8Array(0),
  signature: new Uint8Array(0),
});

/** One operation; true when its answer was the expected one. */
function prepare(): () => boolean {
  const backend = createNativeSignatureBackend();
  const { publicKey, privateKey } = backend.keygen(algorithm);
  if (data.kind === 'ml-dsa-65-verify') {
    const signature = backend.sign(privateKey, signingBytes);
    return () => backend.verify(algorithm, publicKey, signingBytes, signature);
  }
  if (data.kind === 'batch-verify') {
    const hashes = Array.from({ length: data.transactionsPerBatch }, () => transactionHash(crypto.randomBytes(signingBytes.length)));
    const { signature } = signBatch(backend, privateKey, hashes);
    return () => verifyBatch(backend, algorithm, hashes, publicKey, signature);
  }
  return () => transactionHash(signingBytes).length === 32;
}

const operation = prepare();
port.postMessage({ type: 'ready', signingBytesLength: signingBytes.length } satisfies VerificationWorkerMessage);
port.once('message', () => {
  const cpuStart = process.threadCpuUsage();
  const startNs = process.hrtime.bigint();
  const deadlineNs = startNs + BigInt(data.durationMs) * 1_000_000n;
  let operations = 0;
  let failures = 0;
  let nowNs = startNs;
  // The clock is read every 16 operations: a hash takes about a microsecond.
  while (nowNs < deadlineNs) {
    for (let inner = 0; inner < 16; inner += 1) if (!operation()) failures += 1;
    operations += 16;
    nowNs = process.hrtime.bigint();
  }
  const cpu = process.threadCpuUsage(cpuStart);
  port.postMessage({
    type: 'done',
    operations,
    failures,
    elapsedNs: (nowNs - startNs).toString(),
    threadCpuUs: cpu.user + cpu.system,
  } satisfies VerificationWorkerMessage);
});
