import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRing, RingConsumer, RingProducer } from '../../src/ring/index.js';
import { ringHeaderBytes, ringWord } from '../../src/ring/layout.js';
import { checkSequenceRecord, checksumSeed, recordWords, writeSequenceRecord } from '../fixtures/ring/sequence-records.js';
import type { CommandedRingWorkerData } from '../fixtures/ring/commanded-ring-worker.js';
import { command, startFixture, terminateAll } from './worker-harness.js';

const records = 4;
const recordBytes = 16;
const replyTimeoutMs = 10_000;

// In these tests the worker on the other side acts only when a timer callback on this thread
// tells it to. Had the async wait blocked the event loop, that callback could not run and the
// wait would end 'timed-out' instead of 'ok'.

test('waitForSpaceAsync leaves the event loop running and wakes when a consumer worker releases', { timeout: 30_000 }, async () => {
  const buffer = createRing({ records, recordBytes });
  const header = new Int32Array(buffer, 0, ringHeaderBytes / 4);
  const words = new Int32Array(buffer);
  const producer = new RingProducer(buffer);
  const consumerData: CommandedRingWorkerData = { buffer, role: 'consumer' };
  const consumer = startFixture('commanded-ring-worker', consumerData);
  try {
    for (let sequence = 0; sequence < records; sequence++) {
      writeSequenceRecord(words, producer.tryReserve(), recordBytes, sequence, checksumSeed);
    }
    producer.commit();
    assert.equal(producer.tryReserve(), -1);

    let readOne: ReturnType<typeof command<'records'>> | undefined;
    let waitersSeenByTimer = -1;
    const waiting = producer.waitForSpaceAsync(replyTimeoutMs);
    setTimeout(() => {
      waitersSeenByTimer = Atomics.load(header, ringWord.producerWaiters);
      readOne = command(consumer, { type: 'read', count: 1 }, 'records', replyTimeoutMs);
    }, 0);
    assert.equal(await waiting, 'ok');
    assert.equal(waitersSeenByTimer, 1, 'the timer ran while the producer was waiting');
    assert.ok(readOne !== undefined);
    assert.deepEqual((await readOne).records, [recordWords(0, recordBytes)]);
    assert.equal(Atomics.load(header, ringWord.producerWaiters), 0);
    assert.notEqual(producer.tryReserve(), -1);
  } finally {
    await terminateAll([consumer]);
  }
});

test('waitForSpaceAsync on a ring nobody drains resolves timed-out while timers keep running', { timeout: 30_000 }, async () => {
  const buffer = createRing({ records, recordBytes });
  const producer = new RingProducer(buffer);
  while (producer.tryReserve() !== -1);
  producer.commit();
  let timerRuns = 0;
  const ticker = setInterval(() => timerRuns++, 1);
  try {
    assert.equal(await producer.waitForSpaceAsync(50), 'timed-out');
  } finally {
    clearInterval(ticker);
  }
  assert.ok(timerRuns > 0, 'the event loop ran timers during the wait');
});

test('waitForDataAsync leaves the event loop running and wakes when a producer worker commits', { timeout: 30_000 }, async () => {
  const buffer = createRing({ records, recordBytes });
  const header = new Int32Array(buffer, 0, ringHeaderBytes / 4);
  const words = new Int32Array(buffer);
  const consumer = new RingConsumer(buffer);
  const producerData: CommandedRingWorkerData = { buffer, role: 'producer' };
  const producer = startFixture('commanded-ring-worker', producerData);
  try {
    let writeThree: ReturnType<typeof command<'written'>> | undefined;
    let waitersSeenByTimer = -1;
    const waiting = consumer.waitForDataAsync(replyTimeoutMs);
    setTimeout(() => {
      waitersSeenByTimer = Atomics.load(header, ringWord.consumerWaiters);
      writeThree = command(producer, { type: 'write', firstSequence: 0, count: 3, timeoutMs: replyTimeoutMs }, 'written', replyTimeoutMs);
    }, 0);
    assert.equal(await waiting, 'ok');
    assert.equal(waitersSeenByTimer, 1, 'the timer ran while the consumer was waiting');
    assert.ok(writeThree !== undefined);
    assert.equal((await writeThree).count, 3);
    assert.equal(consumer.available(), 3, 'one commit published all three');
    for (let index = 0; index < 3; index++) checkSequenceRecord(words, consumer.peek(index), recordBytes, index, checksumSeed);
    consumer.release(3);

    assert.equal(await consumer.waitForDataAsync(30), 'timed-out', 'nothing more was written');
    let closeReply: Promise<unknown> | undefined;
    const closing = consumer.waitForDataAsync(replyTimeoutMs);
    setTimeout(() => {
      closeReply = command(producer, { type: 'close' }, 'closed', replyTimeoutMs);
    }, 0);
    assert.equal(await closing, 'closed');
    await closeReply;
  } finally {
    await terminateAll([producer]);
  }
});
