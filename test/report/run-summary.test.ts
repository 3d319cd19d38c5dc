import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runOpenLoop } from '../../src/loadgen/open-loop.js';
import { parseIntervalLog, writeIntervalLog } from '../../src/report/interval-log.js';
import { parseRunSummary, summarizeIntervalLog, summarizeRun } from '../../src/report/run-summary.js';

async function quickRun() {
  let call = 0;
  return runOpenLoop(
    async () => {
      call += 1;
      if (call % 50 === 0) throw new Error('every fiftieth call fails');
      await new Promise((resolve) => setImmediate(resolve));
    },
    { ratePerSecond: 2000, count: 400, intervalMs: 50 },
  );
}

test('the summary holds counts, rates, both latency views, the spectrum and the per-interval series', async () => {
  const run = await quickRun();
  const samples = [
    { t: 0.1, rssBytes: 50_000_000, eventLoopDelayP99Ms: 1.5 },
    { t: 0.2, rssBytes: 51_000_000, eventLoopDelayP99Ms: 2.5 },
  ];
  const summary = summarizeRun(run, { label: 'quick', resourceSamples: samples });
  assert.equal(summary.label, 'quick');
  assert.equal(summary.valueUnit, 'microseconds');
  assert.equal(summary.sentCount, 400);
  assert.equal(summary.completedCount, 392);
  assert.equal(summary.errorCount, 8);
  assert.deepEqual(summary.errorMessages, ['Error: every fiftieth call fails']);
  assert.equal(summary.corrected.count, 392);
  assert.equal(summary.uncorrected?.count, 392);
  assert.ok(summary.throughputPerSec > 0);
  const stats = summary.corrected;
  assert.ok(stats.minUs <= stats.p50Us && stats.p50Us <= stats.p90Us && stats.p90Us <= stats.p99Us && stats.p99Us <= stats.p999Us && stats.p999Us <= stats.p9999Us && stats.p9999Us <= stats.maxUs);
  assert.equal(summary.intervals.reduce((sum, interval) => sum + interval.completedCount, 0), 392);
  assert.equal(summary.intervals.reduce((sum, interval) => sum + (interval.errorCount ?? 0), 0), 8);
  const spectrum = summary.percentileDistribution.corrected;
  assert.equal(spectrum[0]?.percentile, 0);
  assert.equal(spectrum[spectrum.length - 1]?.percentile, 100);
  assert.equal(spectrum[spectrum.length - 1]?.valueUs, stats.maxUs);
  for (let position = 1; position < spectrum.length; position += 1) {
    assert.ok((spectrum[position]?.valueUs ?? 0) >= (spectrum[position - 1]?.valueUs ?? 0), 'the spectrum never decreases');
  }
  assert.deepEqual(summary.resourceSamples, samples);
  assert.equal(summary.generator?.sendCount, 400);
});

test('a summary survives JSON and the check; a broken one is refused with the field named', async () => {
  const summary = summarizeRun(await quickRun());
  const text = JSON.stringify(summary);
  assert.deepEqual(parseRunSummary(text, 'run.json'), JSON.parse(text));
  const broken = (change: (copy: Record<string, unknown>) => void) => {
    const copy = JSON.parse(text) as Record<string, unknown>;
    change(copy);
    return JSON.stringify(copy);
  };
  assert.throws(() => parseRunSummary('{', 'run.json'), /run\.json: is not JSON/);
  assert.throws(() => parseRunSummary(broken((copy) => (copy['format'] = 'other')), 'run.json'), /run\.json\.format/);
  assert.throws(() => parseRunSummary(broken((copy) => delete (copy['corrected'] as Record<string, unknown>)['p99Us']), 'run.json'), /run\.json\.corrected\.p99Us: must be a number/);
  assert.throws(() => parseRunSummary(broken((copy) => ((copy['intervals'] as unknown[])[1] = { startSec: 'late' })), 'run.json'), /run\.json\.intervals\[1\]\.startSec/);
  assert.throws(() => parseRunSummary(broken((copy) => (copy['resourceSamples'] = [{ t: 1, rssBytes: 'big' }])), 'run.json'), /resourceSamples\[0\]\.rssBytes/);
});

test('resource samples may say the event loop was not observable (null) or give it per thread; anything else is refused', async () => {
  const samples = [
    { t: 0.5, rssBytes: 50_000_000, eventLoopDelayP99Ms: null },
    { t: 1, rssBytes: 51_000_000, eventLoopDelayP99Ms: 3.5, eventLoopDelayP99MsByThread: { main: 0.5, acceptor: 1.25, raft: 3.5 } },
  ];
  const text = JSON.stringify(summarizeRun(await quickRun(), { resourceSamples: samples }));
  assert.deepEqual(parseRunSummary(text, 'run.json').resourceSamples, samples);
  const withSample = (sample: Record<string, unknown>) => {
    const copy = JSON.parse(text) as Record<string, unknown>;
    copy['resourceSamples'] = [sample];
    return JSON.stringify(copy);
  };
  const refused: Array<[Record<string, unknown>, RegExp]> = [
    [{ t: 1, rssBytes: 1 }, /resourceSamples\[0\]\.eventLoopDelayP99Ms: must be a number/],
    [{ t: 1, rssBytes: 1, eventLoopDelayP99Ms: 'slow' }, /resourceSamples\[0\]\.eventLoopDelayP99Ms: must be a number/],
    [{ t: 1, rssBytes: null, eventLoopDelayP99Ms: null }, /resourceSamples\[0\]\.rssBytes: must be a number/],
    [{ t: 1, rssBytes: 1, eventLoopDelayP99Ms: 2, eventLoopDelayP99MsByThread: [2] }, /eventLoopDelayP99MsByThread: must be an object/],
    [{ t: 1, rssBytes: 1, eventLoopDelayP99Ms: 2, eventLoopDelayP99MsByThread: { raft: null } }, /eventLoopDelayP99MsByThread\.raft: must be a number/],
  ];
  for (const [sample, error] of refused) assert.throws(() => parseRunSummary(withSample(sample), 'run.json'), error, JSON.stringify(sample));
});

test('a summary rebuilt from the interval log has the same latencies as the one from the run', async () => {
  const run = await quickRun();
  const fromRun = summarizeRun(run);
  const fromLog = summarizeIntervalLog(parseIntervalLog(writeIntervalLog(run), 'run.hlog'));
  assert.deepEqual(fromLog.corrected, fromRun.corrected);
  assert.deepEqual(fromLog.uncorrected, fromRun.uncorrected);
  assert.deepEqual(fromLog.percentileDistribution, fromRun.percentileDistribution);
  assert.deepEqual(
    fromLog.intervals.map((interval) => [interval.completedCount, interval.corrected, interval.uncorrected]),
    fromRun.intervals.map((interval) => [interval.completedCount, interval.corrected, interval.uncorrected]),
  );
  // What a log cannot hold is marked as not recorded rather than guessed.
  assert.equal(fromLog.errorCount, null);
  assert.equal(fromLog.schedule, null);
  assert.ok(fromLog.intervals.every((interval) => interval.errorCount === null));
  // With the saved summary beside it, those come back.
  const combined = summarizeIntervalLog(parseIntervalLog(writeIntervalLog(run), 'run.hlog'), fromRun);
  assert.equal(combined.errorCount, fromRun.errorCount);
  assert.deepEqual(combined.intervals.map((interval) => interval.errorCount), fromRun.intervals.map((interval) => interval.errorCount));
  assert.deepEqual(combined.schedule, fromRun.schedule);
});
