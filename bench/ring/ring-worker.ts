/**
 * Benchmark worker: one side of a ring. The producer writes `recordCount` records (word 0 is the
 * sequence number) in batches of `batchRecordsMax`; the consumer reads them in batches of the
 * same size and checks word 0, so the benchmark cannot report a ring that loses records.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { RingConsumer, RingProducer } from '../../src/ring/index.js';

export interface RingWorkerData {
  role: 'producer' | 'consumer';
  buffer: SharedArrayBuffer;
  recordCount: number;
  batchRecordsMax: number;
}

export interface RingWorkerDone {
  type: 'done';
  role: 'producer' | 'consumer';
  records: number;
  elapsedMs: number;
}

const waitTimeoutMs = 1_000;
const stalledWaitsMax = 30;

const data = workerData as RingWorkerData;
const words = new Int32Array(data.buffer);

function produce(): void {
  const producer = new RingProducer(data.buffer);
  const wordsPerRecord = producer.recordBytes >> 2;
  let sequence = 0;
  let stalledWaits = 0;
  while (sequence < data.recordCount) {
    let written = 0;
    while (written < data.batchRecordsMax && sequence < data.recordCount) {
      const offset = producer.tryReserve();
      if (offset === -1) break;
      const base = offset >> 2;
      words[base] = sequence;
      for (let word = 1; word < wordsPerRecord; word++) words[base + word] = word;
      sequence++;
      written++;
    }
    producer.commit();
    if (written > 0) {
      stalledWaits = 0;
    } else if (producer.waitForSpace(waitTimeoutMs) === 'timed-out' && ++stalledWaits > stalledWaitsMax) {
      throw new Error(`benchmark producer stalled at record ${sequence}`);
    }
  }
  producer.close();
}

function consume(): void {
  const consumer = new RingConsumer(data.buffer);
  let sequence = 0;
  let stalledWaits = 0;
  for (;;) {
    const count = Math.min(consumer.available(), data.batchRecordsMax);
    for (let index = 0; index < count; index++) {
      const value = words[consumer.peek(index) >> 2];
      if (value !== (sequence | 0)) throw new Error(`benchmark consumer expected record ${sequence}, read ${value}`);
      sequence++;
    }
    if (count > 0) {
      consumer.release(count);
      stalledWaits = 0;
      continue;
    }
    const outcome = consumer.waitForData(waitTimeoutMs);
    if (outcome === 'closed') break;
    if (outcome === 'timed-out' && ++stalledWaits > stalledWaitsMax) throw new Error(`benchmark consumer stalled at record ${sequence}`);
  }
  if (sequence !== data.recordCount) throw new Error(`benchmark consumer read ${sequence} of ${data.recordCount} records`);
}

const startedMs = performance.now();
if (data.role === 'producer') produce();
else consume();
const done: RingWorkerDone = { type: 'done', role: data.role, records: data.recordCount, elapsedMs: performance.now() - startedMs };
parentPort?.postMessage(done);
