import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { assertAurigraphError, assertAurigraphRejection, makeTemporaryFolder } from './fixtures/crypto-fixtures.js';
import { openTestKeystore } from './fixtures/keystore-fixtures.js';
import type { KeystoreAlgorithm } from '../../src/crypto/index.js';

// Every misuse of the keystore is a typed error naming the field, with a message that says
// what to do instead.

const message = new TextEncoder().encode('m');

test('unknown key ids and versions are not_found; duplicates are already_exists', async (t) => {
  const keystore = await openTestKeystore(makeTemporaryFolder(t, 'keystore-errors'));
  keystore.createKey('k1', 'ML-DSA-44', 1);
  assertAurigraphError(() => keystore.sign('nope', message), 'not_found', 'keyId', 'keyId: no key "nope" in the keystore');
  assertAurigraphError(() => keystore.getPublicKey('nope'), 'not_found', 'keyId');
  assertAurigraphError(() => keystore.auditTrail('bad id!'), 'invalid_argument', 'keyId');
  assertAurigraphError(() => keystore.verify('k1', 2, message, new Uint8Array(2420)), 'not_found', 'version', 'version: key "k1" has versions 1 to 1, not 2');
  assertAurigraphError(() => keystore.getPublicKey('k1', 0), 'invalid_argument', 'version');
  assertAurigraphError(() => keystore.createKey('k1', 'ML-DSA-44', 2), 'already_exists', 'keyId', /already exists; rotate it instead/);
  assert.equal(keystore.auditTrail().length, 1, 'failed operations leave no audit record');
  await keystore.close();
});

test('bad key ids, algorithms and timestamps are invalid_argument', async (t) => {
  const keystore = await openTestKeystore(makeTemporaryFolder(t, 'keystore-arguments'));
  for (const keyId of ['', ' lead', 'a'.repeat(129), 'with space', '../escape']) {
    assertAurigraphError(() => keystore.createKey(keyId, 'ML-DSA-44', 1), 'invalid_argument', 'keyId');
  }
  assertAurigraphError(() => keystore.createKey('k', 'RSA-2048' as KeystoreAlgorithm, 1), 'invalid_argument', 'algorithm');
  for (const timestampMs of [-1, 1.5, Number.NaN, Number.MAX_SAFE_INTEGER + 2]) {
    assertAurigraphError(() => keystore.createKey('k', 'ML-DSA-44', timestampMs), 'invalid_argument', 'timestampMs');
  }
  assert.deepEqual(keystore.listKeyIds(), []);
  await keystore.close();
});

test('retiring the active or an already retired version, and using a key for the wrong job, are failed_precondition', async (t) => {
  const keystore = await openTestKeystore(makeTemporaryFolder(t, 'keystore-preconditions'));
  keystore.createKey('signer', 'ML-DSA-44', 1);
  keystore.createKey('kem', 'ML-KEM-1024', 1);
  assertAurigraphError(() => keystore.retire('signer', 1, 2), 'failed_precondition', 'version', /is the active version; rotate the key before retiring it/);
  keystore.rotate('signer', 3);
  keystore.retire('signer', 1, 4);
  assertAurigraphError(() => keystore.retire('signer', 1, 5), 'failed_precondition', 'version', /already retired/);
  assertAurigraphError(() => keystore.sign('kem', message), 'failed_precondition', 'keyId', /ML-KEM-1024 key; only ML-DSA keys sign/);
  assertAurigraphError(() => keystore.decapsulate('signer', 2, new Uint8Array(1568)), 'failed_precondition', 'keyId');
  await keystore.close();
  assertAurigraphError(() => keystore.sign('signer', message), 'failed_precondition', undefined, /is closed/);
});

test('a header that does not belong to the database, or a database without a header, refuses to open', async (t) => {
  const base = makeTemporaryFolder(t, 'keystore-headers');
  const first = path.join(base, 'first');
  const second = path.join(base, 'second');
  for (const folder of [first, second]) {
    const keystore = await openTestKeystore(folder);
    keystore.createKey('k', 'ML-DSA-44', 1);
    await keystore.close();
  }
  fs.copyFileSync(path.join(second, 'header.json'), path.join(first, 'header.json'));
  await assertAurigraphRejection(() => openTestKeystore(first), 'failed_precondition', /header\.json does not match the header recorded in its database/);

  fs.rmSync(path.join(first, 'header.json'));
  await assertAurigraphRejection(() => openTestKeystore(first), 'failed_precondition', /has a database but no header\.json/);
  assert.equal(fs.existsSync(path.join(first, 'header.json')), false, 'no new header was written over the old keys');
});

test('a damaged header file is a failed_precondition naming the file and field, and nothing is written', async (t) => {
  const folder = makeTemporaryFolder(t, 'keystore-damaged-header');
  const keystore = await openTestKeystore(folder);
  await keystore.close();
  const headerFile = path.join(folder, 'header.json');
  const header = JSON.parse(fs.readFileSync(headerFile, 'utf8')) as { kdf: { N: number } };
  header.kdf.N = 2 ** 30;
  fs.writeFileSync(headerFile, JSON.stringify(header));
  await assertAurigraphRejection(() => openTestKeystore(folder), 'failed_precondition', /header\.json: kdf\.N: must be a power of two from 2 to 2\^22, got 1073741824; restore the header/);
  fs.writeFileSync(headerFile, '{ not json');
  await assertAurigraphRejection(() => openTestKeystore(folder), 'failed_precondition', /header\.json: the file: not valid JSON/);
  assert.equal(fs.readFileSync(headerFile, 'utf8'), '{ not json');
});

test('scrypt parameters out of range are invalid_argument on the config field', async (t) => {
  const folder = makeTemporaryFolder(t, 'keystore-scrypt');
  await assertAurigraphRejection(() => openTestKeystore(path.join(folder, 'a'), { scrypt: { N: 1000, r: 8, p: 1 } }), 'invalid_argument', /^crypto\.keystore\.scryptN: must be a power of two/);
  await assertAurigraphRejection(() => openTestKeystore(path.join(folder, 'b'), { scrypt: { N: 1024, r: 0, p: 1 } }), 'invalid_argument', /^crypto\.keystore\.scryptR/);
  await assertAurigraphRejection(() => openTestKeystore(path.join(folder, 'c'), { secret: '' }), 'invalid_argument', /^secret: /);
});
