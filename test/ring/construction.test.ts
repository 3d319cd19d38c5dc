import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AurigraphError } from '../../src/errors.js';
import { createRing, readRingLayout, readRingStats, RingConsumer, RingProducer } from '../../src/ring/index.js';

function assertInvalid(action: () => unknown, field: string): void {
  assert.throws(action, (error: unknown) => {
    assert.ok(error instanceof AurigraphError, `expected an AurigraphError, got ${String(error)}`);
    assert.equal(error.kind, 'invalid_argument');
    assert.equal(error.field, field);
    assert.match(error.message, new RegExp(`^${field}: `));
    return true;
  });
}

test('a valid ring has the header, capacity × record size bytes, and zero counters', () => {
  const buffer = createRing({ records: 1024, recordBytes: 32 });
  assert.ok(buffer instanceof SharedArrayBuffer);
  const layout = readRingLayout(buffer);
  assert.equal(layout.capacityRecords, 1024);
  assert.equal(layout.recordBytes, 32);
  assert.equal(layout.recordsOffsetBytes % 64, 0);
  assert.equal(buffer.byteLength, layout.recordsOffsetBytes + 1024 * 32);
  assert.deepEqual(readRingStats(buffer), {
    capacityRecords: 1024,
    recordBytes: 32,
    recordsWritten: 0,
    recordsRead: 0,
    recordsQueued: 0,
    producerFoundFullCount: 0,
    closed: false,
  });
});

test('a ring of one record is allowed and holds one record', () => {
  const buffer = createRing({ records: 1, recordBytes: 8 });
  const producer = new RingProducer(buffer);
  assert.notEqual(producer.tryReserve(), -1);
  assert.equal(producer.tryReserve(), -1);
});

test('record counts that are zero, negative, fractional, not a power of two or too large name "records"', () => {
  for (const records of [0, -8, 3, 12, 1000, 1.5, Number.NaN, 2 ** 25]) {
    assertInvalid(() => createRing({ records, recordBytes: 16 }), 'records');
  }
  assertInvalid(() => createRing({ records: '8' as unknown as number, recordBytes: 16 }), 'records');
});

test('record sizes that are zero, negative, not a multiple of 8 or too large name "recordBytes"', () => {
  for (const recordBytes of [0, -8, 4, 7, 12, 33, 2.5, 65_544]) {
    assertInvalid(() => createRing({ records: 8, recordBytes }), 'recordBytes');
  }
});

test('a ring larger than the total size limit names "records"', () => {
  assertInvalid(() => createRing({ records: 2 ** 24, recordBytes: 128 }), 'records');
});

test('attaching to something that is not a ring names "buffer"', () => {
  const notShared = new ArrayBuffer(4096) as unknown as SharedArrayBuffer;
  const zeroed = new SharedArrayBuffer(4096);
  const tooSmall = new SharedArrayBuffer(16);
  const ring = createRing({ records: 8, recordBytes: 16 });
  const truncated = new SharedArrayBuffer(ring.byteLength - 16);
  new Uint8Array(truncated).set(new Uint8Array(ring, 0, truncated.byteLength));
  for (const buffer of [notShared, zeroed, tooSmall, truncated]) {
    assertInvalid(() => new RingProducer(buffer), 'buffer');
    assertInvalid(() => new RingConsumer(buffer), 'buffer');
    assertInvalid(() => readRingStats(buffer), 'buffer');
  }
});

test('unbounded or negative wait timeouts name "timeoutMs"', async () => {
  const buffer = createRing({ records: 8, recordBytes: 16 });
  const producer = new RingProducer(buffer);
  const consumer = new RingConsumer(buffer);
  for (const timeoutMs of [Number.POSITIVE_INFINITY, -1, Number.NaN, 2 ** 31]) {
    assertInvalid(() => producer.waitForSpace(timeoutMs), 'timeoutMs');
    assertInvalid(() => consumer.waitForData(timeoutMs), 'timeoutMs');
    await assert.rejects(producer.waitForSpaceAsync(timeoutMs), (error: unknown) => (error as AurigraphError).field === 'timeoutMs');
    await assert.rejects(consumer.waitForDataAsync(timeoutMs), (error: unknown) => (error as AurigraphError).field === 'timeoutMs');
  }
});
