import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  batchSigningMessage,
  createNativeSignatureBackend,
  createNobleSignatureBackend,
  merkleRoot,
  signBatch,
  transactionHash,
  verifyBatch,
  verifyBatchRoot,
} from '../../src/crypto/index.js';
import { assertAurigraphError, fixedSeed, hex } from './fixtures/crypto-fixtures.js';

// One ML-DSA signature over the domain-separated Merkle root authorises a whole batch, in
// exactly the order signed, across backends.

const native = createNativeSignatureBackend();
const noble = createNobleSignatureBackend();
const algorithm = 'ML-DSA-65';
const submitter = native.keygen(algorithm, fixedSeed(32, 0xd0));
const hashes = Array.from({ length: 9 }, (_, index) => transactionHash(new TextEncoder().encode(`batch-tx-${index}`)));
const batch = signBatch(native, submitter.privateKey, hashes);

test('a batch signed by one backend verifies in both', () => {
  assert.equal(hex(batch.root), hex(merkleRoot(hashes)));
  assert.equal(verifyBatch(native, algorithm, hashes, submitter.publicKey, batch.signature), true);
  assert.equal(verifyBatch(noble, algorithm, hashes, submitter.publicKey, batch.signature), true);
  const fromNoble = signBatch(noble, submitter.privateKey, hashes, { deterministic: true });
  assert.equal(verifyBatch(native, algorithm, hashes, submitter.publicKey, fromNoble.signature), true);
  assert.equal(verifyBatchRoot(native, algorithm, batch.root, submitter.publicKey, batch.signature), true);
});

test('the signature fails for a reordered, shortened, extended or altered batch', () => {
  const reordered = [hashes[1]!, hashes[0]!, ...hashes.slice(2)];
  const shortened = hashes.slice(0, -1);
  const extended = [...hashes, hashes[hashes.length - 1]!];
  const altered = hashes.map((hash, index) => (index === 4 ? transactionHash(hash) : hash));
  for (const [label, variant] of Object.entries({ reordered, shortened, extended, altered })) {
    assert.equal(verifyBatch(native, algorithm, variant, submitter.publicKey, batch.signature), false, label);
  }
  const otherSubmitter = native.keygen(algorithm, fixedSeed(32, 0xd1));
  assert.equal(verifyBatch(native, algorithm, hashes, otherSubmitter.publicKey, batch.signature), false, 'another submitter');
});

test('the signed message is the domain prefix and the root; a bare signature of the root is not a batch signature', () => {
  const message = batchSigningMessage(batch.root);
  assert.equal(Buffer.from(message.subarray(0, message.length - 33)).toString('utf8'), 'aurigraph/batch-root/v1');
  assert.equal(message[message.length - 33], 0x00);
  assert.equal(hex(message.subarray(-32)), hex(batch.root));
  assert.equal(native.verify(algorithm, submitter.publicKey, message, batch.signature), true);
  const bareRootSignature = native.sign(submitter.privateKey, batch.root);
  assert.equal(verifyBatch(native, algorithm, hashes, submitter.publicKey, bareRootSignature), false);
});

test('wrong key or signature lengths are invalid_argument errors', () => {
  assertAurigraphError(
    () => verifyBatch(native, algorithm, hashes, submitter.publicKey.subarray(1), batch.signature),
    'invalid_argument',
    'submitterPublicKey',
    'submitterPublicKey: ML-DSA-65 public keys are 1952 bytes, got 1951',
  );
  assertAurigraphError(
    () => verifyBatch(native, algorithm, hashes, submitter.publicKey, batch.signature.subarray(1)),
    'invalid_argument',
    'signature',
  );
  assertAurigraphError(() => verifyBatch(native, algorithm, [], submitter.publicKey, batch.signature), 'invalid_argument', 'transactionHashes');
});
