import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  createNativeKemBackend,
  createNativeSignatureBackend,
  createNobleKemBackend,
  createNobleSignatureBackend,
  merkleRoot,
  transactionHash,
} from '../../src/crypto/index.js';
import { fixedSeed, hex } from './fixtures/crypto-fixtures.js';

// Shard workers read keys, messages and signatures straight out of SharedArrayBuffer rings, at
// arbitrary offsets; every backend must accept such views and give the same answers.

/** Copies each array into one SharedArrayBuffer at odd offsets and returns views onto it. */
function sharedViews(...arrays: Uint8Array[]): Uint8Array[] {
  const total = arrays.reduce((sum, array) => sum + array.length + 3, 0);
  const shared = new Uint8Array(new SharedArrayBuffer(total));
  let offset = 1;
  return arrays.map((array) => {
    const view = shared.subarray(offset, offset + array.length);
    view.set(array);
    offset += array.length + 3;
    return view;
  });
}

test('ML-DSA verification accepts SharedArrayBuffer views in both backends', () => {
  const signer = createNobleSignatureBackend();
  const algorithm = 'ML-DSA-44';
  const { publicKey, privateKey } = signer.keygen(algorithm, fixedSeed(32, 0xe0));
  const message = new TextEncoder().encode('from the ring');
  const signature = signer.sign(privateKey, message);
  const [sharedKey, sharedMessage, sharedSignature] = sharedViews(publicKey, message, signature);
  for (const backend of [createNativeSignatureBackend(), signer]) {
    assert.equal(backend.verify(algorithm, sharedKey!, sharedMessage!, sharedSignature!), true, backend.name);
    sharedMessage![0] = sharedMessage![0]! ^ 1;
    assert.equal(backend.verify(algorithm, sharedKey!, sharedMessage!, sharedSignature!), false, `${backend.name}, changed in place`);
    sharedMessage![0] = sharedMessage![0]! ^ 1;
  }
});

test('ML-KEM and hashing accept SharedArrayBuffer views', () => {
  const algorithm = 'ML-KEM-768';
  const { publicKey, privateKey } = createNativeKemBackend().keygen(algorithm, fixedSeed(64, 0xe1));
  const [sharedKey] = sharedViews(publicKey);
  for (const backend of [createNativeKemBackend(), createNobleKemBackend()]) {
    const { ciphertext, sharedSecret } = backend.encapsulate(algorithm, sharedKey!);
    const [sharedCiphertext] = sharedViews(ciphertext);
    assert.equal(hex(backend.decapsulate(privateKey, sharedCiphertext!)), hex(sharedSecret), backend.name);
  }
  const hashes = [0, 1, 2].map((index) => transactionHash(Uint8Array.of(index)));
  assert.equal(hex(merkleRoot(sharedViews(...hashes))), hex(merkleRoot(hashes)));
  assert.equal(hex(transactionHash(sharedViews(Uint8Array.of(7))[0]!)), hex(transactionHash(Uint8Array.of(7))));
});
