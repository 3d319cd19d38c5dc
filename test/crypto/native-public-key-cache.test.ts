import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createNativeSignatureBackend, createNobleSignatureBackend } from '../../src/crypto/index.js';
import { fixedSeed } from './fixtures/crypto-fixtures.js';

// The native backend caches imported public keys for repeated verification, within a bound.

const noble = createNobleSignatureBackend();
const algorithm = 'ML-DSA-44';
const message = new TextEncoder().encode('cached');
const signers = [0, 1, 2].map((index) => {
  const { publicKey, privateKey } = noble.keygen(algorithm, fixedSeed(32, 0x90 + index));
  return { publicKey, signature: noble.sign(privateKey, message, { deterministic: true }) };
});

test('verifying again with the same key reuses its cache entry', () => {
  const native = createNativeSignatureBackend({ publicKeyCacheEntriesMax: 2 });
  const [first] = signers;
  for (let round = 0; round < 3; round += 1) {
    assert.equal(native.verify(algorithm, first!.publicKey, message, first!.signature), true);
  }
  assert.equal(native.publicKeyCacheSize, 1);
});

test('the cache never holds more keys than its bound, and evicted keys still verify', () => {
  const native = createNativeSignatureBackend({ publicKeyCacheEntriesMax: 2 });
  for (const { publicKey, signature } of signers) {
    assert.equal(native.verify(algorithm, publicKey, message, signature), true);
    assert.ok(native.publicKeyCacheSize <= 2);
  }
  assert.equal(native.publicKeyCacheSize, 2);
  const [evicted] = signers;
  assert.equal(native.verify(algorithm, evicted!.publicKey, message, evicted!.signature), true);
});

test('a cached key does not verify a signature made by another key', () => {
  const native = createNativeSignatureBackend();
  const [first, second] = signers;
  assert.equal(native.verify(algorithm, first!.publicKey, message, first!.signature), true);
  assert.equal(native.verify(algorithm, first!.publicKey, message, second!.signature), false);
});
