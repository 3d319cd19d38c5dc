/**
 * The bytes the limit benchmarks put on the wire: TxBatch messages of transfers shaped like the
 * node's real load (32-byte account ids, fixed64 amount/nonce/fee, fixed32 chain id), and the
 * ReceiptBatch the node answers a fully committed batch with. Signatures are random bytes of the
 * right length: nothing on the transport path looks inside them.
 */
import crypto from 'node:crypto';
import { mlDsaParameters } from '../../src/crypto/index.js';
import { KeyAlgorithm, ReceiptStatus, Transaction, TransactionKind, TxBatch } from '../../src/generated/aurigraph.js';
import { encodeReceiptBatch } from '../../src/wire/index.js';

/** 'batch-signed': one ML-DSA-65 batch signature; 'per-transaction': one ML-DSA-65 signature per transfer. */
export type SignatureMode = 'batch-signed' | 'per-transaction';

export const signatureModes: readonly SignatureMode[] = ['batch-signed', 'per-transaction'];
export const benchChainId = 1;
export const mlDsa65SignatureBytes = mlDsaParameters['ML-DSA-65'].signatureBytes;
const accountIdBytes = 32;
const hashBytes = 32;

export function encodeTransferBatch(mode: SignatureMode, transactionCount: number, batchId = 1n): Buffer {
  const perTransaction = mode === 'per-transaction';
  const transactions = Array.from({ length: transactionCount }, (_, index) =>
    Transaction.create({
      kind: TransactionKind.TRANSFER,
      from: crypto.randomBytes(accountIdBytes),
      to: crypto.randomBytes(accountIdBytes),
      amount: BigInt(1 + index),
      nonce: BigInt(index),
      fee: 1n,
      chainId: benchChainId,
      signature: perTransaction ? crypto.randomBytes(mlDsa65SignatureBytes) : new Uint8Array(0),
    }),
  );
  const batch = TxBatch.create({
    batchId,
    transactions,
    ...(perTransaction
      ? {}
      : {
          batchSignature: crypto.randomBytes(mlDsa65SignatureBytes),
          submitterKeyId: crypto.randomBytes(hashBytes),
          submitterAlgorithm: KeyAlgorithm.ML_DSA_65,
        }),
  });
  const bytes = TxBatch.encode(batch);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** The ReceiptBatch of a batch whose every transaction committed in one block. */
export function encodeCommittedReceipts(transactionCount: number, batchId = 1n): Buffer {
  return encodeReceiptBatch({
    batchId,
    count: transactionCount,
    statuses: new Uint8Array(transactionCount).fill(ReceiptStatus.COMMITTED),
    rejectReasons: new Uint8Array(transactionCount),
    rejectMessages: [],
    txHashes: crypto.randomBytes(transactionCount * hashBytes),
    blockHeight: 1n,
    stateRoot: crypto.randomBytes(hashBytes),
  });
}
