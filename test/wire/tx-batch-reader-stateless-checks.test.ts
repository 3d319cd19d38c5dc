/**
 * The per-transaction rules the acceptor applies before anything is verified: each broken rule
 * rejects that transaction alone, with the reason and a message naming the field.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RejectReason, TransactionKind, TxBatch, type Transaction } from '../../src/generated/aurigraph.js';
import { TransactionCursor, TxBatchReader, verifyRecordHeaderBytes, type TxBatchLimits } from '../../src/wire/index.js';
import { batchOf, batchSignedFields, filled, testChainId, testLimits, transfer } from './wire-fixtures.js';

interface Verdict {
  reason: number;
  message: string;
}

/** Walks a batch of [valid, candidate, valid] and returns the candidate's verdict; the neighbours must pass. */
function verdictOf(candidate: Transaction, options: { batchSigned?: boolean; limits?: Partial<TxBatchLimits> } = {}): Verdict {
  const batchSigned = options.batchSigned ?? false;
  const neighbour = (seed: number): Transaction => transfer(seed, batchSigned ? { signature: new Uint8Array(0) } : {});
  const batch = batchOf([neighbour(1), candidate, neighbour(2)], batchSigned ? batchSignedFields() : {});
  const reader = new TxBatchReader(testLimits(options.limits));
  const cursor = new TransactionCursor();
  reader.open(TxBatch.encode(batch));
  for (const index of [0, 2]) assert.equal(reader.readTransaction(index, cursor), true, `neighbour ${index}: ${cursor.rejectMessage}`);
  const accepted = reader.readTransaction(1, cursor);
  assert.equal(accepted, cursor.rejectReason === RejectReason.REJECT_REASON_NONE);
  assert.equal(accepted, cursor.rejectMessage === '');
  return { reason: cursor.rejectReason, message: cursor.rejectMessage };
}

function assertRejected(verdict: Verdict, reason: number, messagePattern: RegExp): void {
  assert.equal(verdict.reason, reason, verdict.message);
  assert.match(verdict.message, messagePattern);
}

const accepted: Verdict = { reason: RejectReason.REJECT_REASON_NONE, message: '' };
const perKind = (kind: number, hasTo: boolean): Transaction =>
  transfer(5, { kind: kind as TransactionKind, to: hasTo ? filled(32, 3) : new Uint8Array(0), payload: kind === TransactionKind.TRANSFER ? new Uint8Array(0) : filled(10, 1) });

test('kind must be TRANSFER to TRACE_LINK', () => {
  assertRejected(verdictOf(transfer(5, { kind: 0 as TransactionKind })), RejectReason.MALFORMED, /^kind: .*it is not set/);
  assertRejected(verdictOf(transfer(5, { kind: 8 as TransactionKind })), RejectReason.MALFORMED, /^kind: must be one of TRANSFER \(1\) to TRACE_LINK \(7\); got 8/);
  assertRejected(verdictOf(transfer(5, { kind: -1 as TransactionKind })), RejectReason.MALFORMED, /^kind: .*got -1/);
});

test('from must be exactly 32 bytes', () => {
  for (const length of [0, 1, 31, 33, 64]) {
    assertRejected(verdictOf(transfer(5, { from: filled(length, 1) })), RejectReason.MALFORMED, new RegExp(`^from: must be exactly 32 bytes .*got ${length}$`));
  }
});

test('to is 32 bytes for TRANSFER, CONTRACT_CALL and TRACE_LINK, and empty for the other kinds', () => {
  for (const kind of [TransactionKind.TRANSFER, TransactionKind.CONTRACT_CALL, TransactionKind.TRACE_LINK]) {
    assert.deepEqual(verdictOf(perKind(kind, true)), accepted, `kind ${kind}`);
    assertRejected(verdictOf(perKind(kind, false)), RejectReason.MALFORMED, /^to: must be exactly 32 bytes for [A-Z_]+, got 0$/);
    assertRejected(verdictOf(transfer(5, { kind, to: filled(31, 1), payload: kind === 1 ? new Uint8Array(0) : filled(1, 1) })), RejectReason.MALFORMED, /^to: .*got 31$/);
  }
  for (const kind of [TransactionKind.REGISTER_KEY, TransactionKind.CONTRACT_DEPLOY, TransactionKind.STORAGE_PUT, TransactionKind.STORAGE_DELETE]) {
    assert.deepEqual(verdictOf(perKind(kind, false)), accepted, `kind ${kind}`);
    assertRejected(verdictOf(perKind(kind, true)), RejectReason.MALFORMED, /^to: must be empty for [A-Z_]+, got 32 bytes$/);
  }
});

test('a TRANSFER carries no payload', () => {
  assertRejected(verdictOf(transfer(5, { payload: filled(1, 1) })), RejectReason.MALFORMED, /^payload: must be empty for TRANSFER, got 1 bytes$/);
});

test('payload length is bounded by the configured limit', () => {
  const atLimit = transfer(5, { kind: TransactionKind.STORAGE_PUT, to: new Uint8Array(0), payload: filled(100, 1) });
  assert.deepEqual(verdictOf(atLimit, { limits: { payloadBytesMax: 100 } }), accepted);
  assertRejected(verdictOf(atLimit, { limits: { payloadBytesMax: 99 } }), RejectReason.MALFORMED, /^payload: 100 bytes exceed this node's limit of 99$/);
});

test('a signature is required without a batch signature, and forbidden with one', () => {
  assertRejected(verdictOf(transfer(5, { signature: new Uint8Array(0) })), RejectReason.MALFORMED, /^signature: is missing/);
  assertRejected(verdictOf(transfer(5), { batchSigned: true }), RejectReason.MALFORMED, /^signature: must be empty when the batch carries batch_signature$/);
  assert.deepEqual(verdictOf(transfer(5, { signature: new Uint8Array(0) }), { batchSigned: true }), accepted);
});

test('a transaction whose verify record would not fit the ring record is MALFORMED, naming shards.ringRecordBytes', () => {
  const recordBytes = 4096;
  const fits = recordBytes - verifyRecordHeaderBytes - 10;
  const candidate = (signatureLength: number): Transaction =>
    transfer(5, { kind: TransactionKind.STORAGE_PUT, to: new Uint8Array(0), payload: filled(10, 1), signature: filled(signatureLength, 2) });
  assert.deepEqual(verdictOf(candidate(fits), { limits: { verifyRecordBytes: recordBytes } }), accepted);
  assertRejected(
    verdictOf(candidate(fits + 1), { limits: { verifyRecordBytes: recordBytes } }),
    RejectReason.MALFORMED,
    /^signature: with the payload needs a 4097-byte verify record, more than this node's 4096 \(shards\.ringRecordBytes\)$/,
  );
});

test('chain_id must be this network\'s, otherwise WRONG_CHAIN', () => {
  assertRejected(verdictOf(transfer(5, { chainId: testChainId + 1 })), RejectReason.WRONG_CHAIN, new RegExp(`^chain_id: ${testChainId + 1} names another network; this node's chain id is ${testChainId}$`));
  assertRejected(verdictOf(transfer(5, { chainId: 0 })), RejectReason.WRONG_CHAIN, /^chain_id: 0 /);
});

test('a structural defect is reported before a rule violation', () => {
  assertRejected(verdictOf(transfer(5, { kind: 0 as TransactionKind, chainId: 1, from: filled(3, 1) })), RejectReason.MALFORMED, /^kind: /);
  assertRejected(verdictOf(transfer(5, { chainId: 1, from: filled(3, 1) })), RejectReason.MALFORMED, /^from: /);
});
