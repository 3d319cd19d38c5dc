/**
 * The seal-batch task: once every transaction of a batch is verified, the Merkle root the log
 * entry carries (over the hashes of the transactions going into it, in batch order) and, for a
 * batch-signed batch, its one signature check: the Merkle root over ALL its transactions'
 * hashes, signed by the submitter key (src/crypto/batch-signature.ts).
 *
 * A 1,024-transaction batch costs about 2,000 SHA-256 calls per root and one ML-DSA verify,
 * 2 to 3 ms: pool work, not the coordinator's. One task seals every batch the coordinator
 * found verified at once (one verify result completes many small batches): a pool task is two
 * thread hops, more than a small batch's Merkle root costs.
 */
import crypto from 'node:crypto';
import { type MlDsaAlgorithm, mlDsaParameters, merkleRoot, verifyBatchRoot } from '../crypto/index.js';
import { assert } from '../errors.js';
import { KeyAlgorithm, RejectReason } from '../generated/aurigraph.js';
import type { WorkerContext } from './worker-context.js';

const hashBytes = 32;

export interface BatchSignatureCheck {
  signature: Uint8Array;
  /** TxBatch.submitter_key_id: SHA-256 of the submitter's public key. */
  keyId: Uint8Array;
  /** TxBatch.submitter_public_key; empty to look the key up on the ledger by id. */
  publicKey: Uint8Array;
  /** TxBatch.submitter_algorithm (KeyAlgorithm). */
  algorithm: number;
}

export interface SealBatchTask {
  kind: 'seal-batch';
  batches: SealBatchInput[];
}

export interface SealBatchInput {
  /** 32 bytes per transaction of the batch, in batch order. */
  hashes: Uint8Array;
  /** 1 for each transaction going into the log entry, 0 for the rejected ones. */
  included: Uint8Array;
  batchSignature?: BatchSignatureCheck;
}

/** One result per batch of the task, in its order. */
export interface SealBatchesResult {
  results: SealBatchResult[];
}

export interface SealBatchResult {
  /** Set when the batch signature does not hold: every transaction of the batch is rejected. */
  signatureRejection?: { reason: RejectReason; message: string };
  /** Merkle root over the included transactions' hashes; empty when none is included. */
  entryRoot: Uint8Array;
}

const algorithmNames = new Map<number, MlDsaAlgorithm>([
  [KeyAlgorithm.ML_DSA_44, 'ML-DSA-44'],
  [KeyAlgorithm.ML_DSA_65, 'ML-DSA-65'],
  [KeyAlgorithm.ML_DSA_87, 'ML-DSA-87'],
]);

export function runSealBatch(context: WorkerContext, task: SealBatchTask): SealBatchesResult {
  assert(task.batches.length >= 1, 'a seal task seals at least one batch');
  return { results: task.batches.map((batch) => sealOne(context, batch)) };
}

function sealOne(context: WorkerContext, task: SealBatchInput): SealBatchResult {
  const count = task.included.length;
  assert(count >= 1 && task.hashes.length === count * hashBytes, `${count} hashes of ${hashBytes} bytes for ${count} transactions`);
  const all: Uint8Array[] = [];
  const included: Uint8Array[] = [];
  for (let index = 0; index < count; index++) {
    const hash = task.hashes.subarray(index * hashBytes, (index + 1) * hashBytes);
    all.push(hash);
    if (task.included[index] === 1) included.push(hash);
  }
  let batchRoot: Uint8Array | undefined;
  if (task.batchSignature !== undefined) {
    batchRoot = merkleRoot(all);
    const signatureRejection = checkBatchSignature(context, batchRoot, task.batchSignature);
    if (signatureRejection !== undefined) return { signatureRejection, entryRoot: new Uint8Array(0) };
  }
  const entryRoot = included.length === 0 ? new Uint8Array(0) : included.length === count && batchRoot ? batchRoot : merkleRoot(included);
  return { entryRoot };
}

function checkBatchSignature(context: WorkerContext, root: Uint8Array, check: BatchSignatureCheck): SealBatchResult['signatureRejection'] {
  const algorithm = algorithmNames.get(check.algorithm);
  assert(algorithm !== undefined, 'the acceptor admits only ML-DSA submitter algorithms');
  const parameters = mlDsaParameters[algorithm];
  if (check.signature.length !== parameters.signatureBytes) {
    return {
      reason: RejectReason.INVALID_SIGNATURE,
      message: `batch_signature: a ${algorithm} signature is ${parameters.signatureBytes} bytes, got ${check.signature.length}`,
    };
  }
  let publicKey: Uint8Array | undefined = check.publicKey;
  if (publicKey.length === 0) {
    publicKey = context.publicKey(check.keyId);
    if (publicKey === undefined) {
      return {
        reason: RejectReason.SUBMITTER_NOT_AUTHORIZED,
        message: `submitter_key_id: no key with id ${hex(check.keyId)} is registered on the ledger; send submitter_public_key or register the key`,
      };
    }
  } else if (!equalBytes(crypto.hash('sha256', publicKey, 'buffer'), check.keyId)) {
    return { reason: RejectReason.INVALID_SIGNATURE, message: 'submitter_public_key: its SHA-256 is not submitter_key_id' };
  }
  if (publicKey.length !== parameters.publicKeyBytes) {
    return {
      reason: RejectReason.INVALID_SIGNATURE,
      message: `submitter_public_key: a ${algorithm} public key is ${parameters.publicKeyBytes} bytes, got ${publicKey.length} (submitter_algorithm does not match the key)`,
    };
  }
  if (verifyBatchRoot(context.backend(), algorithm, root, publicKey, check.signature)) return undefined;
  return {
    reason: RejectReason.INVALID_SIGNATURE,
    message: `batch_signature: does not verify over the Merkle root of the batch's transaction hashes with submitter key ${hex(check.keyId)}`,
  };
}

function equalBytes(left: Uint8Array, right: Uint8Array): boolean {
  return left.length === right.length && left.every((byte, index) => byte === right[index]);
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}
