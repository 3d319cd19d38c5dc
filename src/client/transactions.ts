/**
 * Building and signing transactions and batches, for clients, tools and tests. Cold path: one
 * object per transaction, new buffers for signing bytes and hashes.
 *
 *   const backend = selectSignatureBackend('auto');
 *   const tx = signTransaction(transfer({ from, to, amount: 5n, nonce: 0n, chainId }), key, backend);
 *   const perTransaction = buildSignedBatch(1n, [tx]);
 *   const batchSigned = buildBatchSignedBatch(2n, [transfer(...), transfer(...)], submitter, backend);
 *
 * What is signed (transaction.proto): a per-transaction signature is ML-DSA over the signing
 * bytes; a batch signature is ML-DSA over "aurigraph/batch-root/v1" || 0x00 || the Merkle root of
 * the transactions' hashes in batch order. Either backend signs; every node verifies both.
 */
import { createHash } from 'node:crypto';
import {
  type MlDsaAlgorithm,
  type MlDsaPrivateKey,
  type SignatureBackend,
  mlDsaParameters,
  signBatch,
  transactionHash,
} from '../crypto/index.js';
import { assert, invalidArgument } from '../errors.js';
import {
  KeyAlgorithm,
  type KeyRole,
  RegisterKeyPayload,
  type Transaction,
  TransactionKind,
  type TxBatch,
} from '../generated/aurigraph.js';
import { transactionSigningBytes } from '../wire/signing-bytes.js';

/** An ML-DSA key that signs: the private key with its public key. */
export interface SigningKey {
  privateKey: MlDsaPrivateKey;
  publicKey: Uint8Array;
}

export interface TransferFields {
  from: Uint8Array;
  to: Uint8Array;
  amount: bigint;
  nonce: bigint;
  /** Defaults to 0. */
  fee?: bigint;
  chainId: number;
}

export interface RegisterKeyFields {
  /** The account registering the key. */
  from: Uint8Array;
  role: KeyRole;
  algorithm: KeyAlgorithm;
  publicKey: Uint8Array;
  nonce: bigint;
  fee?: bigint;
  chainId: number;
}

const emptyBytes = new Uint8Array(0);

/** The wire KeyAlgorithm of an ML-DSA parameter set. */
export function keyAlgorithmOf(algorithm: MlDsaAlgorithm): KeyAlgorithm {
  switch (algorithm) {
    case 'ML-DSA-44':
      return KeyAlgorithm.ML_DSA_44;
    case 'ML-DSA-65':
      return KeyAlgorithm.ML_DSA_65;
    case 'ML-DSA-87':
      return KeyAlgorithm.ML_DSA_87;
  }
}

/** An unsigned TRANSFER (signature empty). */
export function transfer(fields: TransferFields): Transaction {
  return {
    kind: TransactionKind.TRANSFER,
    from: fields.from,
    to: fields.to,
    amount: fields.amount,
    nonce: fields.nonce,
    fee: fields.fee ?? 0n,
    chainId: fields.chainId,
    payload: emptyBytes,
    signature: emptyBytes,
  };
}

/** An unsigned REGISTER_KEY: the payload is the RegisterKeyPayload of the key. */
export function registerKey(fields: RegisterKeyFields): Transaction {
  return {
    kind: TransactionKind.REGISTER_KEY,
    from: fields.from,
    to: emptyBytes,
    amount: 0n,
    nonce: fields.nonce,
    fee: fields.fee ?? 0n,
    chainId: fields.chainId,
    payload: RegisterKeyPayload.encode({ role: fields.role, algorithm: fields.algorithm, publicKey: fields.publicKey }),
    signature: emptyBytes,
  };
}

/** A key's id on the ledger: SHA-256 of its public key. */
export function keyIdOf(publicKey: Uint8Array): Uint8Array {
  return new Uint8Array(createHash('sha256').update(publicKey).digest());
}

/** SHA-256 of the transaction's signing bytes: its tx_hash. */
export function transactionHashOf(transaction: Transaction): Uint8Array {
  return transactionHash(transactionSigningBytes(transaction));
}

/** A copy of `transaction` carrying an ML-DSA signature over its signing bytes by `privateKey`. */
export function signTransaction(transaction: Transaction, privateKey: MlDsaPrivateKey, backend: SignatureBackend): Transaction {
  return { ...transaction, signature: backend.sign(privateKey, transactionSigningBytes(transaction)) };
}

/** A batch of transactions that each carry their own signature. */
export function buildSignedBatch(batchId: bigint, transactions: readonly Transaction[]): TxBatch {
  transactions.forEach((transaction, index) => {
    if (transaction.signature.length === 0) throw invalidArgument(`transactions[${index}].signature`, 'is empty; sign each transaction first (signTransaction)');
  });
  return {
    batchId,
    transactions: [...transactions],
    batchSignature: emptyBytes,
    submitterKeyId: emptyBytes,
    submitterPublicKey: emptyBytes,
    submitterAlgorithm: KeyAlgorithm.KEY_ALGORITHM_UNSPECIFIED,
  };
}

export interface BatchSigningOptions {
  /** Send the submitter's public key in the batch so the node need not look it up. Default false. */
  includePublicKey?: boolean;
  /** Hashes already computed (one per transaction, in order), to skip hashing again. */
  transactionHashes?: readonly Uint8Array[];
}

/**
 * A batch authorised by one submitter signature over the Merkle root of its transactions'
 * hashes. The transactions must be unsigned, and every sender must have registered the
 * submitter's key as a BATCH_SUBMITTER key.
 */
export function buildBatchSignedBatch(
  batchId: bigint,
  transactions: readonly Transaction[],
  submitter: SigningKey,
  backend: SignatureBackend,
  options: BatchSigningOptions = {},
): TxBatch {
  if (transactions.length === 0) throw invalidArgument('transactions', 'a batch has at least one transaction');
  transactions.forEach((transaction, index) => {
    if (transaction.signature.length !== 0) throw invalidArgument(`transactions[${index}].signature`, 'must be empty in a batch-signed batch');
  });
  const hashes = options.transactionHashes ?? transactions.map(transactionHashOf);
  assert(hashes.length === transactions.length, 'one hash per transaction');
  const { signature } = signBatch(backend, submitter.privateKey, hashes);
  const algorithm = submitter.privateKey.algorithm;
  assert(submitter.publicKey.length === mlDsaParameters[algorithm].publicKeyBytes, `the submitter public key is a ${algorithm} key`);
  return {
    batchId,
    transactions: [...transactions],
    batchSignature: signature,
    submitterKeyId: keyIdOf(submitter.publicKey),
    submitterPublicKey: options.includePublicKey ? submitter.publicKey : emptyBytes,
    submitterAlgorithm: keyAlgorithmOf(algorithm),
  };
}
