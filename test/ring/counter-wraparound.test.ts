import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadCounter, storeCounter, type CounterWords } from '../../src/ring/counter.js';
import { ringHeaderBytes, ringWord } from '../../src/ring/layout.js';
import { runSequencePair } from './sequence-pair.js';

const twoPow32 = 2 ** 32;

test('records keep order and counts stay exact as head and tail wrap past 2^32', { timeout: 60_000 }, async () => {
  // Start both 32-bit sequence words just below the wrap, as a ring would be after ~4.3 billion records.
  const startSequence = twoPow32 - 1_000;
  const recordCount = 20_000;
  const { sent, received, stats } = await runSequencePair({
    records: 32,
    recordBytes: 16,
    recordCount,
    firstSequence: startSequence,
    producerBatchRecordsMax: 5,
    consumerBatchRecordsMax: 3,
    producerApi: 'zero-copy',
    consumerApi: 'zero-copy',
    runTimeoutMs: 50_000,
    prepareRing: (buffer) => {
      const words = new Int32Array(buffer, 0, ringHeaderBytes / 4);
      Atomics.store(words, ringWord.head, startSequence);
      Atomics.store(words, ringWord.tail, startSequence);
    },
  });
  assert.equal(sent.recordsSent, recordCount);
  assert.equal(received.recordsReceived, recordCount);
  assert.equal(received.checksum, sent.checksum);
  assert.equal(stats.recordsWritten, startSequence + recordCount);
  assert.equal(stats.recordsRead, startSequence + recordCount);
  assert.equal(stats.recordsQueued, 0);
});

test('a counter read while its wrap is half published resolves to a value it really had', () => {
  const at: CounterWords = { low: 0, epochBefore: 1, epochAfter: 2 };
  const words = new Int32Array(4);
  storeCounter(words, at, 0, 1_000);
  assert.equal(loadCounter(words, at), 1_000);
  // Jump close to the wrap the way a long-lived ring gets there, one low-word step at a time.
  for (let total = 1_000; total < twoPow32 - 3; ) {
    const next = Math.min(total + 2 ** 30, twoPow32 - 3);
    storeCounter(words, at, total, next);
    total = next;
  }
  assert.equal(loadCounter(words, at), twoPow32 - 3);

  // The writer stored epochBefore = 1 and is about to store the wrapped low word.
  Atomics.store(words, at.epochBefore, 1);
  assert.equal(loadCounter(words, at), twoPow32 - 3, 'low word not yet wrapped belongs to epoch 0');
  // The writer stored the wrapped low word but not yet epochAfter.
  Atomics.store(words, at.low, 5);
  assert.equal(loadCounter(words, at), twoPow32 + 5, 'wrapped low word belongs to epoch 1');
  Atomics.store(words, at.epochAfter, 1);
  assert.equal(loadCounter(words, at), twoPow32 + 5);

  // A full writer wrap, through the API, lands both epochs on 2.
  Atomics.store(words, at.low, -2);
  assert.equal(loadCounter(words, at), 2 * twoPow32 - 2);
  storeCounter(words, at, 2 * twoPow32 - 2, 2 * twoPow32 + 7);
  assert.equal(Atomics.load(words, at.epochBefore), 2);
  assert.equal(Atomics.load(words, at.epochAfter), 2);
  assert.equal(loadCounter(words, at), 2 * twoPow32 + 7);
});

test('a counter refuses a step of 2^31 or more, which readers could not place across a wrap', () => {
  const at: CounterWords = { low: 0, epochBefore: 1, epochAfter: 2 };
  const words = new Int32Array(4);
  assert.throws(() => storeCounter(words, at, 0, 2 ** 31), /assertion failed/);
  assert.throws(() => storeCounter(words, at, 5, 5 + twoPow32), /assertion failed/);
  assert.equal(loadCounter(words, at), 0, 'a refused step publishes nothing');
});
