import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ReceiptBatch, ReceiptStatus, RejectReason } from '../../src/generated/aurigraph.js';
import { readReceiptBatch } from '../../src/loadgen/transactions/receipt-reader.js';
import { encodeReceiptBatch } from '../../src/wire/index.js';

test('reads batch id, index, status, reason and message of every receipt the node encodes', () => {
  const count = 5;
  const statuses = Uint8Array.from([ReceiptStatus.COMMITTED, ReceiptStatus.REJECTED, ReceiptStatus.COMMITTED, ReceiptStatus.FAILED, ReceiptStatus.COMMITTED]);
  const rejectReasons = Uint8Array.from([0, RejectReason.INVALID_SIGNATURE, 0, RejectReason.INSUFFICIENT_FUNDS, 0]);
  const batchId = 2n ** 40n + 77n;
  const bytes = encodeReceiptBatch({
    batchId,
    count,
    statuses,
    rejectReasons,
    rejectMessages: [undefined, 'signature does not verify', undefined, 'balance too low', undefined],
    txHashes: new Uint8Array(count * 32).fill(7),
    blockHeight: 12n,
    stateRoot: new Uint8Array(32).fill(1),
  });
  const seen: Array<[number, number, number, number, string]> = [];
  const visited = readReceiptBatch(bytes, { receipt: (id, index, status, reason, message) => seen.push([id, index, status, reason, message()]) });
  assert.equal(visited, count);
  const decoded = ReceiptBatch.decode(bytes);
  assert.deepEqual(
    seen,
    decoded.receipts.map((receipt) => [Number(receipt.batchId), receipt.index, receipt.status, receipt.rejectReason, receipt.rejectMessage]),
  );
  assert.equal(seen[0]![0], Number(batchId));
});

test('malformed bytes are an error, not a silent miscount', () => {
  assert.throws(() => readReceiptBatch(Uint8Array.from([0x12, 0x05, 0x09]), { receipt: () => undefined }), /malformed/);
});
