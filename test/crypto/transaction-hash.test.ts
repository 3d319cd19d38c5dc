import { test } from 'node:test';
import assert from 'node:assert/strict';
import { transactionHash, transactionHashBytes } from '../../src/crypto/index.js';
import { assertAurigraphError, hex } from './fixtures/crypto-fixtures.js';

// A transaction hash is SHA-256 of the canonical bytes (FIPS 180-4 known answers).

test('hashes "abc" and the empty string to the FIPS 180-4 SHA-256 values', () => {
  assert.equal(hex(transactionHash(new TextEncoder().encode('abc'))), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  assert.equal(hex(transactionHash(new Uint8Array(0))), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
});

test('returns 32 bytes that own their memory', () => {
  const hash = transactionHash(new TextEncoder().encode('tx'));
  assert.equal(hash.length, transactionHashBytes);
  assert.equal(hash.byteOffset, 0);
  assert.equal(hash.buffer.byteLength, 32);
});

test('refuses anything but bytes', () => {
  assertAurigraphError(() => transactionHash('abc' as unknown as Uint8Array), 'invalid_argument', 'canonicalTransactionBytes');
});
