import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HistogramLogReader } from 'hdr-histogram-js';
import { decodeHistogram, encodeHistogram, type Histogram } from '../../src/loadgen/latency-histogram.js';
import { LatencyRecorder } from '../../src/loadgen/latency-recorder.js';
import { INTERVAL_LOG_LEGEND, parseIntervalLog, UNCORRECTED_TAG, writeIntervalLog } from '../../src/report/interval-log.js';

const MS = 1_000_000n;
const START_EPOCH_MS = 1_700_000_000_123;

/** Three intervals with known values; the middle one is empty, the last is partial. */
function recordedRun() {
  const startNs = 5_000n * MS;
  const recorder = new LatencyRecorder({ startNs, intervalMs: 1000 });
  for (let position = 0; position < 500; position += 1) {
    const intended = startNs + BigInt(position) * MS;
    recorder.recordOperation({ intendedStartNs: intended, sentNs: intended + 2n * MS, completedNs: intended + 3n * MS + BigInt(position) * 1000n });
  }
  recorder.recordValue(42_000, startNs + 2_400n * MS);
  const intervals = recorder.finish(startNs + 2_500n * MS);
  return { startEpochMs: START_EPOCH_MS, intervals, recorder };
}

function assertSameHistogram(actual: Histogram, expected: Histogram, what: string): void {
  assert.equal(actual.totalCount, expected.totalCount, `${what}: count`);
  for (const percentile of [0, 50, 90, 99, 99.9, 100]) {
    assert.equal(actual.getValueAtPercentile(percentile), expected.getValueAtPercentile(percentile), `${what}: P${percentile}`);
  }
  assert.equal(encodeHistogram(actual), encodeHistogram(expected), `${what}: encoding`);
}

test('the log has the header lines of HdrHistogram’s HistogramLogWriter, then one line per histogram', () => {
  const text = writeIntervalLog(recordedRun());
  const lines = text.trimEnd().split('\n');
  assert.equal(lines[1], '#[Histogram log format version 1.3]');
  assert.match(lines[2] ?? '', /^#\[StartTime: 1700000000\.123 \(seconds since epoch\), 2023-11-14T22:13:20\.123Z\]$/);
  assert.equal(lines[3], '#[BaseTime: 1700000000.123 (seconds since epoch)]');
  assert.equal(lines[5], INTERVAL_LOG_LEGEND);
  assert.equal(INTERVAL_LOG_LEGEND, '"StartTimestamp","Interval_Length","Interval_Max","Interval_Compressed_Histogram"');
  const intervalLines = lines.slice(6);
  assert.equal(intervalLines.length, 6, 'three intervals, corrected and uncorrected');
  assert.match(intervalLines[0] ?? '', /^0\.000,1\.000,\d+\.\d{3},HISTF[A-Za-z0-9+/=]+$/);
  assert.match(intervalLines[1] ?? '', new RegExp(`^Tag=${UNCORRECTED_TAG},0\\.000,1\\.000,\\d+\\.\\d{3},HISTF[A-Za-z0-9+/=]+$`));
  assert.match(intervalLines[4] ?? '', /^2\.000,0\.500,42\.000,HISTF/, 'Interval_Max is in milliseconds: 42 ms');
  for (const line of lines) assert.ok(line.startsWith('#') || line.startsWith('"') || /^(Tag=[^,]+,)?[\d.]+,[\d.]+,[\d.]+,HISTF/.test(line), line);
});

test('a written log reads back to the same histograms, interval by interval', () => {
  const run = recordedRun();
  const log = parseIntervalLog(writeIntervalLog(run), 'run.hlog');
  assert.equal(log.startTimeEpochMs, START_EPOCH_MS);
  assert.equal(log.formatVersion, '1.3');
  const corrected = log.intervals.filter((interval) => interval.tag === null);
  const uncorrected = log.intervals.filter((interval) => interval.tag === UNCORRECTED_TAG);
  assert.deepEqual(corrected.map((interval) => interval.startSec), [0, 1, 2]);
  assert.deepEqual(corrected.map((interval) => interval.lengthSec), [1, 1, 0.5]);
  for (const [position, interval] of run.intervals.entries()) {
    assertSameHistogram(decodeHistogram(corrected[position]?.histogramBase64 ?? '', 'read'), decodeHistogram(interval.correctedBase64, 'written'), `corrected ${position}`);
    assertSameHistogram(decodeHistogram(uncorrected[position]?.histogramBase64 ?? '', 'read'), decodeHistogram(interval.uncorrectedBase64, 'written'), `uncorrected ${position}`);
  }
  const total = decodeHistogram(corrected[0]?.histogramBase64 ?? '', 'first');
  total.add(decodeHistogram(corrected[1]?.histogramBase64 ?? '', 'second'));
  total.add(decodeHistogram(corrected[2]?.histogramBase64 ?? '', 'third'));
  assertSameHistogram(total, run.recorder.correctedTotal, 'cumulative');
});

test('hdr-histogram-js’s own HistogramLogReader reads our log: another HdrHistogram tool', () => {
  const run = recordedRun();
  const reader = new HistogramLogReader(writeIntervalLog(run), 64);
  const read: Histogram[] = [];
  for (let histogram = reader.nextIntervalHistogram(); histogram !== null; histogram = reader.nextIntervalHistogram()) read.push(histogram);
  assert.equal(read.length, 6);
  assert.deepEqual(read.map((histogram) => histogram.tag), ['NO TAG', UNCORRECTED_TAG, 'NO TAG', UNCORRECTED_TAG, 'NO TAG', UNCORRECTED_TAG]);
  assert.equal(read[0]?.startTimeStampMsec, START_EPOCH_MS, 'BaseTime plus the relative timestamp is the absolute start');
  assert.equal(read[4]?.endTimeStampMsec, START_EPOCH_MS + 2500);
  assertSameHistogram(read[0] as Histogram, decodeHistogram(run.intervals[0]?.correctedBase64 ?? '', 'written'), 'first interval');
});

test('a log with absolute timestamps and no BaseTime (as older tools write) reads relative to StartTime', () => {
  const histogram = decodeHistogram(recordedRun().intervals[0]?.correctedBase64 ?? '', 'fixture');
  const text = [
    '#[StartTime: 1700000000.000 (seconds since epoch), Tue Nov 14 22:13:20 UTC 2023]',
    INTERVAL_LOG_LEGEND,
    `1700000001.000,1.000,3.000,${encodeHistogram(histogram)}`,
  ].join('\n');
  const log = parseIntervalLog(text, 'old.hlog');
  assert.equal(log.intervals[0]?.startSec, 1);
  assert.equal(log.baseTimeEpochMs, null);
});

test('a malformed line is refused with the file and line named', () => {
  const good = writeIntervalLog(recordedRun()).split('\n');
  const missingField = [...good.slice(0, 6), '0.000,1.000,HISTFAAAAA'].join('\n');
  assert.throws(() => parseIntervalLog(missingField, 'bad.hlog'), /bad\.hlog:7: an interval line has .* \(4 fields\), got 3/);
  const notHistogram = [...good.slice(0, 6), '0.000,1.000,2.000,hello'].join('\n');
  assert.throws(() => parseIntervalLog(notHistogram, 'bad.hlog'), /bad\.hlog:7: Interval_Compressed_Histogram is not a compressed HdrHistogram/);
  const badTime = [...good.slice(0, 6), 'soon,1.000,2.000,HISTFAAAA'].join('\n');
  assert.throws(() => parseIntervalLog(badTime, 'bad.hlog'), /bad\.hlog:7: StartTimestamp, Interval_Length and Interval_Max must be numbers/);
});
