import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  createNativeSignatureBackend,
  createNobleSignatureBackend,
  mlDsaAlgorithms,
  mlDsaParameters,
} from '../../src/crypto/index.js';
import { fixedSeed, hex } from './fixtures/crypto-fixtures.js';

// Two independent implementations (OpenSSL and noble) must agree on everything FIPS 204 fixes:
// the key pair a seed expands to, and which signatures verify.

const native = createNativeSignatureBackend();
const noble = createNobleSignatureBackend();
const message = new TextEncoder().encode('transfer 100 units from alice to bob');

for (const algorithm of mlDsaAlgorithms) {
  test(`${algorithm}: the same seed gives the same public key in both backends`, () => {
    const seed = fixedSeed(32, 0x40);
    const fromNative = native.keygen(algorithm, seed);
    const fromNoble = noble.keygen(algorithm, seed);
    assert.equal(fromNative.publicKey.length, mlDsaParameters[algorithm].publicKeyBytes);
    assert.equal(hex(fromNative.publicKey), hex(fromNoble.publicKey));
    assert.equal(hex(native.publicKeyOf(fromNoble.privateKey)), hex(noble.publicKeyOf(fromNative.privateKey)));
    // A different seed gives a different key: the seed is really used.
    assert.notEqual(hex(native.keygen(algorithm, fixedSeed(32, 0x41)).publicKey), hex(fromNative.publicKey));
  });

  test(`${algorithm}: a signature made by either backend verifies in both, and tampering fails in both`, () => {
    const { publicKey, privateKey } = native.keygen(algorithm, fixedSeed(32, 0x50));
    for (const signer of [native, noble]) {
      const signature = signer.sign(privateKey, message);
      assert.equal(signature.length, mlDsaParameters[algorithm].signatureBytes);
      for (const verifier of [native, noble]) {
        const label = `${signer.name} → ${verifier.name}`;
        assert.equal(verifier.verify(algorithm, publicKey, message, signature), true, label);

        const otherMessage = Uint8Array.from(message);
        otherMessage[0] = otherMessage[0]! ^ 0x01;
        assert.equal(verifier.verify(algorithm, publicKey, otherMessage, signature), false, `${label}, tampered message`);

        const otherSignature = Uint8Array.from(signature);
        otherSignature[100] = otherSignature[100]! ^ 0x80;
        assert.equal(verifier.verify(algorithm, publicKey, message, otherSignature), false, `${label}, tampered signature`);

        const otherKey = noble.keygen(algorithm, fixedSeed(32, 0x51)).publicKey;
        assert.equal(verifier.verify(algorithm, otherKey, message, signature), false, `${label}, another key`);
      }
    }
  });
}

test('a context string binds the signature: it verifies with the same context only, in both backends', () => {
  const algorithm = 'ML-DSA-44';
  const { publicKey, privateKey } = noble.keygen(algorithm, fixedSeed(32, 0x60));
  const context = new TextEncoder().encode('aurigraph/tx');
  for (const signer of [native, noble]) {
    const signature = signer.sign(privateKey, message, { context });
    for (const verifier of [native, noble]) {
      assert.equal(verifier.verify(algorithm, publicKey, message, signature, { context }), true);
      assert.equal(verifier.verify(algorithm, publicKey, message, signature), false, 'no context');
      assert.equal(verifier.verify(algorithm, publicKey, message, signature, { context: context.subarray(1) }), false);
    }
  }
});
