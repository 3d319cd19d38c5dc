/** Verified transactions as a shard worker holds them: verify records plus their hashes. */
import assert from 'node:assert/strict';
import { transactionHash } from '../../src/crypto/index.js';
import { TxBatch, type Transaction } from '../../src/generated/aurigraph.js';
import { TransactionCursor, TxBatchReader, VerifyRecordView, writeVerifyRecord } from '../../src/wire/index.js';
import { batchOf, randomValidTransaction, seededRandom, testLimits } from './wire-fixtures.js';

export const recordBytes = 4096;

export interface VerifiedBatch {
  transactions: Transaction[];
  /** One record slot per transaction, in batch order. */
  records: Uint8Array;
  view: VerifyRecordView;
  hashes: Uint8Array[];
}

export function verifiedBatch(seed: number, count: number): VerifiedBatch {
  const random = seededRandom(seed);
  const transactions = Array.from({ length: count }, () => randomValidTransaction(random, { batchSigned: false, payloadBytesMax: 900 }));
  const bytes = TxBatch.encode(batchOf(transactions));
  const reader = new TxBatchReader(testLimits({ verifyRecordBytes: recordBytes, maxBatchTransactions: 1024 }));
  const cursor = new TransactionCursor();
  reader.open(bytes);
  const records = new Uint8Array(recordBytes * count);
  const view = new VerifyRecordView(records, recordBytes);
  const hashes: Uint8Array[] = [];
  for (let index = 0; index < count; index++) {
    assert.equal(reader.readTransaction(index, cursor), true, cursor.rejectMessage);
    assert.equal(writeVerifyRecord(cursor, bytes, records, index * recordBytes, recordBytes, 1, index), true);
    hashes.push(transactionHash(view.moveTo(index * recordBytes).signingBytes()));
  }
  return { transactions, records, view, hashes };
}
