/**
 * Histograms recorded in separate worker threads travel as HdrHistogram's compressed base64 and
 * are decoded and summed on the main thread; the sum must be exactly the union of the values.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import { createLatencyHistogram, decodeHistogram, encodeHistogram, sumEncodedHistograms } from '../../src/loadgen/latency-histogram.js';
import type { EncodedInterval } from '../../src/loadgen/run-result.js';
import { IntervalMerger, runLoadInWorkers } from '../../src/loadgen/worker-load.js';
import { startEchoServer } from '../fixtures/report/http2-echo-server.js';

interface KnownValuesReply {
  intervals: EncodedInterval[];
  correctedBase64: string;
  uncorrectedBase64: string;
}

const MS = 1_000_000;
const PERCENTILES = [0, 25, 50, 75, 90, 99, 99.9, 100];

async function recordInWorker(samples: Array<readonly [number, number]>, endOffsetMs: number): Promise<KnownValuesReply> {
  const worker = new Worker(new URL('../fixtures/report/known-values-worker.js', import.meta.url), {
    workerData: {
      startNs: '1000000000000',
      intervalMs: 1000,
      samples: samples.map(([valueUs, offsetMs]) => [valueUs, String(offsetMs * MS)]),
      endOffsetNs: String(endOffsetMs * MS),
    },
  });
  try {
    const [reply] = (await once(worker, 'message')) as [KnownValuesReply];
    return reply;
  } finally {
    await worker.terminate();
  }
}

test('two workers record known values; the merged histograms equal the union', async () => {
  // Worker A: 1..1000 µs spread over 0..1.999 s; worker B: 10 ms steps over 0..2.5 s.
  const samplesA = Array.from({ length: 1000 }, (_, position) => [position + 1, position * 2] as const);
  const samplesB = Array.from({ length: 250 }, (_, position) => [(position + 1) * 10_000, position * 10] as const);
  const [replyA, replyB] = await Promise.all([recordInWorker(samplesA, 2000), recordInWorker(samplesB, 2500)]);

  const union = createLatencyHistogram();
  for (const [valueUs] of [...samplesA, ...samplesB]) union.recordValue(valueUs);
  const merged = sumEncodedHistograms([replyA.correctedBase64, replyB.correctedBase64], 'workers');
  assert.equal(merged.totalCount, 1250);
  for (const percentile of PERCENTILES) {
    assert.equal(merged.getValueAtPercentile(percentile), union.getValueAtPercentile(percentile), `P${percentile}`);
  }
  assert.equal(merged.mean, union.mean);

  // Interval by interval: index k of both workers covers the same second, and the merged
  // intervals add up to the merged total.
  const emitted: EncodedInterval[] = [];
  const merger = new IntervalMerger(2, (interval) => emitted.push(interval));
  for (const interval of replyA.intervals) merger.add(0, interval);
  assert.equal(emitted.length, 0, 'nothing is merged before every worker has reported that interval');
  merger.finish(0);
  for (const interval of replyB.intervals) merger.add(1, interval);
  merger.finish(1);
  assert.deepEqual(emitted.map((interval) => interval.index), [0, 1, 2]);
  assert.deepEqual(emitted.map((interval) => interval.completedCount), [500 + 100, 500 + 100, 50]);
  const intervalUnion = sumEncodedHistograms(emitted.map((interval) => interval.correctedBase64), 'merged intervals');
  for (const percentile of PERCENTILES) {
    assert.equal(intervalUnion.getValueAtPercentile(percentile), union.getValueAtPercentile(percentile), `interval sum P${percentile}`);
  }
  assert.equal(emitted[2]?.lengthSec, 0.5, 'the merged last interval is as long as the longest worker’s');
  assert.equal(emitted[0]?.correctedMaxUs, 1_000_000, 'worker B’s 100th value, 1 s, is the largest of second 0');
});

test('runLoadInWorkers: an open loop split over two workers sends the whole schedule over real HTTP/2', async () => {
  const server = await startEchoServer();
  try {
    const intervalsSeen: number[] = [];
    const result = await runLoadInWorkers({
      workerCount: 2,
      operationModule: new URL('../fixtures/report/http2-echo-operation.js', import.meta.url),
      operationOptions: { url: server.url },
      schedule: { kind: 'open-loop', ratePerSecond: 400, maxInFlightPerWorker: 100 },
      count: 200,
      intervalMs: 100,
      onInterval: (interval) => intervalsSeen.push(interval.index),
    });
    assert.equal(result.workerCount, 2);
    assert.equal(result.sentCount, 200);
    assert.equal(result.completedCount, 200, result.errorMessages.join('; '));
    assert.equal(server.requestCount(), 200);
    assert.equal(result.corrected.totalCount, 200);
    assert.equal(result.uncorrected.totalCount, 200);
    assert.deepEqual(result.schedule, { kind: 'open-loop', ratePerSecond: 400, maxInFlight: 200 });
    assert.equal(result.generator?.sendCount, 200);
    assert.deepEqual(intervalsSeen, result.intervals.map((interval) => interval.index));
    assert.deepEqual(intervalsSeen, Array.from({ length: intervalsSeen.length }, (_, index) => index), 'merged intervals arrive in order, none missing');
    const fromIntervals = sumEncodedHistograms(result.intervals.map((interval) => interval.correctedBase64), 'intervals');
    assert.equal(fromIntervals.totalCount, 200);
    assert.equal(encodeHistogram(decodeHistogram(encodeHistogram(result.corrected), 'total')), encodeHistogram(result.corrected));
  } finally {
    await server.close();
  }
});

test('runLoadInWorkers: a closed loop split over two workers covers the schedule exactly once', async () => {
  const count = 101;
  const seen = new SharedArrayBuffer(count * Int32Array.BYTES_PER_ELEMENT);
  const result = await runLoadInWorkers({
    workerCount: 2,
    operationModule: new URL('../fixtures/report/counting-operation.js', import.meta.url),
    operationOptions: { seen, sleepMs: 5 },
    schedule: { kind: 'closed-loop', concurrency: 3 },
    count,
    intervalMs: 100,
  });
  assert.deepEqual([...new Int32Array(seen)], new Array<number>(count).fill(1));
  assert.equal(result.completedCount, count);
  // Timers may fire up to a millisecond before the hrtime clock says 5 ms have passed.
  assert.ok(result.corrected.getValueAtPercentile(0) >= 4_000, 'every operation slept about 5 ms');
  assert.equal(result.generator, null);
});

test('runLoadInWorkers: a module without createOperation fails with the module named', async () => {
  await assert.rejects(
    runLoadInWorkers({
      workerCount: 1,
      operationModule: new URL('../fixtures/report/known-values-worker.js', import.meta.url).href.replace('known-values-worker', 'http2-echo-server'),
      schedule: { kind: 'closed-loop', concurrency: 1 },
      count: 1,
    }),
    /does not export a createOperation/,
  );
  await assert.rejects(
    runLoadInWorkers({ workerCount: 2, operationModule: 'relative/path.js', schedule: { kind: 'closed-loop', concurrency: 2 }, count: 2 }),
    /operationModule: must be an absolute path/,
  );
});
