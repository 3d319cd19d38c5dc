import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  buildBatchSignedBatch,
  buildSignedBatch,
  devAccount,
  devChainId,
  devSubmitter,
  keyIdOf,
  registerKey,
  signTransaction,
  transactionHashOf,
  transfer,
} from '../../src/client/index.js';
import { createNativeSignatureBackend, createNobleSignatureBackend, transactionHash, verifyBatch } from '../../src/crypto/index.js';
import { KeyAlgorithm, KeyRole, RegisterKeyPayload, TransactionKind } from '../../src/generated/aurigraph.js';
import { transactionSigningBytes } from '../../src/wire/index.js';

const native = createNativeSignatureBackend();
const noble = createNobleSignatureBackend();
const alice = devAccount(0, native);
const bob = devAccount(1, native);

test('a signed transaction verifies over its signing bytes in both backends, and its hash is SHA-256 of them', () => {
  const unsigned = transfer({ from: alice.accountId, to: bob.accountId, amount: 7n, nonce: 3n, fee: 1n, chainId: devChainId });
  const signed = signTransaction(unsigned, alice.privateKey, native);
  assert.equal(unsigned.signature.length, 0, 'signing returns a copy');
  assert.equal(signed.signature.length, 3309);
  for (const backend of [native, noble]) assert.ok(backend.verify('ML-DSA-65', alice.publicKey, transactionSigningBytes(signed), signed.signature));
  assert.deepEqual(transactionHashOf(signed), transactionHash(transactionSigningBytes(unsigned)), 'the signature is not part of the hash');
});

test('a batch-signed batch carries the submitter key id and a signature over the Merkle root of its hashes', () => {
  const submitter = devSubmitter(native);
  const transactions = [0n, 1n, 2n].map((nonce) => transfer({ from: alice.accountId, to: bob.accountId, amount: 1n, nonce, chainId: devChainId }));
  const batch = buildBatchSignedBatch(4n, transactions, submitter, noble, { includePublicKey: true });
  assert.equal(batch.submitterAlgorithm, KeyAlgorithm.ML_DSA_65);
  assert.deepEqual(batch.submitterKeyId, keyIdOf(submitter.publicKey));
  assert.deepEqual(batch.submitterPublicKey, submitter.publicKey);
  const hashes = transactions.map(transactionHashOf);
  assert.ok(verifyBatch(native, 'ML-DSA-65', hashes, submitter.publicKey, batch.batchSignature));
  assert.ok(!verifyBatch(native, 'ML-DSA-65', hashes.reverse(), submitter.publicKey, batch.batchSignature), 'the order of the batch is signed');
  assert.equal(buildBatchSignedBatch(5n, transactions, submitter, native).submitterPublicKey.length, 0, 'the public key is optional');
});

test('batch builders refuse the wrong kind of transaction, naming it', () => {
  const unsigned = transfer({ from: alice.accountId, to: bob.accountId, amount: 1n, nonce: 0n, chainId: devChainId });
  const signed = signTransaction(unsigned, alice.privateKey, native);
  assert.throws(() => buildSignedBatch(1n, [signed, unsigned]), { message: /^transactions\[1\]\.signature: is empty/ });
  assert.throws(() => buildBatchSignedBatch(1n, [unsigned, signed], devSubmitter(native), native), {
    message: /^transactions\[1\]\.signature: must be empty in a batch-signed batch/,
  });
});

test('a REGISTER_KEY carries the key in its payload and moves nothing', () => {
  const transaction = registerKey({ from: bob.accountId, role: KeyRole.BATCH_SUBMITTER, algorithm: KeyAlgorithm.ML_DSA_65, publicKey: alice.publicKey, nonce: 2n, chainId: devChainId });
  assert.equal(transaction.kind, TransactionKind.REGISTER_KEY);
  assert.equal(transaction.amount, 0n);
  assert.equal(transaction.to.length, 0);
  assert.deepEqual(RegisterKeyPayload.decode(transaction.payload), { role: KeyRole.BATCH_SUBMITTER, algorithm: KeyAlgorithm.ML_DSA_65, publicKey: alice.publicKey });
});
