import { test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { type BlockHeader, blockHash, blockHeaderBytes, decodeBlockHeader, encodeBlockHeader } from '../../src/ledger/index.js';

const header: BlockHeader = {
  height: 0x0102n,
  parentHash: new Uint8Array(32).fill(0xaa),
  stateRoot: new Uint8Array(32).fill(0xbb),
  transactionsRoot: new Uint8Array(32).fill(0xcc),
  timestampMs: 1_700_000_000_123n,
  raftTerm: 5n,
  raftIndex: 77n,
  transactionCount: 3,
};

test('the block header layout is fixed, and the block hash is SHA-256 of it', () => {
  const bytes = Buffer.from(encodeBlockHeader(header));
  assert.equal(bytes.length, blockHeaderBytes);
  assert.equal(bytes.subarray(0, 16).toString('ascii'), 'AURIGRAPH-BLK-V1');
  assert.equal(bytes.readBigUInt64LE(16), 0x0102n);
  assert.ok(bytes.subarray(24, 56).every((byte) => byte === 0xaa));
  assert.ok(bytes.subarray(56, 88).every((byte) => byte === 0xbb));
  assert.ok(bytes.subarray(88, 120).every((byte) => byte === 0xcc));
  assert.equal(bytes.readBigUInt64LE(120), 1_700_000_000_123n);
  assert.equal(bytes.readBigUInt64LE(128), 5n);
  assert.equal(bytes.readBigUInt64LE(136), 77n);
  assert.equal(bytes.readUInt32LE(144), 3);
  assert.deepEqual(Buffer.from(blockHash(header)), crypto.createHash('sha256').update(bytes).digest());
  assert.deepEqual(decodeBlockHeader(bytes), { ...header, parentHash: bytes.subarray(24, 56), stateRoot: bytes.subarray(56, 88), transactionsRoot: bytes.subarray(88, 120) });
});

test('every header field changes the block hash', () => {
  const base = Buffer.from(blockHash(header)).toString('hex');
  const variants: BlockHeader[] = [
    { ...header, height: header.height + 1n },
    { ...header, parentHash: new Uint8Array(32) },
    { ...header, stateRoot: new Uint8Array(32) },
    { ...header, transactionsRoot: new Uint8Array(32) },
    { ...header, timestampMs: header.timestampMs + 1n },
    { ...header, raftTerm: header.raftTerm + 1n },
    { ...header, raftIndex: header.raftIndex + 1n },
    { ...header, transactionCount: header.transactionCount + 1 },
  ];
  const hashes = new Set(variants.map((variant) => Buffer.from(blockHash(variant)).toString('hex')));
  assert.equal(hashes.size, variants.length);
  assert.ok(!hashes.has(base));
});
