/**
 * Batch-level outcomes: the configured count and size bounds (RESOURCE_EXHAUSTED, naming the
 * bound), an empty batch, the batch-signature fields, and the limits themselves.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { status as GrpcStatus } from '@grpc/grpc-js';
import { KeyAlgorithm, TxBatch } from '../../src/generated/aurigraph.js';
import { toServiceError } from '../../src/server/status.js';
import { BatchBoundError, TxBatchReader } from '../../src/wire/index.js';
import { batchOf, batchSignedFields, expectAurigraphError, filled, testLimits, transfer } from './wire-fixtures.js';

function batchOfCount(count: number): Uint8Array {
  return TxBatch.encode(batchOf(Array.from({ length: count }, (_, index) => transfer(index))));
}

test('more transactions than batching.maxBatchTransactions is RESOURCE_EXHAUSTED naming the bound and the count', () => {
  const reader = new TxBatchReader(testLimits({ maxBatchTransactions: 8 }));
  reader.open(batchOfCount(8));
  assert.equal(reader.transactionCount, 8);
  const error = expectAurigraphError(() => reader.open(batchOfCount(11)), 'resource_exhausted', 'transactions');
  assert.ok(error instanceof BatchBoundError);
  assert.equal(error.bound, 'batching.maxBatchTransactions');
  assert.equal(error.limit, 8);
  assert.equal(error.actual, 11);
  assert.match(error.message, /11 transactions exceed this node's limit of 8 per batch \(batching\.maxBatchTransactions\)/);
  assert.equal(toServiceError(error).code, GrpcStatus.RESOURCE_EXHAUSTED);
});

test('a batch larger than batching.maxBatchBytes is RESOURCE_EXHAUSTED before any byte is read', () => {
  const bytes = batchOfCount(4);
  const reader = new TxBatchReader(testLimits({ maxBatchBytes: bytes.length }));
  reader.open(bytes);
  const tooSmall = new TxBatchReader(testLimits({ maxBatchBytes: bytes.length - 1 }));
  const error = expectAurigraphError(() => tooSmall.open(bytes), 'resource_exhausted', 'batch');
  assert.ok(error instanceof BatchBoundError);
  assert.equal(error.bound, 'batching.maxBatchBytes');
  assert.match(error.message, new RegExp(`${bytes.length} bytes exceed this node's limit of ${bytes.length - 1} \\(batching\\.maxBatchBytes\\)`));
  // The size check comes first: even garbage of that size is refused for its size.
  expectAurigraphError(() => tooSmall.open(new Uint8Array(bytes.length).fill(0xff)), 'resource_exhausted', 'batch');
});

test('a batch without transactions is an invalid argument', () => {
  const reader = new TxBatchReader(testLimits());
  expectAurigraphError(() => reader.open(new Uint8Array(0)), 'invalid_argument', 'transactions');
  expectAurigraphError(() => reader.open(TxBatch.encode(batchOf([], { batchId: 3n }))), 'invalid_argument', 'transactions');
});

test('a batch signature needs a 32-byte submitter_key_id and an ML-DSA submitter_algorithm', () => {
  const reader = new TxBatchReader(testLimits());
  const unsigned = [transfer(1, { signature: new Uint8Array(0) })];
  reader.open(TxBatch.encode(batchOf(unsigned, batchSignedFields())));
  assert.equal(reader.hasBatchSignature, true);
  for (const algorithm of [KeyAlgorithm.ML_DSA_44, KeyAlgorithm.ML_DSA_87]) {
    reader.open(TxBatch.encode(batchOf(unsigned, { ...batchSignedFields(), submitterAlgorithm: algorithm })));
  }
  expectAurigraphError(() => reader.open(TxBatch.encode(batchOf(unsigned, { ...batchSignedFields(), submitterKeyId: filled(31, 1) }))), 'invalid_argument', 'submitter_key_id');
  expectAurigraphError(() => reader.open(TxBatch.encode(batchOf(unsigned, { ...batchSignedFields(), submitterKeyId: new Uint8Array(0) }))), 'invalid_argument', 'submitter_key_id');
  for (const algorithm of [KeyAlgorithm.KEY_ALGORITHM_UNSPECIFIED, KeyAlgorithm.ML_KEM_768, 99 as KeyAlgorithm]) {
    expectAurigraphError(
      () => reader.open(TxBatch.encode(batchOf(unsigned, { ...batchSignedFields(), submitterAlgorithm: algorithm }))),
      'invalid_argument',
      'submitter_algorithm',
    );
  }
});

test('a submitter_key_id without a batch signature is an invalid argument', () => {
  const reader = new TxBatchReader(testLimits());
  expectAurigraphError(() => reader.open(TxBatch.encode(batchOf([transfer(1)], { submitterKeyId: filled(32, 1) }))), 'invalid_argument', 'submitter_key_id');
});

test('the limits are checked when the reader is made, naming the configuration field', () => {
  expectAurigraphError(() => new TxBatchReader(testLimits({ maxBatchTransactions: 0 })), 'invalid_argument', 'batching.maxBatchTransactions');
  expectAurigraphError(() => new TxBatchReader(testLimits({ maxBatchBytes: 1.5 })), 'invalid_argument', 'batching.maxBatchBytes');
  expectAurigraphError(() => new TxBatchReader(testLimits({ payloadBytesMax: 65_536 })), 'invalid_argument', 'payloadBytesMax');
  expectAurigraphError(() => new TxBatchReader(testLimits({ verifyRecordBytes: 4100 })), 'invalid_argument', 'shards.ringRecordBytes');
  expectAurigraphError(() => new TxBatchReader(testLimits({ verifyRecordBytes: 128 })), 'invalid_argument', 'shards.ringRecordBytes');
  expectAurigraphError(() => new TxBatchReader(testLimits({ chainId: -1 })), 'invalid_argument', 'chainId');
  expectAurigraphError(() => new TxBatchReader(testLimits()).open('batch' as unknown as Uint8Array), 'invalid_argument', 'batch');
});
