import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AurigraphError } from '../../src/errors.js';
import { createRing, readRingStats, RingConsumer, RingProducer } from '../../src/ring/index.js';
import { ringHeaderBytes, ringWord } from '../../src/ring/layout.js';
import { checkSequenceRecord, checksumSeed, recordWords, writeSequenceRecord } from '../fixtures/ring/sequence-records.js';
import type { CommandedRingWorkerData } from '../fixtures/ring/commanded-ring-worker.js';
import { command, startFixture, terminateAll, waitUntil } from './worker-harness.js';

const recordBytes = 16;
const replyTimeoutMs = 10_000;

test('after close the consumer drains every committed record, then sees closed', { timeout: 30_000 }, async () => {
  const buffer = createRing({ records: 32, recordBytes });
  const producerData: CommandedRingWorkerData = { buffer, role: 'producer' };
  const producer = startFixture('commanded-ring-worker', producerData);
  try {
    const written = await command(producer, { type: 'write', firstSequence: 0, count: 20, timeoutMs: replyTimeoutMs }, 'written', replyTimeoutMs);
    assert.equal(written.count, 20);
    await command(producer, { type: 'close' }, 'closed', replyTimeoutMs);

    const consumer = new RingConsumer(buffer);
    const words = new Int32Array(buffer);
    assert.equal(consumer.isClosed(), true);
    assert.equal(consumer.isClosedAndEmpty(), false, 'records are still queued');
    assert.equal(consumer.waitForData(0), 'ok');
    assert.equal(consumer.available(), 20);
    for (let index = 0; index < 20; index++) {
      checkSequenceRecord(words, consumer.peek(index), recordBytes, index, checksumSeed);
    }
    consumer.release(20);
    assert.equal(consumer.isClosedAndEmpty(), true);
    assert.equal(consumer.waitForData(replyTimeoutMs), 'closed');
    assert.equal(await consumer.waitForDataAsync(replyTimeoutMs), 'closed');
    assert.equal(readRingStats(buffer).closed, true);
  } finally {
    await terminateAll([producer]);
  }
});

test('close wakes a consumer worker blocked waiting for data', { timeout: 30_000 }, async () => {
  const buffer = createRing({ records: 8, recordBytes });
  const consumerData: CommandedRingWorkerData = { buffer, role: 'consumer' };
  const consumer = startFixture('commanded-ring-worker', consumerData);
  try {
    const producer = new RingProducer(buffer);
    // A wait far longer than the test's own timeout: only a wake-up can make the reply arrive in time.
    const waiting = command(consumer, { type: 'wait-data', timeoutMs: 600_000 }, 'waited', 20_000);
    const header = new Int32Array(buffer, 0, ringHeaderBytes / 4);
    await waitUntil(() => Atomics.load(header, ringWord.consumerWaiters) === 1, 'the consumer waiting', replyTimeoutMs);
    producer.close();
    assert.equal((await waiting).outcome, 'closed');
  } finally {
    await terminateAll([consumer]);
  }
});

test('close abandons reserved but uncommitted slots and refuses further writes', { timeout: 30_000 }, async () => {
  const buffer = createRing({ records: 8, recordBytes });
  const words = new Int32Array(buffer);
  const producer = new RingProducer(buffer);
  writeSequenceRecord(words, producer.tryReserve(), recordBytes, 0, checksumSeed);
  writeSequenceRecord(words, producer.tryReserve(), recordBytes, 1, checksumSeed);
  producer.commit();
  writeSequenceRecord(words, producer.tryReserve(), recordBytes, 2, checksumSeed);
  producer.close();
  producer.close();
  assert.equal(producer.isClosed, true);
  assert.throws(() => producer.tryReserve(), (error: unknown) => (error as AurigraphError).kind === 'failed_precondition');
  assert.throws(() => producer.tryWrite(new Uint8Array(1)), (error: unknown) => (error as AurigraphError).kind === 'failed_precondition');
  assert.throws(() => new RingProducer(buffer).tryReserve(), /closed/, 'a producer attached later sees the ring closed');

  const consumerData: CommandedRingWorkerData = { buffer, role: 'consumer' };
  const consumer = startFixture('commanded-ring-worker', consumerData);
  try {
    const drained = await command(consumer, { type: 'drain-until-closed', timeoutMs: replyTimeoutMs }, 'records', replyTimeoutMs);
    assert.equal(drained.outcome, 'closed');
    assert.deepEqual(drained.records, [recordWords(0, recordBytes), recordWords(1, recordBytes)]);
    assert.equal(readRingStats(buffer).recordsWritten, 2);
  } finally {
    await terminateAll([consumer]);
  }
});
