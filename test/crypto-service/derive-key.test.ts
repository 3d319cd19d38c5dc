import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hkdfSync } from 'node:crypto';
import { status } from '@grpc/grpc-js';
import { DeriveKeyRequest, HkdfHash } from '../../src/generated/aurigraph.js';
import { assertRpcError, fromHex, hex, startCryptoNode, stopCryptoNode } from './fixtures/crypto-service-fixtures.js';

// DeriveKey over the wire: RFC 5869's SHA-256 test cases, SHA-512 against node:crypto, and the
// output-length bounds the proto states.

const rfc5869Cases = [
  {
    name: 'RFC 5869 A.1 (basic)',
    ikm: '0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b',
    salt: '000102030405060708090a0b0c',
    info: 'f0f1f2f3f4f5f6f7f8f9',
    length: 42,
    okm: '3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865',
  },
  {
    name: 'RFC 5869 A.2 (longer inputs and output)',
    ikm: Array.from({ length: 80 }, (_, index) => index.toString(16).padStart(2, '0')).join(''),
    salt: Array.from({ length: 80 }, (_, index) => (0x60 + index).toString(16).padStart(2, '0')).join(''),
    info: Array.from({ length: 80 }, (_, index) => (0xb0 + index).toString(16).padStart(2, '0')).join(''),
    length: 82,
    okm:
      'b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c59045a99cac7827271cb41c65e590e09' +
      'da3275600c2f09b8367793a9aca3db71cc30c58179ec3e87c14c01d5c1f3434f1d87',
  },
  {
    name: 'RFC 5869 A.3 (empty salt and info)',
    ikm: '0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b',
    salt: '',
    info: '',
    length: 42,
    okm: '8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8',
  },
];

test('DeriveKey: RFC 5869 vectors, SHA-512, and length bounds', async (t) => {
  const cryptoNode = await startCryptoNode();
  t.after(() => cryptoNode.node.cleanup());
  const crypto = cryptoNode.client.crypto;

  for (const vector of rfc5869Cases) {
    const response = await crypto.deriveKey(
      DeriveKeyRequest.create({
        hash: HkdfHash.HKDF_SHA_256,
        inputKeyMaterial: fromHex(vector.ikm),
        salt: fromHex(vector.salt),
        info: fromHex(vector.info),
        lengthBytes: vector.length,
      }),
    );
    assert.equal(hex(response.derivedKey), vector.okm, vector.name);
  }

  // SHA-512 has no RFC 5869 vector; OpenSSL's HKDF in node:crypto is the independent reference.
  const ikm = fromHex('c0ffee'.repeat(11));
  const salt = fromHex('5a17'.repeat(9));
  const info = new TextEncoder().encode('aurigraph channel key');
  for (const lengthBytes of [1, 64, 100, 16320]) {
    const response = await crypto.deriveKey(DeriveKeyRequest.create({ hash: HkdfHash.HKDF_SHA_512, inputKeyMaterial: ikm, salt, info, lengthBytes }));
    assert.equal(hex(response.derivedKey), hex(new Uint8Array(hkdfSync('sha512', ikm, salt, info, lengthBytes))), `HKDF-SHA-512, ${lengthBytes} bytes`);
  }
  const longest256 = await crypto.deriveKey(DeriveKeyRequest.create({ hash: HkdfHash.HKDF_SHA_256, inputKeyMaterial: ikm, lengthBytes: 8160 }));
  assert.equal(hex(longest256.derivedKey), hex(new Uint8Array(hkdfSync('sha256', ikm, new Uint8Array(0), new Uint8Array(0), 8160))));

  const goodCall = async (): Promise<void> => {
    const response = await crypto.deriveKey(
      DeriveKeyRequest.create({ hash: HkdfHash.HKDF_SHA_256, inputKeyMaterial: fromHex(rfc5869Cases[0]!.ikm), salt: fromHex(rfc5869Cases[0]!.salt), info: fromHex(rfc5869Cases[0]!.info), lengthBytes: 42 }),
    );
    assert.equal(hex(response.derivedKey), rfc5869Cases[0]!.okm, 'the node keeps serving after a refused request');
  };
  const outOfRange: Array<[HkdfHash, number, RegExp]> = [
    [HkdfHash.HKDF_SHA_256, 0, /HKDF-SHA-256 output is 1 to 8160 bytes/],
    [HkdfHash.HKDF_SHA_256, 8161, /HKDF-SHA-256 output is 1 to 8160 bytes.*got 8161/],
    [HkdfHash.HKDF_SHA_512, 16321, /HKDF-SHA-512 output is 1 to 16320 bytes.*got 16321/],
  ];
  for (const [hash, lengthBytes, message] of outOfRange) {
    await assertRpcError(
      crypto.deriveKey(DeriveKeyRequest.create({ hash, inputKeyMaterial: ikm, lengthBytes })),
      status.INVALID_ARGUMENT,
      'length_bytes',
      message,
    );
    await goodCall();
  }

  await stopCryptoNode(cryptoNode);
});
