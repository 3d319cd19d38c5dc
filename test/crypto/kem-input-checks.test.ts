import { test } from 'node:test';
import {
  MlKemPrivateKey,
  createNativeKemBackend,
  createNobleKemBackend,
  type MlKemAlgorithm,
} from '../../src/crypto/index.js';
import { assertAurigraphError, fixedSeed } from './fixtures/crypto-fixtures.js';

// ML-KEM inputs of the wrong length, and encapsulation keys that fail the FIPS 203 modulus
// check, are invalid_argument errors naming the field, in both backends.

const backends = [createNativeKemBackend(), createNobleKemBackend()];
const algorithm: MlKemAlgorithm = 'ML-KEM-1024';
const { publicKey, privateKey } = backends[0]!.keygen(algorithm, fixedSeed(64, 0x70));

/** An encapsulation key whose first coefficient is 0xfff, above q = 3329. */
function unreducedKey(): Uint8Array {
  const key = Uint8Array.from(publicKey);
  key[0] = 0xff;
  key[1] = key[1]! | 0x0f;
  return key;
}

for (const backend of backends) {
  test(`${backend.name}: wrong lengths name the field and the expected length`, () => {
    assertAurigraphError(
      () => backend.encapsulate(algorithm, publicKey.subarray(1)),
      'invalid_argument',
      'publicKey',
      'publicKey: ML-KEM-1024 encapsulation keys are 1568 bytes, got 1567',
    );
    assertAurigraphError(
      () => backend.decapsulate(privateKey, new Uint8Array(1088)),
      'invalid_argument',
      'ciphertext',
      'ciphertext: ML-KEM-1024 ciphertexts are 1568 bytes, got 1088',
    );
    assertAurigraphError(
      () => backend.keygen(algorithm, new Uint8Array(32)),
      'invalid_argument',
      'seed',
      'seed: ML-KEM-1024 private key seeds are 64 bytes, got 32',
    );
    assertAurigraphError(() => backend.keygen('ML-KEM-512' as MlKemAlgorithm), 'invalid_argument', 'algorithm');
  });

  test(`${backend.name}: an encapsulation key with an unreduced coefficient is refused`, () => {
    assertAurigraphError(
      () => backend.encapsulate(algorithm, unreducedKey()),
      'invalid_argument',
      'publicKey',
      /not a valid ML-KEM-1024 encapsulation key.*modulus check/,
    );
  });
}

test('noble: encapsulation randomness must be 32 bytes', () => {
  assertAurigraphError(
    () => backends[1]!.encapsulate(algorithm, publicKey, { randomness: new Uint8Array(64) }),
    'invalid_argument',
    'randomness',
    /are 32 bytes, got 64/,
  );
});

test('native: caller-chosen encapsulation randomness is refused', () => {
  assertAurigraphError(
    () => backends[0]!.encapsulate(algorithm, publicKey, { randomness: new Uint8Array(32) }),
    'invalid_argument',
    'randomness',
    /cannot take a caller-chosen encapsulation message/,
  );
});

test('MlKemPrivateKey refuses a seed of the wrong length', () => {
  assertAurigraphError(() => new MlKemPrivateKey('ML-KEM-768', new Uint8Array(32)), 'invalid_argument', 'seed');
});
