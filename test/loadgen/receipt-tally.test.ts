import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ReceiptStatus, RejectReason } from '../../src/generated/aurigraph.js';
import { ReceiptTally } from '../../src/loadgen/transactions/receipt-tally.js';

// Two streams; batch id = number × 2 + stream + 1, as the workload plan numbers them.
const coordinatesOf = (batchId: number) => (batchId >= 1 ? { stream: (batchId - 1) % 2, batchNumber: Math.floor((batchId - 1) / 2) } : undefined);
const idOf = (stream: number, batchNumber: number) => batchNumber * 2 + stream + 1;
const noMessage = () => '';

test('a batch is answered once every index has its receipt, in any order, and the audit balances', () => {
  const tally = new ReceiptTally(2, coordinatesOf);
  const answered: string[] = [];
  tally.sent(0, 0, 3, () => answered.push('s0b0'));
  tally.sent(1, 0, 2, () => answered.push('s1b0'));
  tally.receive(0, idOf(0, 0), 2, ReceiptStatus.COMMITTED, 0, noMessage);
  tally.receive(1, idOf(1, 0), 1, ReceiptStatus.COMMITTED, 0, noMessage);
  tally.receive(0, idOf(0, 0), 0, ReceiptStatus.COMMITTED, 0, noMessage);
  assert.deepEqual(answered, []);
  tally.receive(0, idOf(0, 0), 1, ReceiptStatus.REJECTED, RejectReason.NONCE_GAP, () => 'nonce 7 expected 5');
  assert.deepEqual(answered, ['s0b0']);
  assert.equal(tally.batchesWaiting, 1);
  tally.receive(1, idOf(1, 0), 0, ReceiptStatus.FAILED, RejectReason.INSUFFICIENT_FUNDS, () => 'balance 3 < 10');
  assert.deepEqual(answered, ['s0b0', 's1b0']);
  const audit = tally.audit();
  assert.equal(audit.transactionsSent, 5);
  assert.equal(audit.receiptsReceived, 5);
  assert.equal(audit.committed, 3);
  assert.equal(audit.rejected, 1);
  assert.equal(audit.failed, 1);
  assert.equal(audit.missingReceipts, 0);
  assert.deepEqual(audit.outcomesByReason, { 'REJECTED NONCE_GAP': 1, 'FAILED INSUFFICIENT_FUNDS': 1 });
  assert.ok(audit.samples.some((sample) => sample.includes('nonce 7 expected 5')));
});

test('a receipt that never comes is missing; a second one is a duplicate, even after its batch was answered', () => {
  const tally = new ReceiptTally(2, coordinatesOf);
  tally.sent(0, 0, 2);
  tally.sent(0, 1, 2);
  tally.receive(0, idOf(0, 0), 0, ReceiptStatus.COMMITTED, 0, noMessage);
  tally.receive(0, idOf(0, 0), 0, ReceiptStatus.COMMITTED, 0, noMessage);
  tally.receive(0, idOf(0, 0), 1, ReceiptStatus.COMMITTED, 0, noMessage);
  tally.receive(0, idOf(0, 0), 1, ReceiptStatus.COMMITTED, 0, noMessage);
  tally.receive(0, idOf(0, 1), 0, ReceiptStatus.COMMITTED, 0, noMessage);
  const audit = tally.audit();
  assert.equal(audit.duplicateReceipts, 2);
  assert.equal(audit.missingReceipts, 1, 'batch 1 index 1 never answered');
  assert.equal(audit.batchesAnswered, 1);
});

test('receipts for batches never sent, on the wrong stream, or outside the batch are unexpected', () => {
  const tally = new ReceiptTally(2, coordinatesOf);
  tally.sent(0, 0, 1);
  tally.receive(0, idOf(0, 5), 0, ReceiptStatus.COMMITTED, 0, noMessage);
  tally.receive(1, idOf(0, 0), 0, ReceiptStatus.COMMITTED, 0, noMessage);
  tally.receive(0, idOf(0, 0), 4, ReceiptStatus.COMMITTED, 0, noMessage);
  tally.receive(0, 0, 0, ReceiptStatus.COMMITTED, 0, noMessage);
  const audit = tally.audit();
  assert.equal(audit.unexpectedReceipts, 4);
  assert.equal(audit.committed, 0);
  assert.equal(audit.missingReceipts, 1);
});
