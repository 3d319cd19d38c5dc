import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Receipt, Transaction, TransactionKind, TxBatch } from '../../src/generated/aurigraph.js';

const validBatch = TxBatch.encode(
  TxBatch.create({
    batchId: 9n,
    transactions: [Transaction.create({ kind: TransactionKind.TRANSFER, from: new Uint8Array(32), amount: 5n })],
  }),
);

test('encodings truncated inside a field throw an Error', () => {
  // Byte 9 ends the batchId field, a valid encoding on its own; every other cut is inside a field.
  const fieldBoundary = 9;
  assert.deepEqual(TxBatch.decode(validBatch.subarray(0, fieldBoundary)).batchId, 9n);
  for (let length = 1; length < validBatch.length; length++) {
    if (length === fieldBoundary) continue;
    assert.throws(() => TxBatch.decode(validBatch.subarray(0, length)), Error, `truncated at ${length} bytes`);
  }
});

test('a known field with the wrong wire type throws, naming the field', () => {
  // Field 4 (amount, fixed64) sent as a varint.
  assert.throws(() => Transaction.decode(Uint8Array.from([0x20, 0x05])), /Transaction\.amount: wire type varint, expected 64-bit/);
  // Field 2 (transactions, message) sent as a fixed32.
  assert.throws(() => TxBatch.decode(Uint8Array.from([0x15, 1, 2, 3, 4])), /TxBatch\.transactions: wire type 32-bit/);
});

test('a nested length that overruns its parent or the buffer throws', () => {
  assert.throws(() => TxBatch.decode(Uint8Array.from([0x12, 0x7f, 0x08, 0x01])), /runs past the end/);
  // TxBatch field 2 declares 2 bytes, but the nested field 4 (fixed64) inside needs 9.
  assert.throws(() => TxBatch.decode(Uint8Array.from([0x12, 0x02, 0x21, 0x01, 0, 0, 0, 0, 0, 0, 0])));
});

test('invalid wire types, field number 0 and over-long varints throw', () => {
  assert.throws(() => Receipt.decode(Uint8Array.from([0x0f, 0x00])), /Receipt\.batchId: wire type 7/);
  // Unknown field 60 with wire type 7.
  assert.throws(() => Receipt.decode(Uint8Array.from([0xe7, 0x03, 0x00])), /invalid wire type 7/);
  assert.throws(() => Receipt.decode(Uint8Array.from([0x00, 0x00])), /field number 0/);
  const elevenByteVarint = [0x08, ...Array.from({ length: 10 }, () => 0xff), 0x01];
  assert.throws(() => Receipt.decode(Uint8Array.from(elevenByteVarint)));
});

test('encoding a number that does not fit its field throws RangeError naming the field', () => {
  const base = Transaction.create();
  assert.throws(() => Transaction.encode({ ...base, amount: 1n << 64n }), /Transaction\.amount: .* not an unsigned 64-bit integer/);
  assert.throws(() => Transaction.encode({ ...base, nonce: -1n }), RangeError);
  assert.throws(() => Transaction.encode({ ...base, chainId: 2 ** 32 }), /Transaction\.chainId: .* not an unsigned 32-bit integer/);
  assert.throws(() => Transaction.encode({ ...base, chainId: 1.5 }), RangeError);
  assert.throws(() => Receipt.encode({ ...Receipt.create(), index: -1 }), /Receipt\.index/);
});

test('unknown fields are skipped so older readers accept newer writers', () => {
  const known = Transaction.encode(Transaction.create({ amount: 77n, chainId: 3 }));
  // Field 50 varint, field 51 length-delimited, field 52 fixed64, field 53 fixed32.
  const unknown = [0x90, 0x03, 0x2a, 0x9a, 0x03, 0x02, 0xaa, 0xbb, 0xa1, 0x03, 1, 2, 3, 4, 5, 6, 7, 8, 0xad, 0x03, 1, 2, 3, 4];
  const decoded = Transaction.decode(Uint8Array.from([...unknown, ...known]));
  assert.equal(decoded.amount, 77n);
  assert.equal(decoded.chainId, 3);
});
