/**
 * Log entries: what the verifier appends (from verify records and hashes) is what every
 * replica's executor reads back through LogEntryView, in batch order, including entries merged
 * from several shards' compact records.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { merkleRoot } from '../../src/crypto/index.js';
import {
  EntryBuilder,
  LogEntryView,
  compactRecordBytesAt,
  compactRecordBytesFor,
  logEntryBytesMaxFor,
  logEntryHeaderBytes,
  writeCompactRecord,
  type ExecutionTransactions,
} from '../../src/wire/index.js';
import { recordBytes, verifiedBatch, type VerifiedBatch } from './log-entry-fixtures.js';
import { assertBytes } from './wire-fixtures.js';

const header = { originNodeId: 'node-1', requestId: 0xfedcba98, clientBatchId: (1n << 64n) - 2n, leaderTimestampMs: 1_767_225_600_123n };

function assertTransactionsMatch(entry: ExecutionTransactions & { batchIndex(index: number): number }, batch: VerifiedBatch, batchIndexes: number[]): void {
  assert.equal(entry.count, batchIndexes.length);
  batchIndexes.forEach((batchIndex, index) => {
    const expected = batch.transactions[batchIndex]!;
    assert.equal(entry.batchIndex(index), batchIndex);
    assert.equal(entry.kind(index), expected.kind);
    assertBytes(entry.from(index), expected.from);
    assertBytes(entry.to(index), expected.to.length === 0 ? new Uint8Array(32) : expected.to);
    assert.equal(entry.amount(index), expected.amount);
    assert.equal(entry.nonce(index), expected.nonce);
    assert.equal(entry.fee(index), expected.fee);
    assertBytes(entry.txHash(index), batch.hashes[batchIndex]!);
    assertBytes(entry.payload(index), expected.payload);
  });
}

test('an entry built from verify records reads back header and every transaction', () => {
  const batch = verifiedBatch(11, 40);
  // Every third transaction "failed verification" and stays out of the entry.
  const accepted = batch.transactions.map((_, index) => index).filter((index) => index % 3 !== 1);
  const builder = new EntryBuilder(logEntryBytesMaxFor(1024, 1 << 22), 256);
  builder.begin(header);
  for (const index of accepted) builder.append(batch.view.moveTo(index * recordBytes), batch.hashes[index]!);
  const root = merkleRoot(accepted.map((index) => batch.hashes[index]!));
  const bytes = builder.finish(root);
  assert.equal(bytes.byteOffset, 0);
  assert.equal(bytes.buffer.byteLength, bytes.length, 'the entry owns an exactly sized buffer, ready to transfer');
  assert.equal(bytes.length, logEntryHeaderBytes + accepted.reduce((sum, index) => sum + compactRecordBytesFor(batch.transactions[index]!.payload.length), 0));

  const entry = new LogEntryView(bytes);
  assert.equal(entry.originNodeId, header.originNodeId);
  assert.equal(entry.requestId, header.requestId);
  assert.equal(entry.clientBatchId, header.clientBatchId);
  assert.equal(entry.leaderTimestampMs, header.leaderTimestampMs);
  assertBytes(entry.transactionsRoot(), root);
  assertTransactionsMatch(entry, batch, accepted);
  for (let index = 0; index < entry.count; index++) assert.equal(entry.recordOffset(index) % 8, 0);
});

test('the builder is reused across entries and nothing of the previous one leaks', () => {
  const first = verifiedBatch(1, 30);
  const second = verifiedBatch(2, 3);
  const builder = new EntryBuilder(logEntryBytesMaxFor(1024, 1 << 22));
  builder.begin(header);
  first.transactions.forEach((_, index) => builder.append(first.view.moveTo(index * recordBytes), first.hashes[index]!));
  new LogEntryView(builder.finish(merkleRoot(first.hashes)));
  builder.begin({ ...header, originNodeId: 'n', requestId: 1, clientBatchId: 0n, leaderTimestampMs: 0n });
  second.transactions.forEach((_, index) => builder.append(second.view.moveTo(index * recordBytes), second.hashes[index]!));
  const entry = new LogEntryView(builder.finish(merkleRoot(second.hashes)));
  assert.equal(entry.originNodeId, 'n');
  assert.equal(entry.clientBatchId, 0n);
  assertTransactionsMatch(entry, second, [0, 1, 2]);
});

test('compact records written by two shards merge into one entry in batch order', () => {
  const batch = verifiedBatch(21, 25);
  // Shard k verified the transactions whose index is k mod 2; each wrote its records in ring order.
  const shardOutputs = [0, 1].map((shard) => {
    const indexes = batch.transactions.map((_, index) => index).filter((index) => index % 2 === shard);
    const size = indexes.reduce((sum, index) => sum + compactRecordBytesFor(batch.transactions[index]!.payload.length), 0);
    const output = new Uint8Array(size);
    let offset = 0;
    for (const index of indexes) offset = writeCompactRecord(batch.view.moveTo(index * recordBytes), batch.hashes[index]!, output, offset);
    assert.equal(offset, size);
    return output;
  });
  const builder = new EntryBuilder(logEntryBytesMaxFor(1024, 1 << 22));
  builder.begin(header);
  const positions = [0, 0];
  for (let index = 0; index < batch.transactions.length; index++) {
    const shard = index % 2;
    const output = shardOutputs[shard]!;
    assert.equal(compactRecordBytesAt(output, positions[shard]!), compactRecordBytesFor(batch.transactions[index]!.payload.length));
    positions[shard] = builder.appendCompactRecord(output, positions[shard]!);
  }
  assert.deepEqual(positions, shardOutputs.map((output) => output.length));
  const entry = new LogEntryView(builder.finish(merkleRoot(batch.hashes)));
  assertTransactionsMatch(entry, batch, batch.transactions.map((_, index) => index));
});

test('the builder asserts batch order, its byte bound and a well-formed header', () => {
  const batch = verifiedBatch(3, 4);
  const builder = new EntryBuilder(logEntryHeaderBytes + 2 * compactRecordBytesFor(1000));
  builder.begin(header);
  builder.append(batch.view.moveTo(recordBytes), batch.hashes[1]!);
  assert.throws(() => builder.append(batch.view.moveTo(0), batch.hashes[0]!), /records arrive in batch order: index 0 after 1/);
  const small = verifiedBatch(4, 8);
  const withoutPayload = small.transactions.findIndex((transaction) => transaction.payload.length === 0);
  const withPayload = small.transactions.findIndex((transaction, index) => index > withoutPayload && transaction.payload.length > 0);
  assert.ok(withoutPayload !== -1 && withPayload !== -1, 'the seeded batch has a transaction without payload followed by one with');
  const bounded = new EntryBuilder(logEntryHeaderBytes + 128);
  bounded.begin(header);
  bounded.append(small.view.moveTo(withoutPayload * recordBytes), small.hashes[withoutPayload]!);
  assert.throws(() => bounded.append(small.view.moveTo(withPayload * recordBytes), small.hashes[withPayload]!), /stays within entryBytesMax/);
  assert.throws(() => builder.begin({ ...header, originNodeId: 'x'.repeat(65) }), /originNodeId/);
  assert.throws(() => builder.begin({ ...header, originNodeId: '' }), /originNodeId/);
  assert.throws(() => builder.begin({ ...header, requestId: 2 ** 32 }), /requestId/);
  assert.throws(() => builder.begin({ ...header, clientBatchId: 1n << 64n }), /clientBatchId/);
  assert.throws(() => new EntryBuilder(64), /entryBytesMax/);
  const fresh = new EntryBuilder(logEntryBytesMaxFor(1, 1024));
  assert.throws(() => fresh.append(batch.view.moveTo(0), batch.hashes[0]!), /begin\(\) comes before append/);
  fresh.begin({ ...header, originNodeId: 'ノード-1' });
  assert.equal(new LogEntryView(fresh.finish(new Uint8Array(32))).originNodeId, 'ノード-1');
  assert.throws(() => fresh.finish(new Uint8Array(32)), /begin\(\) comes before finish/);
});

test('an entry with no transactions is valid and random access outside it throws RangeError', () => {
  const builder = new EntryBuilder(logEntryBytesMaxFor(1, 1024));
  builder.begin(header);
  const entry = new LogEntryView(builder.finish(new Uint8Array(32)));
  assert.equal(entry.count, 0);
  assert.throws(() => entry.kind(0), RangeError);
  assert.throws(() => entry.from(-1), RangeError);
  assert.throws(() => entry.txHash(0.5), RangeError);
});
