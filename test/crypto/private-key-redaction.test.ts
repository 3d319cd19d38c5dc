import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { MlDsaPrivateKey, MlKemPrivateKey, createNobleSignatureBackend } from '../../src/crypto/index.js';
import { fixedSeed, hex } from './fixtures/crypto-fixtures.js';

// A private key object never shows its seed: not as a property, not in JSON, not in
// util.inspect or console.log, not in a string conversion.

const cases = [
  { key: new MlDsaPrivateKey('ML-DSA-87', fixedSeed(32, 0xa0)), seed: fixedSeed(32, 0xa0) },
  { key: new MlKemPrivateKey('ML-KEM-768', fixedSeed(64, 0xb0)), seed: fixedSeed(64, 0xb0) },
];

for (const { key, seed } of cases) {
  test(`${key.algorithm} private keys do not reveal their seed`, () => {
    const seedHex = hex(seed);
    const renderings = [
      inspect(key, { showHidden: true, depth: 10 }),
      JSON.stringify(key),
      JSON.stringify({ nested: [key] }),
      String(key),
      `${key}`,
      inspect(structuredClone(key), { showHidden: true }),
    ];
    for (const rendering of renderings) {
      assert.ok(!rendering.includes(seedHex), rendering);
      assert.ok(!rendering.includes(seedHex.slice(0, 16)), rendering);
      assert.ok(!rendering.includes(Array.from(seed.subarray(0, 4)).join(', ')), rendering);
    }
    assert.match(inspect(key), /seed: \[redacted\]/);
    assert.deepEqual(Object.keys(key), ['algorithm']);
    assert.deepEqual(JSON.parse(JSON.stringify(key)), { algorithm: key.algorithm, seed: '[redacted]' });
  });
}

test('the seed is copied in: changing the caller\'s array later does not change the key', () => {
  const noble = createNobleSignatureBackend();
  const seed = fixedSeed(32, 0xc0);
  const key = new MlDsaPrivateKey('ML-DSA-44', seed);
  seed.fill(0);
  assert.ok(Object.isFrozen(key));
  const expected = noble.publicKeyOf(new MlDsaPrivateKey('ML-DSA-44', fixedSeed(32, 0xc0)));
  assert.equal(hex(noble.publicKeyOf(key)), hex(expected));
});
