import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AurigraphError } from '../../src/errors.js';
import { createRing, RingConsumer, RingProducer } from '../../src/ring/index.js';
import { checkSequenceRecord, checksumSeed, writeSequenceRecord } from '../fixtures/ring/sequence-records.js';

const recordBytes = 24;

function attach(records: number): { producer: RingProducer; consumer: RingConsumer; words: Int32Array } {
  const buffer = createRing({ records, recordBytes });
  return { producer: new RingProducer(buffer), consumer: new RingConsumer(buffer), words: new Int32Array(buffer) };
}

test('reserved slots stay invisible to the consumer until commit publishes them in order', () => {
  const { producer, consumer, words } = attach(8);
  const offsets = [producer.tryReserve(), producer.tryReserve(), producer.tryReserve()];
  offsets.forEach((offset, sequence) => writeSequenceRecord(words, offset, recordBytes, sequence, checksumSeed));
  assert.equal(producer.reservedRecords, 3);
  assert.equal(consumer.available(), 0);
  assert.equal(consumer.peek(0), -1);

  assert.equal(producer.commit(), 3);
  assert.equal(producer.reservedRecords, 0);
  assert.equal(producer.commit(), 0);
  assert.equal(consumer.available(), 3);
  // Zero-copy: the consumer reads the very bytes the producer wrote, at the same offsets.
  assert.deepEqual([consumer.peek(0), consumer.peek(1), consumer.peek(2)], offsets);
  assert.equal(consumer.peek(3), -1);
  offsets.forEach((offset, sequence) => checkSequenceRecord(words, offset, recordBytes, sequence, checksumSeed));
});

test('slot offsets are distinct, 8-byte aligned, inside the buffer, and reused only after release', () => {
  const { producer, consumer } = attach(4);
  const offsets = [0, 1, 2, 3].map(() => producer.tryReserve());
  assert.equal(new Set(offsets).size, 4);
  for (const offset of offsets) {
    assert.equal(offset % 8, 0);
    assert.ok(offset >= 0 && offset + recordBytes <= producer.buffer.byteLength);
  }
  assert.equal(producer.tryReserve(), -1, 'reserved slots count against capacity before commit');
  producer.commit();
  assert.equal(producer.tryReserve(), -1);
  assert.equal(consumer.available(), 4);
  consumer.release(2);
  assert.equal(producer.freeRecords(), 2);
  assert.equal(producer.tryReserve(), offsets[0]);
  assert.equal(producer.tryReserve(), offsets[1]);
  assert.equal(producer.tryReserve(), -1);
});

test('release of more records than were seen is refused and names "count"', () => {
  const { producer, consumer } = attach(8);
  producer.tryReserve();
  producer.tryReserve();
  producer.commit();
  assert.equal(consumer.available(), 2);
  for (const count of [3, 0, -1, 1.5]) {
    assert.throws(() => consumer.release(count), (error: unknown) => (error as AurigraphError).field === 'count');
  }
  consumer.release(2);
  assert.throws(() => consumer.release(1), (error: unknown) => (error as AurigraphError).field === 'count');
  assert.throws(() => consumer.peek(-1), (error: unknown) => (error as AurigraphError).field === 'index');
});

test('tryWrite copies a short record, zero-fills the rest of the slot, and tryRead copies it back', () => {
  const { producer, consumer } = attach(2);
  const into = new Uint8Array(recordBytes).fill(0xee);
  // Leave stale bytes in slot 0 so the zero fill is visible.
  const staleOffset = producer.tryReserve();
  producer.bytes.fill(0xff, staleOffset, staleOffset + recordBytes);
  producer.commit();
  assert.equal(consumer.tryRead(into), true);
  assert.deepEqual(into, new Uint8Array(recordBytes).fill(0xff));

  assert.equal(producer.tryWrite(new Uint8Array([1, 2, 3])), true);
  assert.equal(producer.tryWrite(new Uint8Array(recordBytes).fill(7)), true);
  assert.equal(producer.tryWrite(new Uint8Array([9])), false, 'the ring is full');
  const expectedFirst = new Uint8Array(recordBytes);
  expectedFirst.set([1, 2, 3]);
  assert.equal(consumer.tryRead(into), true);
  assert.deepEqual(into, expectedFirst);
  assert.equal(consumer.tryRead(into), true);
  assert.deepEqual(into, new Uint8Array(recordBytes).fill(7));
  assert.equal(consumer.tryRead(into), false, 'the ring is empty');
});

test('copy helpers refuse wrong sizes and tryWrite refuses to publish pending reservations', () => {
  const { producer, consumer } = attach(4);
  assert.throws(() => producer.tryWrite(new Uint8Array(recordBytes + 1)), (error: unknown) => (error as AurigraphError).field === 'record');
  assert.throws(() => consumer.tryRead(new Uint8Array(recordBytes - 1)), (error: unknown) => (error as AurigraphError).field === 'into');
  producer.tryReserve();
  assert.throws(() => producer.tryWrite(new Uint8Array(1)), (error: unknown) => (error as AurigraphError).kind === 'failed_precondition');
  assert.equal(consumer.available(), 0, 'the refused tryWrite published nothing');
});

test('a side that attaches later picks up the sequence where the ring is', () => {
  const buffer = createRing({ records: 8, recordBytes });
  const firstProducer = new RingProducer(buffer);
  const words = new Int32Array(buffer);
  for (let sequence = 0; sequence < 5; sequence++) {
    writeSequenceRecord(words, firstProducer.tryReserve(), recordBytes, sequence, checksumSeed);
  }
  firstProducer.commit();
  const firstConsumer = new RingConsumer(buffer);
  assert.equal(firstConsumer.available(), 5);
  firstConsumer.release(2);

  const secondProducer = new RingProducer(buffer);
  for (let sequence = 5; sequence < 10; sequence++) {
    writeSequenceRecord(words, secondProducer.tryReserve(), recordBytes, sequence, checksumSeed);
  }
  secondProducer.commit();
  assert.equal(secondProducer.tryReserve(), -1);
  const secondConsumer = new RingConsumer(buffer);
  assert.equal(secondConsumer.available(), 8);
  for (let index = 0; index < 8; index++) {
    checkSequenceRecord(words, secondConsumer.peek(index), recordBytes, index + 2, checksumSeed);
  }
});

test('waiting for space while holding uncommitted reservations is refused', async () => {
  const { producer, consumer } = attach(2);
  producer.tryReserve();
  producer.tryReserve();
  const refused = (error: unknown): boolean => (error as AurigraphError).kind === 'failed_precondition';
  assert.throws(() => producer.waitForSpace(1_000), refused);
  await assert.rejects(producer.waitForSpaceAsync(1_000), refused);
  producer.commit();
  consumer.available();
  consumer.release(1);
  assert.equal(producer.waitForSpace(1_000), 'ok');
  assert.equal(await producer.waitForSpaceAsync(1_000), 'ok');
});
