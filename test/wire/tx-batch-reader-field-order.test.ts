/**
 * Protobuf lets an encoder order fields freely, repeat singular fields (the last wins) and add
 * fields this schema does not know (skipped). Hand-encoded batches check each of those against
 * the walker, and against the generated decoder as the reference.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RejectReason, TxBatch } from '../../src/generated/aurigraph.js';
import { TransactionCursor, TxBatchReader, VerifyRecordView, writeVerifyRecord } from '../../src/wire/index.js';
import {
  assertBytes,
  batchSignedFields,
  encodeFields,
  field,
  filled,
  randomValidTransaction,
  seededRandom,
  shuffled,
  testChainId,
  testLimits,
  transactionFields,
  transfer,
} from './wire-fixtures.js';

const recordBytes = 4096;

/** The verify record of every transaction: a canonical, order-free picture of what was read. */
function recordsOf(bytes: Uint8Array): string[] {
  const reader = new TxBatchReader(testLimits({ verifyRecordBytes: recordBytes }));
  const cursor = new TransactionCursor();
  reader.open(bytes);
  const slot = new Uint8Array(recordBytes);
  const records: string[] = [];
  for (let index = 0; index < reader.transactionCount; index++) {
    assert.equal(reader.readTransaction(index, cursor), true, cursor.rejectMessage);
    slot.fill(0xaa);
    assert.equal(writeVerifyRecord(cursor, reader.bytes, slot, 0, recordBytes, 1, index), true);
    const view = new VerifyRecordView(slot, recordBytes, 0);
    records.push(Buffer.from(slot.subarray(0, view.signatureStart + view.signatureLength)).toString('hex'));
  }
  return records;
}

test('shuffled field order inside transactions and at the top level reads the same as canonical order', () => {
  for (let seed = 1; seed <= 60; seed++) {
    const random = seededRandom(seed);
    const batchSigned = seed % 2 === 0;
    const transactions = Array.from({ length: 1 + Math.floor(random() * 6) }, () => randomValidTransaction(random, { batchSigned }));
    const signedFields = batchSignedFields();
    const canonical = TxBatch.encode(TxBatch.create({ batchId: BigInt(seed), transactions, ...(batchSigned ? signedFields : {}) }));

    const topLevel = [
      field.fixed64(1, BigInt(seed)),
      ...transactions.map((transaction) => field.message(2, shuffled(transactionFields(transaction), random))),
    ];
    if (batchSigned) {
      topLevel.push(field.bytes(3, signedFields.batchSignature!), field.bytes(4, signedFields.submitterKeyId!), field.varint(6, signedFields.submitterAlgorithm!));
    }
    // Transactions keep their relative order (it is the batch order); everything else moves around them.
    const transactionFieldsInOrder = topLevel.filter((_, index) => index >= 1 && index <= transactions.length);
    const others = shuffled(topLevel.filter((_, index) => index < 1 || index > transactions.length), random);
    const mixed: Uint8Array[] = [];
    for (const item of transactionFieldsInOrder) {
      while (others.length > 0 && random() < 0.4) mixed.push(others.pop()!);
      mixed.push(item);
    }
    mixed.push(...others);
    const reordered = encodeFields(mixed);

    assert.deepEqual(TxBatch.decode(reordered), TxBatch.decode(canonical), `seed ${seed}: the generated decoder agrees the two are the same batch`);
    assert.deepEqual(recordsOf(reordered), recordsOf(canonical), `seed ${seed}`);
    const reader = new TxBatchReader(testLimits());
    reader.open(reordered);
    assert.equal(reader.batchId, BigInt(seed));
    assert.equal(reader.hasBatchSignature, batchSigned);
  }
});

test('batch_signature after the transactions still decides the per-transaction signature rule', () => {
  const unsigned = transfer(1, { signature: new Uint8Array(0) });
  const signedFields = batchSignedFields();
  const bytes = encodeFields([
    field.message(2, transactionFields(unsigned)),
    field.varint(6, signedFields.submitterAlgorithm!),
    field.bytes(4, signedFields.submitterKeyId!),
    field.bytes(3, signedFields.batchSignature!),
  ]);
  const reader = new TxBatchReader(testLimits());
  const cursor = new TransactionCursor();
  reader.open(bytes);
  assert.equal(reader.readTransaction(0, cursor), true, cursor.rejectMessage);
});

test('a repeated singular field: the last occurrence wins, in transactions and at the top level', () => {
  const expected = transfer(3);
  const bytes = encodeFields([
    field.fixed64(1, 111n),
    field.message(2, [
      field.varint(1, 4),
      field.bytes(2, filled(31, 1)),
      field.bytes(3, filled(5, 2)),
      field.fixed64(4, 1n),
      field.fixed32(7, 999),
      field.bytes(9, filled(7, 9)),
      ...transactionFields(expected),
    ]),
    field.fixed64(1, 222n),
  ]);
  const reader = new TxBatchReader(testLimits());
  const cursor = new TransactionCursor();
  reader.open(bytes);
  assert.equal(reader.batchId, 222n);
  assert.equal(reader.readTransaction(0, cursor), true, cursor.rejectMessage);
  assert.equal(cursor.kind, expected.kind);
  assert.equal(cursor.chainId, testChainId);
  assertBytes(bytes.subarray(cursor.fromOffset, cursor.fromOffset + cursor.fromLength), expected.from);
  assertBytes(bytes.subarray(cursor.toOffset, cursor.toOffset + cursor.toLength), expected.to);
  assertBytes(bytes.subarray(cursor.signatureOffset, cursor.signatureOffset + cursor.signatureLength), expected.signature);
  assert.deepEqual(TxBatch.decode(bytes).transactions[0], expected);
});

test('unknown fields of every wire type, groups nested, are skipped in transactions and at the top level', () => {
  const expected = transfer(4);
  const unknown = [
    field.varint(20, 150),
    field.varint(21, -1),
    field.fixed64(22, (1n << 64n) - 1n),
    field.bytes(23, filled(300, 7)),
    field.fixed32(24, 0xdeadbeef),
    field.group(25, [field.varint(1, 5), field.group(26, [field.bytes(2, filled(3, 1))]), field.fixed32(3, 1)]),
    field.varint(536_870_911, 1),
  ];
  const bytes = encodeFields([
    ...unknown,
    field.message(2, [...unknown.slice(0, 3), ...transactionFields(expected), ...unknown.slice(3)]),
    ...unknown.reverse(),
  ]);
  const reader = new TxBatchReader(testLimits());
  const cursor = new TransactionCursor();
  reader.open(bytes);
  assert.equal(reader.transactionCount, 1);
  assert.equal(reader.readTransaction(0, cursor), true, cursor.rejectMessage);
  assert.equal(cursor.rejectReason, RejectReason.REJECT_REASON_NONE);
  assertBytes(bytes.subarray(cursor.fromOffset, cursor.fromOffset + 32), expected.from);
  assert.deepEqual(recordsOf(bytes), recordsOf(TxBatch.encode(TxBatch.create({ transactions: [expected] }))));
});
