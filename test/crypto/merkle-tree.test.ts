import { test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { merkleProof, merkleRoot, transactionHash, verifyMerkleProof } from '../../src/crypto/index.js';
import { assertAurigraphError, hex } from './fixtures/crypto-fixtures.js';

// merkleRoot must equal RFC 6962's Merkle Tree Hash, computed here by its recursive definition
// (split at the largest power of two below n), and every audit path must verify.

function sha256(...parts: Uint8Array[]): Uint8Array {
  const hash = crypto.createHash('sha256');
  for (const part of parts) hash.update(part);
  return new Uint8Array(hash.digest());
}

function referenceRoot(leaves: Uint8Array[]): Uint8Array {
  if (leaves.length === 1) return sha256(Uint8Array.of(0x00), leaves[0]!);
  let split = 1;
  while (split * 2 < leaves.length) split *= 2;
  return sha256(Uint8Array.of(0x01), referenceRoot(leaves.slice(0, split)), referenceRoot(leaves.slice(split)));
}

function transactionHashes(count: number, label = 'tx'): Uint8Array[] {
  return Array.from({ length: count }, (_, index) => transactionHash(new TextEncoder().encode(`${label}-${index}`)));
}

test('the root equals RFC 6962 Merkle Tree Hash for every batch size from 1 to 70', () => {
  for (let count = 1; count <= 70; count += 1) {
    const hashes = transactionHashes(count);
    assert.equal(hex(merkleRoot(hashes)), hex(referenceRoot(hashes)), `${count} transactions`);
  }
});

test('a single transaction\'s root is SHA-256(0x00 || hash): leaves are domain-separated', () => {
  const [only] = transactionHashes(1);
  assert.equal(hex(merkleRoot([only!])), hex(sha256(Uint8Array.of(0x00), only!)));
  assert.notEqual(hex(merkleRoot([only!])), hex(only!));
});

test('an odd last node is promoted, not duplicated: [a, b, c] and [a, b, c, c] have different roots', () => {
  const [a, b, c] = transactionHashes(3);
  assert.notEqual(hex(merkleRoot([a!, b!, c!])), hex(merkleRoot([a!, b!, c!, c!])));
  assert.notEqual(hex(merkleRoot([a!, b!])), hex(merkleRoot([b!, a!])), 'order matters');
});

test('merkleRoot does not modify its input', () => {
  const hashes = transactionHashes(5);
  const before = hashes.map(hex);
  merkleRoot(hashes);
  assert.deepEqual(hashes.map(hex), before);
});

test('every audit path verifies, for every index of batches of 1 to 33', () => {
  for (let count = 1; count <= 33; count += 1) {
    const hashes = transactionHashes(count);
    const root = merkleRoot(hashes);
    for (let index = 0; index < count; index += 1) {
      const proof = merkleProof(hashes, index);
      assert.ok(proof.siblings.length <= Math.ceil(Math.log2(count)), 'path no longer than the tree height');
      assert.equal(verifyMerkleProof(hashes[index]!, proof, root), true, `${count} transactions, index ${index}`);
    }
  }
});

test('a proof fails for another transaction, another root, a changed sibling, index or size', () => {
  const hashes = transactionHashes(11);
  const root = merkleRoot(hashes);
  const proof = merkleProof(hashes, 6);
  assert.equal(verifyMerkleProof(hashes[5]!, proof, root), false, 'another transaction');
  assert.equal(verifyMerkleProof(hashes[6]!, proof, merkleRoot(hashes.slice(0, 10))), false, 'another root');
  const changedSibling = { ...proof, siblings: proof.siblings.map((sibling, position) => (position === 1 ? sha256(sibling) : sibling)) };
  assert.equal(verifyMerkleProof(hashes[6]!, changedSibling, root), false, 'changed sibling');
  assert.equal(verifyMerkleProof(hashes[6]!, { ...proof, index: 7 }, root), false, 'another index');
  // (A size with the same path shape, 12 here, gives the same proof: the root alone commits to the batch.)
  assert.equal(verifyMerkleProof(hashes[6]!, { ...proof, leafCount: 7 }, root), false, 'another size');
  assert.equal(verifyMerkleProof(hashes[6]!, { ...proof, siblings: proof.siblings.slice(1) }, root), false, 'missing sibling');
  assert.equal(verifyMerkleProof(hashes[6]!, { ...proof, siblings: [...proof.siblings, root] }, root), false, 'extra sibling');
});

test('bad input is an invalid_argument naming the field', () => {
  assertAurigraphError(() => merkleRoot([]), 'invalid_argument', 'transactionHashes', /at least one transaction/);
  assertAurigraphError(
    () => merkleRoot([...transactionHashes(2), new Uint8Array(31)]),
    'invalid_argument',
    'transactionHashes[2]',
    'transactionHashes[2]: transaction and Merkle hashes are 32 bytes (SHA-256), got 31',
  );
  const hashes = transactionHashes(4);
  assertAurigraphError(() => merkleProof(hashes, 4), 'invalid_argument', 'index');
  const proof = merkleProof(hashes, 1);
  assertAurigraphError(() => verifyMerkleProof(hashes[1]!, { ...proof, index: 4 }, merkleRoot(hashes)), 'invalid_argument', 'proof.index');
  assertAurigraphError(() => verifyMerkleProof(hashes[1]!, proof, new Uint8Array(16)), 'invalid_argument', 'root');
});
