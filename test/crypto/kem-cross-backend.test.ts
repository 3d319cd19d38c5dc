import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createNativeKemBackend, createNobleKemBackend, mlKemAlgorithms, mlKemParameters } from '../../src/crypto/index.js';
import { fixedSeed, hex } from './fixtures/crypto-fixtures.js';

// OpenSSL and noble must agree on the encapsulation key a seed expands to, and a ciphertext from
// either must decapsulate in the other to the sender's shared secret.

const native = createNativeKemBackend();
const noble = createNobleKemBackend();

for (const algorithm of mlKemAlgorithms) {
  test(`${algorithm}: the same seed gives the same encapsulation key in both backends`, () => {
    const seed = fixedSeed(64, 0x30);
    const fromNative = native.keygen(algorithm, seed);
    const fromNoble = noble.keygen(algorithm, seed);
    assert.equal(fromNative.publicKey.length, mlKemParameters[algorithm].publicKeyBytes);
    assert.equal(hex(fromNative.publicKey), hex(fromNoble.publicKey));
    assert.notEqual(hex(native.keygen(algorithm, fixedSeed(64, 0x31)).publicKey), hex(fromNative.publicKey));
  });

  test(`${algorithm}: a ciphertext from either backend decapsulates in both to the same secret`, () => {
    const { publicKey, privateKey } = noble.keygen(algorithm, fixedSeed(64, 0x32));
    for (const sender of [native, noble]) {
      const { ciphertext, sharedSecret } = sender.encapsulate(algorithm, publicKey);
      assert.equal(ciphertext.length, mlKemParameters[algorithm].ciphertextBytes);
      assert.equal(sharedSecret.length, 32);
      for (const receiver of [native, noble]) {
        assert.equal(hex(receiver.decapsulate(privateKey, ciphertext)), hex(sharedSecret), `${sender.name} → ${receiver.name}`);
      }
    }
  });

  test(`${algorithm}: a tampered ciphertext yields the same implicit-rejection secret in both, not the sender's`, () => {
    const { publicKey, privateKey } = native.keygen(algorithm, fixedSeed(64, 0x33));
    const { ciphertext, sharedSecret } = native.encapsulate(algorithm, publicKey);
    const tampered = Uint8Array.from(ciphertext);
    tampered[10] = tampered[10]! ^ 0x01;
    const fromNative = native.decapsulate(privateKey, tampered);
    const fromNoble = noble.decapsulate(privateKey, tampered);
    assert.notEqual(hex(fromNative), hex(sharedSecret));
    assert.equal(hex(fromNative), hex(fromNoble));
  });
}

test('noble: encapsulation with a fixed message m is deterministic and decapsulates natively', () => {
  const algorithm = 'ML-KEM-768';
  const { publicKey, privateKey } = native.keygen(algorithm, fixedSeed(64, 0x34));
  const randomness = fixedSeed(32, 0x35);
  const first = noble.encapsulate(algorithm, publicKey, { randomness });
  const second = noble.encapsulate(algorithm, publicKey, { randomness });
  assert.equal(hex(first.ciphertext), hex(second.ciphertext));
  assert.equal(hex(native.decapsulate(privateKey, first.ciphertext)), hex(first.sharedSecret));
});
