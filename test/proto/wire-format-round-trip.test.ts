import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  AppendEntriesRequest,
  Block,
  GetTransactionResponse,
  KeyAlgorithm,
  LogEntry,
  LogEntryType,
  Receipt,
  ReceiptBatch,
  ReceiptStatus,
  RejectReason,
  StreamConsensusEventsRequest,
  ConsensusEventType,
  Transaction,
  TransactionKind,
  TxBatch,
} from '../../src/generated/aurigraph.js';

const uint64Max = (1n << 64n) - 1n;

function filled(length: number, seed: number): Uint8Array {
  return Uint8Array.from({ length }, (_, index) => (seed + index * 31) & 0xff);
}

function sampleTransaction(seed: number): Transaction {
  return Transaction.create({
    kind: TransactionKind.CONTRACT_CALL,
    from: filled(32, seed),
    to: filled(32, seed + 1),
    amount: uint64Max - BigInt(seed),
    nonce: uint64Max - 1n,
    fee: 1n << 63n,
    chainId: 0xffffffff,
    payload: filled(1000, seed + 2),
    signature: filled(4627, seed + 3),
  });
}

test('Transaction round-trips with 64-bit values near 2^64-1, 32-byte ids and large bytes fields', () => {
  const transaction = sampleTransaction(7);
  const decoded = Transaction.decode(Transaction.encode(transaction));
  assert.deepEqual(decoded, transaction);
  assert.equal(decoded.amount, uint64Max - 7n);
  assert.equal(decoded.from.length, 32);
});

test('fixed64 and fixed32 fields occupy fixed widths on the wire, little-endian', () => {
  const amountOnly = Transaction.encode(Transaction.create({ amount: 1n }));
  assert.deepEqual([...amountOnly], [0x21, 1, 0, 0, 0, 0, 0, 0, 0]);
  const largest = Transaction.encode(Transaction.create({ amount: uint64Max, chainId: 0xffffffff }));
  assert.deepEqual([...largest], [0x21, 255, 255, 255, 255, 255, 255, 255, 255, 0x3d, 255, 255, 255, 255]);
});

test('TxBatch round-trips repeated nested transactions and the batch signature fields', () => {
  const batch = TxBatch.create({
    batchId: uint64Max,
    transactions: [sampleTransaction(1), sampleTransaction(2), Transaction.create({ kind: TransactionKind.TRANSFER })],
    batchSignature: filled(4627, 9),
    submitterKeyId: filled(32, 10),
    submitterPublicKey: filled(2592, 11),
    submitterAlgorithm: KeyAlgorithm.ML_DSA_87,
  });
  const decoded = TxBatch.decode(TxBatch.encode(batch));
  assert.deepEqual(decoded, batch);
  assert.equal(decoded.transactions.length, 3);
  assert.equal(decoded.transactions[2]?.amount, 0n);
  assert.equal(decoded.submitterAlgorithm, KeyAlgorithm.ML_DSA_87);
});

test('Receipt and ReceiptBatch round-trip enums, strings and heights', () => {
  const rejected = Receipt.create({
    batchId: uint64Max,
    index: 0xffffffff,
    txHash: filled(32, 3),
    status: ReceiptStatus.REJECTED,
    rejectReason: RejectReason.NONCE_REUSED,
    rejectMessage: 'nonce: 41 was already used — replay refusé',
  });
  const committed = Receipt.create({
    batchId: uint64Max,
    index: 1,
    txHash: filled(32, 4),
    status: ReceiptStatus.COMMITTED,
    blockHeight: uint64Max - 1n,
    stateRoot: filled(32, 5),
    result: filled(8, 6),
    gasUsed: 123_456_789_012n,
  });
  const batch = ReceiptBatch.create({ batchId: uint64Max, receipts: [rejected, committed] });
  const decoded = ReceiptBatch.decode(ReceiptBatch.encode(batch));
  assert.deepEqual(decoded, batch);
  assert.equal(decoded.receipts[0]?.rejectReason, RejectReason.NONCE_REUSED);
  assert.equal(decoded.receipts[1]?.blockHeight, uint64Max - 1n);
});

test('nested optional messages and repeated bytes round-trip, and absent messages stay undefined', () => {
  const response = GetTransactionResponse.create({ transaction: sampleTransaction(4) });
  const decoded = GetTransactionResponse.decode(GetTransactionResponse.encode(response));
  assert.deepEqual(decoded, response);
  assert.equal(decoded.receipt, undefined);

  const block = Block.create({
    height: uint64Max,
    transactionHashes: [filled(32, 1), new Uint8Array(0), filled(32, 2)],
    transactions: [sampleTransaction(5)],
    transactionCount: 3,
  });
  const decodedBlock = Block.decode(Block.encode(block));
  assert.deepEqual(decodedBlock, block);
  assert.equal(decodedBlock.transactionHashes.length, 3, 'an empty element of repeated bytes is kept');
});

test('varint uint64 fields round-trip at every width up to 2^64-1', () => {
  for (const value of [0n, 1n, 127n, 128n, (1n << 49n) - 1n, 1n << 49n, (1n << 56n) + 5n, 1n << 63n, uint64Max]) {
    const request = AppendEntriesRequest.create({
      term: value,
      leaderId: 'node-1',
      prevLogIndex: value,
      entries: [LogEntry.create({ index: value, term: 3n, type: LogEntryType.BATCH, timestampUnixMs: 1_700_000_000_000n, data: filled(64, 1) })],
      leaderCommit: uint64Max - value,
    });
    assert.deepEqual(AppendEntriesRequest.decode(AppendEntriesRequest.encode(request)), request, `value ${value}`);
  }
});

test('packed repeated enums round-trip', () => {
  const request = StreamConsensusEventsRequest.create({
    types: [ConsensusEventType.SNAPSHOT_INSTALLED, ConsensusEventType.LEADER_CHANGED, ConsensusEventType.LEADER_CHANGED],
  });
  const bytes = StreamConsensusEventsRequest.encode(request);
  assert.deepEqual([...bytes], [0x0a, 3, 5, 1, 1], 'written packed: one length-delimited field');
  assert.deepEqual(StreamConsensusEventsRequest.decode(bytes), request);
});

test('create() fills proto3 defaults, which encode to nothing and decode back', () => {
  const empty = Transaction.create();
  assert.deepEqual(empty, {
    kind: TransactionKind.TRANSACTION_KIND_UNSPECIFIED,
    from: new Uint8Array(0),
    to: new Uint8Array(0),
    amount: 0n,
    nonce: 0n,
    fee: 0n,
    chainId: 0,
    payload: new Uint8Array(0),
    signature: new Uint8Array(0),
  });
  assert.equal(Transaction.encode(empty).length, 0);
  assert.deepEqual(Transaction.decode(new Uint8Array(0)), empty);
  assert.deepEqual(TxBatch.create().transactions, []);
  assert.notEqual(TxBatch.create().transactions, TxBatch.create().transactions, 'each create() gets its own array');
});

test('decoded bytes fields are plain Uint8Array views, also when decoding a Buffer', () => {
  const transaction = sampleTransaction(8);
  const decoded = Transaction.decode(Buffer.from(Transaction.encode(transaction)));
  assert.equal(Object.getPrototypeOf(decoded.from), Uint8Array.prototype);
  assert.deepEqual(decoded, transaction);
});
