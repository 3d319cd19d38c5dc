import { mlDsaParameters, requireMlDsaAlgorithm, type MlDsaAlgorithm } from './algorithms.js';
import { requireBytesOfLength } from './byte-checks.js';
import { merkleRoot } from './merkle.js';
import type { MlDsaPrivateKey } from './private-keys.js';
import type { SignatureBackend } from './signature-backend.js';
import { transactionHashBytes } from './transaction-hash.js';

/**
 * Batch authorisation: one ML-DSA signature by the submitter's key over the Merkle root of the
 * batch's transaction hashes, instead of one signature per transaction. The signed message is
 *   "aurigraph/batch-root/v1" || 0x00 || root
 * so a batch signature can never be replayed as a signature over anything else the same key
 * signs (a transaction, a block), and no other message can be passed off as a batch root.
 */

export const batchSignatureDomain = 'aurigraph/batch-root/v1';

const domainBytes = new TextEncoder().encode(batchSignatureDomain);

export interface BatchSignature {
  /** The Merkle root that was signed (see merkle.ts). */
  root: Uint8Array;
  signature: Uint8Array;
}

/** The exact bytes a batch signature signs, for a 32-byte Merkle root. */
export function batchSigningMessage(root: Uint8Array): Uint8Array {
  requireBytesOfLength('root', root, transactionHashBytes, 'Merkle roots');
  const message = new Uint8Array(domainBytes.length + 1 + transactionHashBytes);
  message.set(domainBytes, 0);
  message[domainBytes.length] = 0x00;
  message.set(root, domainBytes.length + 1);
  return message;
}

export function signBatch(
  backend: SignatureBackend,
  submitterPrivateKey: MlDsaPrivateKey,
  transactionHashes: readonly Uint8Array[],
  options: { deterministic?: boolean } = {},
): BatchSignature {
  const root = merkleRoot(transactionHashes);
  const signature = backend.sign(submitterPrivateKey, batchSigningMessage(root), options);
  return { root, signature };
}

/**
 * True when `signature` is the submitter's batch signature over exactly these transaction hashes,
 * in this order. Wrong lengths are invalid_argument errors, as in SignatureBackend.verify.
 */
export function verifyBatch(
  backend: SignatureBackend,
  algorithm: MlDsaAlgorithm,
  transactionHashes: readonly Uint8Array[],
  submitterPublicKey: Uint8Array,
  signature: Uint8Array,
): boolean {
  const checkedAlgorithm = requireMlDsaAlgorithm('algorithm', algorithm);
  // Cheap length checks first, so a malformed request costs no hashing.
  requireBytesOfLength('submitterPublicKey', submitterPublicKey, mlDsaParameters[checkedAlgorithm].publicKeyBytes, `${checkedAlgorithm} public keys`);
  requireBytesOfLength('signature', signature, mlDsaParameters[checkedAlgorithm].signatureBytes, `${checkedAlgorithm} signatures`);
  return verifyBatchRoot(backend, checkedAlgorithm, merkleRoot(transactionHashes), submitterPublicKey, signature);
}

/** As verifyBatch, for a caller that has already computed the batch's Merkle root. */
export function verifyBatchRoot(
  backend: SignatureBackend,
  algorithm: MlDsaAlgorithm,
  root: Uint8Array,
  submitterPublicKey: Uint8Array,
  signature: Uint8Array,
): boolean {
  return backend.verify(algorithm, submitterPublicKey, batchSigningMessage(root), signature);
}
