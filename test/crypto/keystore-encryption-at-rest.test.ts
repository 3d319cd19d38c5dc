import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { createNativeKemBackend, createNativeSignatureBackend } from '../../src/crypto/index.js';
import { folderContainsBytes, hex, makeTemporaryFolder } from './fixtures/crypto-fixtures.js';
import { openTestKeystore, recoverSeeds } from './fixtures/keystore-fixtures.js';

// Seeds are on disk only sealed: the plaintext seed appears in no file, and nothing the keystore
// returns or renders contains it.

test('no file holds a plaintext seed, and each sealed seed expands to its stored public key', async (t) => {
  const folder = makeTemporaryFolder(t, 'keystore-at-rest');
  const keystore = await openTestKeystore(folder);
  const signing = keystore.createKey('signing', 'ML-DSA-65', 1);
  const exchange = keystore.createKey('exchange', 'ML-KEM-768', 2);
  await keystore.close();

  const seeds = await recoverSeeds(folder);
  assert.equal(seeds.size, 2);
  const signingSeed = seeds.get('signing/1')!;
  const exchangeSeed = seeds.get('exchange/1')!;
  assert.equal(hex(createNativeSignatureBackend().keygen('ML-DSA-65', signingSeed).publicKey), hex(signing.publicKey));
  assert.equal(hex(createNativeKemBackend().keygen('ML-KEM-768', exchangeSeed).publicKey), hex(exchange.publicKey));
  for (const seed of seeds.values()) {
    assert.equal(folderContainsBytes(folder, seed), false, 'plaintext seed found on disk');
    assert.equal(folderContainsBytes(folder, seed.subarray(0, 12)), false, 'part of a plaintext seed found on disk');
  }
});

test('nothing the keystore returns or renders contains a seed', async (t) => {
  const folder = makeTemporaryFolder(t, 'keystore-redaction');
  const keystore = await openTestKeystore(folder);
  keystore.createKey('signing', 'ML-DSA-44', 1);
  keystore.rotate('signing', 2);
  const renderings = [
    inspect(keystore, { showHidden: true, depth: 10 }),
    JSON.stringify(keystore),
    JSON.stringify(keystore.describeKey('signing')),
    JSON.stringify(keystore.auditTrail()),
    JSON.stringify(keystore.sign('signing', new Uint8Array([1]))),
    inspect(keystore.getPublicKey('signing'), { depth: 10 }),
  ];
  await keystore.close();
  const seeds = await recoverSeeds(folder);
  for (const seed of seeds.values()) {
    const seedHex = hex(seed);
    const seedList = Array.from(seed.subarray(0, 6)).join(',');
    for (const rendering of renderings) {
      assert.ok(!rendering.includes(seedHex.slice(0, 16)), rendering);
      assert.ok(!rendering.replaceAll(' ', '').includes(seedList), rendering);
    }
  }
  assert.match(renderings[0]!, /^Keystore \{ path: '.*', open \}$/);
});
