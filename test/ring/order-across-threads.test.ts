import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runSequencePair, type SequencePairOptions } from './sequence-pair.js';

// Each consumer worker checks every record against the next expected sequence number and fails
// at the first lost, duplicated, reordered or overwritten one; these runs then compare counts,
// checksums and the ring's own counters. Small rings force thousands of full/empty hand-offs.
async function assertLosslessInOrder(options: SequencePairOptions): Promise<void> {
  const { sent, received, stats } = await runSequencePair(options);
  assert.equal(sent.recordsSent, options.recordCount);
  assert.equal(received.recordsReceived, options.recordCount);
  assert.equal(received.checksum, sent.checksum);
  assert.equal(stats.recordsWritten, options.recordCount);
  assert.equal(stats.recordsRead, options.recordCount);
  assert.equal(stats.recordsQueued, 0);
  assert.equal(stats.closed, true);
}

test('one record per commit and per release, through a 16-record ring', { timeout: 60_000 }, async () => {
  await assertLosslessInOrder({
    records: 16,
    recordBytes: 24,
    recordCount: 200_000,
    producerBatchRecordsMax: 1,
    consumerBatchRecordsMax: 1,
    producerApi: 'zero-copy',
    consumerApi: 'zero-copy',
    runTimeoutMs: 50_000,
  });
});

test('uneven batches on both sides, through a 64-record ring', { timeout: 60_000 }, async () => {
  await assertLosslessInOrder({
    records: 64,
    recordBytes: 32,
    recordCount: 300_000,
    producerBatchRecordsMax: 13,
    consumerBatchRecordsMax: 7,
    producerApi: 'zero-copy',
    consumerApi: 'zero-copy',
    runTimeoutMs: 50_000,
  });
});

test('copying tryWrite and tryRead, through an 8-record ring of 64-byte records', { timeout: 60_000 }, async () => {
  await assertLosslessInOrder({
    records: 8,
    recordBytes: 64,
    recordCount: 50_000,
    producerBatchRecordsMax: 1,
    consumerBatchRecordsMax: 1,
    producerApi: 'copy',
    consumerApi: 'copy',
    runTimeoutMs: 50_000,
  });
});
