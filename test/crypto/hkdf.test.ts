import { test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { deriveKey, type HkdfHash } from '../../src/crypto/index.js';
import { assertAurigraphError, hex } from './fixtures/crypto-fixtures.js';

// HKDF against RFC 5869 Appendix A (SHA-256 cases 1-3) and, for SHA-512, against OpenSSL's
// HKDF through node:crypto.hkdfSync.

const bytes = (hexText: string): Uint8Array => new Uint8Array(Buffer.from(hexText, 'hex'));
const range = (from: number, to: number): Uint8Array => Uint8Array.from({ length: to - from + 1 }, (_, index) => from + index);

test('RFC 5869 test case 1 (SHA-256, basic)', () => {
  const okm = deriveKey({
    hash: 'SHA-256',
    ikm: bytes('0b'.repeat(22)),
    salt: range(0x00, 0x0c),
    info: range(0xf0, 0xf9),
    length: 42,
  });
  assert.equal(hex(okm), '3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865');
});

test('RFC 5869 test case 2 (SHA-256, long inputs and output)', () => {
  const okm = deriveKey({ hash: 'SHA-256', ikm: range(0x00, 0x4f), salt: range(0x60, 0xaf), info: range(0xb0, 0xff), length: 82 });
  assert.equal(
    hex(okm),
    'b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c59045a99cac7827271cb41c65e590e09' +
      'da3275600c2f09b8367793a9aca3db71cc30c58179ec3e87c14c01d5c1f3434f1d87',
  );
});

test('RFC 5869 test case 3 (SHA-256, empty salt and info)', () => {
  const expected = '8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8';
  assert.equal(hex(deriveKey({ hash: 'SHA-256', ikm: bytes('0b'.repeat(22)), salt: new Uint8Array(0), info: new Uint8Array(0), length: 42 })), expected);
  assert.equal(hex(deriveKey({ hash: 'SHA-256', ikm: bytes('0b'.repeat(22)), length: 42 })), expected, 'absent salt and info mean the same');
});

test('SHA-512 agrees with node:crypto.hkdfSync, up to the longest output 255 * 64 bytes', () => {
  const cases = [
    { ikm: range(0, 21), salt: range(0, 12), info: range(0xf0, 0xf9), length: 42 },
    { ikm: range(0, 79), salt: new Uint8Array(0), info: new Uint8Array(0), length: 64 },
    { ikm: range(5, 36), salt: range(1, 100), info: new TextEncoder().encode('aurigraph session key'), length: 16320 },
    { ikm: range(0, 31), salt: range(0, 63), info: range(0, 9), length: 1 },
  ];
  for (const { ikm, salt, info, length } of cases) {
    const expected = new Uint8Array(crypto.hkdfSync('sha512', ikm, salt, info, length));
    assert.equal(hex(deriveKey({ hash: 'SHA-512', ikm, salt, info, length })), hex(expected), `length ${length}`);
  }
});

test('a length outside 1 .. 255 * HashLen is an invalid_argument naming length', () => {
  const ikm = range(0, 31);
  for (const [hash, length] of [['SHA-256', 0], ['SHA-256', 8161], ['SHA-512', 16321], ['SHA-512', 1.5]] as [HkdfHash, number][]) {
    assertAurigraphError(() => deriveKey({ hash, ikm, length }), 'invalid_argument', 'length', /HKDF-SHA-(256|512) output is 1 to (8160|16320) bytes/);
  }
  assert.equal(deriveKey({ hash: 'SHA-256', ikm, length: 8160 }).length, 8160);
  assertAurigraphError(() => deriveKey({ hash: 'SHA-1' as HkdfHash, ikm, length: 32 }), 'invalid_argument', 'hash');
});
