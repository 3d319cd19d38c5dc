import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createNobleSignatureBackend } from '../../src/crypto/index.js';
import { assertAurigraphError, hex, makeTemporaryFolder } from './fixtures/crypto-fixtures.js';
import { openTestKeystore } from './fixtures/keystore-fixtures.js';

// createKey → version 1; rotate → a new active version while old ones still verify; retire →
// unusable; all of it durable across close and reopen, and recorded in the audit trail.

const message = new TextEncoder().encode('block 42 header');
const noble = createNobleSignatureBackend();

test('create, sign, rotate, verify old and new, retire, and the audit trail', async (t) => {
  const folder = makeTemporaryFolder(t, 'keystore-lifecycle');
  const keystore = await openTestKeystore(folder);

  const created = keystore.createKey('validator-1', 'ML-DSA-65', 1_000);
  assert.equal(created.version, 1);
  assert.equal(created.status, 'active');
  assert.equal(created.publicKey.length, 1952);

  const first = keystore.sign('validator-1', message);
  assert.equal(first.version, 1);
  assert.equal(noble.verify('ML-DSA-65', created.publicKey, message, first.signature), true, 'verifies outside the keystore');
  assert.equal(keystore.verify('validator-1', 1, message, first.signature), true);

  const rotated = keystore.rotate('validator-1', 2_000);
  assert.equal(rotated.version, 2);
  assert.notEqual(hex(rotated.publicKey), hex(created.publicKey));
  const second = keystore.sign('validator-1', message);
  assert.equal(second.version, 2, 'signing uses the new active version');
  assert.equal(keystore.verify('validator-1', 2, message, second.signature), true);
  assert.equal(keystore.verify('validator-1', 1, message, first.signature), true, 'the old version still verifies');
  assert.equal(keystore.verify('validator-1', 1, message, second.signature), false, 'each version has its own key');
  assert.equal(keystore.getPublicKey('validator-1').version, 2);
  assert.equal(keystore.getPublicKey('validator-1', 1).status, 'superseded');

  const retired = keystore.retire('validator-1', 1, 3_000);
  assert.equal(retired.status, 'retired');
  assert.equal(retired.retiredAtMs, 3_000);
  assertAurigraphError(
    () => keystore.verify('validator-1', 1, message, first.signature),
    'failed_precondition',
    'version',
    'version: version 1 of key "validator-1" is retired and can no longer be used',
  );
  assert.equal(keystore.getPublicKey('validator-1', 1).status, 'retired', 'a retired public key can still be looked up');

  keystore.createKey('client-tls', 'ML-DSA-44', 4_000);
  assert.deepEqual(keystore.listKeyIds().sort(), ['client-tls', 'validator-1']);
  assert.deepEqual(
    keystore.auditTrail().map(({ sequence, keyId, operation, version, algorithm, timestampMs }) => [sequence, keyId, operation, version, algorithm, timestampMs]),
    [
      [1, 'validator-1', 'create', 1, 'ML-DSA-65', 1_000],
      [2, 'validator-1', 'rotate', 2, 'ML-DSA-65', 2_000],
      [3, 'validator-1', 'retire', 1, 'ML-DSA-65', 3_000],
      [4, 'client-tls', 'create', 1, 'ML-DSA-44', 4_000],
    ],
  );
  assert.deepEqual(keystore.auditTrail('client-tls').map((record) => record.sequence), [4]);
  await keystore.close();
});

test('keys, versions and the audit trail survive close and reopen', async (t) => {
  const folder = makeTemporaryFolder(t, 'keystore-reopen');
  const keystore = await openTestKeystore(folder);
  keystore.createKey('node-key', 'ML-DSA-87', 10);
  keystore.rotate('node-key', 20);
  const signed = keystore.sign('node-key', message);
  const description = keystore.describeKey('node-key');
  await keystore.close();

  const reopened = await openTestKeystore(folder);
  assert.deepEqual(reopened.describeKey('node-key'), description);
  assert.equal(reopened.verify('node-key', 2, message, signed.signature), true);
  const again = reopened.sign('node-key', message);
  assert.equal(again.version, 2);
  assert.equal(reopened.verify('node-key', 2, message, again.signature), true, 'the unsealed seed is the same key');
  reopened.rotate('node-key', 30);
  assert.deepEqual(reopened.auditTrail().map((record) => record.sequence), [1, 2, 3], 'the sequence continues');
  await reopened.close();
});

test('a keystore made with one backend works with the other', async (t) => {
  const folder = makeTemporaryFolder(t, 'keystore-backends');
  const keystore = await openTestKeystore(folder);
  const { publicKey } = keystore.createKey('portable', 'ML-DSA-44', 1);
  await keystore.close();
  const withNoble = await openTestKeystore(folder, { signatureBackend: noble });
  const { signature } = withNoble.sign('portable', message);
  assert.equal(noble.verify('ML-DSA-44', publicKey, message, signature), true);
  await withNoble.close();
});
