import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeHistogram, LATENCY_HIGHEST_TRACKABLE_US } from '../../src/loadgen/latency-histogram.js';
import { LatencyRecorder } from '../../src/loadgen/latency-recorder.js';
import type { EncodedInterval } from '../../src/loadgen/run-result.js';

const MS = 1_000_000n;
const start = 10_000n * MS;

test('intended-start timing: corrected counts from the schedule, uncorrected from the send', () => {
  const recorder = new LatencyRecorder({ startNs: start, intervalMs: 1000 });
  // Intended at 100 ms, held back until 600 ms, answered at 610 ms.
  recorder.recordOperation({ intendedStartNs: start + 100n * MS, sentNs: start + 600n * MS, completedNs: start + 610n * MS });
  recorder.recordOperation({ intendedStartNs: start + 700n * MS, sentNs: start + 700n * MS, completedNs: start + 702n * MS });
  assert.equal(recorder.correctedTotal.totalCount, 2);
  // Exact values, since the recorder's maximum is tracked exactly: 510 ms and 10 ms.
  assert.equal(recorder.correctedTotal.maxValue, 510_000);
  assert.equal(recorder.uncorrectedTotal.maxValue, 10_000);
  assert.equal(recorder.correctedTotal.getValueAtPercentile(0), 2_000);
  assert.equal(recorder.uncorrectedTotal.getValueAtPercentile(0), 2_000);
});

test('intervals align to the start, quiet intervals are still emitted, and the last is partial', () => {
  const emitted: EncodedInterval[] = [];
  const recorder = new LatencyRecorder({ startNs: start, intervalMs: 1000, onInterval: (interval) => emitted.push(interval) });
  recorder.recordValue(1_000, start + 200n * MS);
  recorder.recordValue(2_000, start + 900n * MS);
  recorder.recordError(start + 950n * MS);
  recorder.rollTo(start + 3_100n * MS); // intervals 0, 1 and 2 close; nothing happened in 1 and 2
  assert.deepEqual(emitted.map((interval) => interval.index), [0, 1, 2]);
  recorder.recordValue(3_000, start + 3_200n * MS);
  const intervals = recorder.finish(start + 3_500n * MS);
  assert.deepEqual(intervals.map((interval) => interval.index), [0, 1, 2, 3]);
  assert.deepEqual(intervals.map((interval) => interval.startSec), [0, 1, 2, 3]);
  assert.deepEqual(intervals.map((interval) => interval.lengthSec), [1, 1, 1, 0.5]);
  assert.deepEqual(intervals.map((interval) => interval.completedCount), [2, 0, 0, 1]);
  assert.deepEqual(intervals.map((interval) => interval.errorCount), [1, 0, 0, 0]);
  assert.equal(recorder.errorCount, 1);
  const first = decodeHistogram(intervals[0]?.correctedBase64 ?? '', 'interval 0');
  assert.equal(first.totalCount, 2);
  assert.equal(first.getValueAtPercentile(50), 1_000);
  assert.equal(intervals[0]?.correctedMaxUs, 2_000);
  assert.equal(emitted.length, 4, 'the partial interval is emitted too');
});

test('a value stamped before the start lands in interval 0; a finished recorder refuses more', () => {
  const recorder = new LatencyRecorder({ startNs: start, intervalMs: 500 });
  recorder.recordValue(5, start - 1n * MS);
  const intervals = recorder.finish(start + 100n * MS);
  assert.equal(intervals.length, 1);
  assert.equal(intervals[0]?.completedCount, 1);
  assert.throws(() => recorder.recordValue(5, start + 200n * MS), /finished recorder/);
});

test('recordCorrectedValue back-fills the samples a stall hid; the uncorrected histogram keeps one', () => {
  const recorder = new LatencyRecorder({ startNs: start, intervalMs: 1000 });
  recorder.recordCorrectedValue(100_000, 10_000, start + 1n * MS);
  // 100 ms observed with a 10 ms expected interval: 100, 90, 80, ..., 10 ms in the corrected one.
  assert.equal(recorder.correctedTotal.totalCount, 10);
  assert.equal(recorder.uncorrectedTotal.totalCount, 1);
  assert.ok(recorder.correctedTotal.getValueAtPercentile(0) >= 10_000 && recorder.correctedTotal.getValueAtPercentile(0) < 10_100);
});

test('values are clamped into range instead of failing a run, and bad input is named', () => {
  const recorder = new LatencyRecorder({ startNs: start, intervalMs: 1000 });
  recorder.recordValue(LATENCY_HIGHEST_TRACKABLE_US * 10, start);
  assert.ok(recorder.correctedTotal.maxValue >= LATENCY_HIGHEST_TRACKABLE_US * 0.999);
  assert.throws(() => recorder.recordValue(-1, start), /latencyUs/);
  assert.throws(() => recorder.recordValue(Number.NaN, start), /latencyUs/);
  assert.throws(() => new LatencyRecorder({ startNs: start, intervalMs: 0 }), /intervalMs/);
});
