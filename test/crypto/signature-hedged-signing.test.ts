import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createNativeSignatureBackend, createNobleSignatureBackend } from '../../src/crypto/index.js';
import { assertAurigraphError, fixedSeed, hex } from './fixtures/crypto-fixtures.js';

// Signing is hedged (randomised) by default, as FIPS 204 recommends; deterministic signing is an
// explicit option that only noble offers.

const native = createNativeSignatureBackend();
const noble = createNobleSignatureBackend();
const algorithm = 'ML-DSA-44';
const { publicKey, privateKey } = noble.keygen(algorithm, fixedSeed(32, 0x20));
const message = new TextEncoder().encode('same message twice');

for (const backend of [native, noble]) {
  test(`${backend.name}: by default two signatures of one message differ and both verify`, () => {
    const first = backend.sign(privateKey, message);
    const second = backend.sign(privateKey, message);
    assert.notEqual(hex(first), hex(second));
    assert.equal(backend.verify(algorithm, publicKey, message, first), true);
    assert.equal(backend.verify(algorithm, publicKey, message, second), true);
  });
}

test('noble: deterministic signing gives the same signature every time, and it verifies natively', () => {
  assert.equal(noble.supportsDeterministicSigning, true);
  const first = noble.sign(privateKey, message, { deterministic: true });
  const second = noble.sign(privateKey, message, { deterministic: true });
  assert.equal(hex(first), hex(second));
  assert.equal(native.verify(algorithm, publicKey, message, first), true);
});

test('native: deterministic signing is refused with an error naming the option', () => {
  assert.equal(native.supportsDeterministicSigning, false);
  assertAurigraphError(() => native.sign(privateKey, message, { deterministic: true }), 'invalid_argument', 'deterministic', /hedged only/);
});
