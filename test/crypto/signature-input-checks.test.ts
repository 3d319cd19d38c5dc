import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  MlDsaPrivateKey,
  createNativeSignatureBackend,
  createNobleSignatureBackend,
  type MlDsaAlgorithm,
} from '../../src/crypto/index.js';
import { assertAurigraphError, fixedSeed } from './fixtures/crypto-fixtures.js';

// Wrong lengths are invalid_argument errors naming the field and the expected length; a
// signature of the right length that is malformed inside is a plain `false`. Both backends
// behave identically because they share these checks.

const backends = [createNativeSignatureBackend(), createNobleSignatureBackend()];
const algorithm: MlDsaAlgorithm = 'ML-DSA-65';
const { publicKey, privateKey } = backends[1]!.keygen(algorithm, fixedSeed(32, 0x10));
const message = new TextEncoder().encode('hello');
const signature = backends[1]!.sign(privateKey, message);

for (const backend of backends) {
  test(`${backend.name}: a public key of the wrong length is an invalid_argument naming publicKey`, () => {
    assertAurigraphError(
      () => backend.verify(algorithm, publicKey.subarray(0, 31), message, signature),
      'invalid_argument',
      'publicKey',
      'publicKey: ML-DSA-65 public keys are 1952 bytes, got 31',
    );
  });

  test(`${backend.name}: a signature of the wrong length is an invalid_argument naming signature`, () => {
    assertAurigraphError(
      () => backend.verify(algorithm, publicKey, message, new Uint8Array(3310)),
      'invalid_argument',
      'signature',
      'signature: ML-DSA-65 signatures are 3309 bytes, got 3310',
    );
  });

  test(`${backend.name}: a context over 255 bytes is an invalid_argument naming context`, () => {
    const context = new Uint8Array(256);
    assertAurigraphError(
      () => backend.verify(algorithm, publicKey, message, signature, { context }),
      'invalid_argument',
      'context',
      'context: ML-DSA context strings are at most 255 bytes, got 256',
    );
    assertAurigraphError(() => backend.sign(privateKey, message, { context }), 'invalid_argument', 'context');
  });

  test(`${backend.name}: seeds must be 32 bytes and algorithms known`, () => {
    assertAurigraphError(
      () => backend.keygen(algorithm, new Uint8Array(31)),
      'invalid_argument',
      'seed',
      'seed: ML-DSA-65 private key seeds are 32 bytes, got 31',
    );
    assertAurigraphError(() => backend.keygen('ML-DSA-66' as MlDsaAlgorithm), 'invalid_argument', 'algorithm');
    assertAurigraphError(() => backend.verify('Dilithium3' as MlDsaAlgorithm, publicKey, message, signature), 'invalid_argument', 'algorithm');
    assertAurigraphError(() => backend.sign({ algorithm } as unknown as MlDsaPrivateKey, message), 'invalid_argument', 'privateKey');
    assertAurigraphError(() => backend.sign(privateKey, 'hello' as unknown as Uint8Array), 'invalid_argument', 'message');
  });

  test(`${backend.name}: a malformed signature of the right length returns false, not an error`, () => {
    assert.equal(backend.verify(algorithm, publicKey, message, new Uint8Array(signature.length)), false, 'all zeros');
    assert.equal(backend.verify(algorithm, publicKey, message, new Uint8Array(signature.length).fill(0xff)), false, 'all ones');
    assert.equal(backend.verify(algorithm, publicKey, message, signature), true, 'the real signature still verifies');
  });
}

test('MlDsaPrivateKey refuses a seed of the wrong length', () => {
  assertAurigraphError(() => new MlDsaPrivateKey('ML-DSA-44', new Uint8Array(64)), 'invalid_argument', 'seed', /are 32 bytes, got 64/);
});
