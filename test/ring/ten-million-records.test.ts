import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runSequencePair } from './sequence-pair.js';

const recordCount = 10_000_000;

test('ten million 16-byte records cross from a producer worker to a consumer worker intact', { timeout: 60_000 }, async () => {
  const { sent, received, stats, byteLengthBefore, byteLengthAfter } = await runSequencePair({
    records: 4096,
    recordBytes: 16,
    recordCount,
    producerBatchRecordsMax: 256,
    consumerBatchRecordsMax: 256,
    producerApi: 'zero-copy',
    consumerApi: 'zero-copy',
    runTimeoutMs: 55_000,
  });
  assert.equal(sent.recordsSent, recordCount);
  assert.equal(received.recordsReceived, recordCount);
  // FNV-1a over every 32-bit word sent and every word received, each record checked in order too.
  assert.equal(received.checksum, sent.checksum);
  assert.equal(stats.recordsWritten, recordCount);
  assert.equal(stats.recordsRead, recordCount);
  assert.equal(stats.recordsQueued, 0);
  assert.equal(byteLengthAfter, byteLengthBefore);
});
