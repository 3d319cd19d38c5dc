import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { assertAurigraphRejection, makeTemporaryFolder, snapshotFiles } from './fixtures/crypto-fixtures.js';
import { openTestKeystore } from './fixtures/keystore-fixtures.js';

// A wrong operator secret is detected at open, with an error that says so, and changes nothing:
// every file in the keystore folder is byte-for-byte the same afterwards.

test('opening with a wrong secret throws a clear error and leaves every file unchanged', async (t) => {
  const folder = path.join(makeTemporaryFolder(t, 'keystore-wrong-secret'), 'keystore');
  const keystore = await openTestKeystore(folder);
  keystore.createKey('validator', 'ML-DSA-65', 1);
  keystore.createKey('exchange', 'ML-KEM-768', 2);
  await keystore.close();

  const before = snapshotFiles(folder);
  assert.ok(before.has('header.json') && before.has('data.mdb') && before.has('lock.mdb'), [...before.keys()].join(', '));

  await assertAurigraphRejection(
    () => openTestKeystore(folder, { secret: 'not the secret' }),
    'permission_denied',
    `keystore at ${folder}: the operator secret does not decrypt it (wrong AURIGRAPH_KEYSTORE_SECRET?)`,
  );
  await assertAurigraphRejection(
    () => openTestKeystore(folder, { secret: 'also wrong', secretEnvName: 'NODE_A_KEYSTORE_SECRET' }),
    'permission_denied',
    /\(wrong NODE_A_KEYSTORE_SECRET\?\)$/,
  );
  assert.deepEqual(snapshotFiles(folder), before);

  const reopened = await openTestKeystore(folder);
  assert.deepEqual(reopened.listKeyIds().sort(), ['exchange', 'validator'], 'the right secret still opens it');
  await reopened.close();
});
