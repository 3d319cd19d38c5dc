import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRing, readRingStats, RingProducer } from '../../src/ring/index.js';
import { checksumSeed, recordWords, writeSequenceRecord } from '../fixtures/ring/sequence-records.js';
import type { CommandedRingWorkerData } from '../fixtures/ring/commanded-ring-worker.js';
import { ringHeaderBytes, ringWord } from '../../src/ring/layout.js';
import { command, startFixture, terminateAll, waitUntil } from './worker-harness.js';

const records = 8;
const recordBytes = 16;
const replyTimeoutMs = 10_000;

test('a full ring refuses more, does not grow, times out the wait, and resumes after one release', { timeout: 30_000 }, async () => {
  const buffer = createRing({ records, recordBytes });
  const byteLength = buffer.byteLength;
  const words = new Int32Array(buffer);
  const producer = new RingProducer(buffer);
  const consumerData: CommandedRingWorkerData = { buffer, role: 'consumer' };
  const consumer = startFixture('commanded-ring-worker', consumerData);
  try {
    // The consumer is attached and idle: it reads nothing until told.
    const idle = await command(consumer, { type: 'read', count: 0 }, 'records', replyTimeoutMs);
    assert.deepEqual(idle.records, []);

    for (let sequence = 0; sequence < records; sequence++) {
      const offset = producer.tryReserve();
      assert.notEqual(offset, -1, `slot for sequence ${sequence}`);
      writeSequenceRecord(words, offset, recordBytes, sequence, checksumSeed);
    }
    producer.commit();
    assert.equal(producer.tryReserve(), -1, 'a full ring reports full');
    assert.equal(producer.tryReserve(), -1, 'and keeps reporting full');
    assert.equal(producer.freeRecords(), 0);
    assert.equal(buffer.byteLength, byteLength, 'the ring never grows');
    assert.equal(producer.waitForSpace(20), 'timed-out', 'the wait is bounded');
    const fullStats = readRingStats(buffer);
    assert.equal(fullStats.recordsQueued, records);
    assert.equal(fullStats.producerFoundFullCount, 2);

    // One release frees one slot; the blocked producer wakes for it.
    const firstRead = command(consumer, { type: 'read', count: 1 }, 'records', replyTimeoutMs);
    assert.equal(producer.waitForSpace(replyTimeoutMs), 'ok');
    assert.deepEqual((await firstRead).records, [recordWords(0, recordBytes)]);
    assert.equal(producer.freeRecords(), 1);

    const offset = producer.tryReserve();
    assert.notEqual(offset, -1);
    writeSequenceRecord(words, offset, recordBytes, records, checksumSeed);
    producer.commit();
    assert.equal(producer.tryReserve(), -1, 'full again after reusing the freed slot');

    // Nothing queued was overwritten: the rest arrive intact and in order.
    const rest = await command(consumer, { type: 'read', count: records + 1 }, 'records', replyTimeoutMs);
    const expected = Array.from({ length: records }, (_, index) => recordWords(index + 1, recordBytes));
    assert.deepEqual(rest.records, expected);
    assert.equal(buffer.byteLength, byteLength);
    const finalStats = readRingStats(buffer);
    assert.equal(finalStats.recordsWritten, records + 1);
    assert.equal(finalStats.recordsRead, records + 1);
    assert.equal(finalStats.producerFoundFullCount, 3);
  } finally {
    await terminateAll([consumer]);
  }
});

test('a producer worker blocked on a full ring resumes when the consumer drains', { timeout: 30_000 }, async () => {
  const buffer = createRing({ records, recordBytes });
  const producerData: CommandedRingWorkerData = { buffer, role: 'producer' };
  const consumerData: CommandedRingWorkerData = { buffer, role: 'consumer' };
  const producer = startFixture('commanded-ring-worker', producerData);
  const consumer = startFixture('commanded-ring-worker', consumerData);
  try {
    // Twice the capacity: the producer must block on the full ring at least once.
    const writing = command(producer, { type: 'write', firstSequence: 0, count: 2 * records, timeoutMs: replyTimeoutMs }, 'written', 2 * replyTimeoutMs);
    const header = new Int32Array(buffer, 0, ringHeaderBytes / 4);
    await waitUntil(
      () => Atomics.load(header, ringWord.producerWaiters) === 1,
      'the producer blocking on the full ring',
      replyTimeoutMs,
    );
    assert.equal(readRingStats(buffer).recordsQueued, records);
    assert.equal(readRingStats(buffer).producerFoundFullCount, 1);

    const received: number[][] = [];
    const readsMax = 10 * records;
    for (let reads = 0; received.length < 2 * records; reads++) {
      assert.ok(reads < readsMax, `all records within ${readsMax} reads`);
      const batch = await command(consumer, { type: 'read', count: 3 }, 'records', replyTimeoutMs);
      received.push(...batch.records);
      if (batch.records.length > 0) continue;
      const waited = await command(consumer, { type: 'wait-data', timeoutMs: replyTimeoutMs }, 'waited', 2 * replyTimeoutMs);
      assert.equal(waited.outcome, 'ok', 'the producer keeps writing once space frees up');
    }
    const written = await writing;
    assert.equal(written.outcome, 'ok');
    assert.equal(written.count, 2 * records);
    assert.deepEqual(received, Array.from({ length: 2 * records }, (_, index) => recordWords(index, recordBytes)));
  } finally {
    await terminateAll([producer, consumer]);
  }
});
