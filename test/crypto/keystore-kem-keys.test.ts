import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createNobleKemBackend } from '../../src/crypto/index.js';
import { assertAurigraphError, hex, makeTemporaryFolder } from './fixtures/crypto-fixtures.js';
import { openTestKeystore } from './fixtures/keystore-fixtures.js';

// ML-KEM keys live in the keystore too: anyone encapsulates to the public key, only the
// keystore decapsulates, with any version that is not retired.

test('decapsulates ciphertexts made to each non-retired version', async (t) => {
  const keystore = await openTestKeystore(makeTemporaryFolder(t, 'keystore-kem'));
  const sender = createNobleKemBackend();
  const first = keystore.createKey('session', 'ML-KEM-768', 1);
  const toFirst = sender.encapsulate('ML-KEM-768', first.publicKey);
  assert.equal(hex(keystore.decapsulate('session', 1, toFirst.ciphertext)), hex(toFirst.sharedSecret));

  const second = keystore.rotate('session', 2);
  const toSecond = sender.encapsulate('ML-KEM-768', second.publicKey);
  assert.equal(hex(keystore.decapsulate('session', 2, toSecond.ciphertext)), hex(toSecond.sharedSecret));
  assert.equal(hex(keystore.decapsulate('session', 1, toFirst.ciphertext)), hex(toFirst.sharedSecret), 'the old version still works');
  assert.notEqual(hex(keystore.decapsulate('session', 2, toFirst.ciphertext)), hex(toFirst.sharedSecret), 'the wrong version does not');

  keystore.retire('session', 1, 3);
  assertAurigraphError(() => keystore.decapsulate('session', 1, toFirst.ciphertext), 'failed_precondition', 'version', /retired/);
  assertAurigraphError(() => keystore.verify('session', 2, new Uint8Array(1), new Uint8Array(1)), 'failed_precondition', 'keyId');
  await keystore.close();
});
