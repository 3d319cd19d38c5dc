import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { runOpenLoop } from '../../src/loadgen/open-loop.js';
import type { OperationRequest } from '../../src/loadgen/operation.js';

test('a count bound sends every index exactly once and stops by itself', async () => {
  const seen: number[] = [];
  const result = await runOpenLoop(
    async ({ index }) => {
      seen.push(index);
      await sleep(1);
    },
    { ratePerSecond: 1000, count: 150, intervalMs: 50 },
  );
  assert.deepEqual([...seen].sort((a, b) => a - b), Array.from({ length: 150 }, (_, index) => index));
  assert.equal(result.sentCount, 150);
  assert.equal(result.completedCount, 150);
  assert.equal(result.corrected.totalCount, 150);
  assert.equal(result.uncorrected.totalCount, 150);
  assert.equal(result.intervals.reduce((sum, interval) => sum + interval.completedCount, 0), 150);
  assert.deepEqual(result.schedule, { kind: 'open-loop', ratePerSecond: 1000, maxInFlight: 10_000 });
});

test('a duration bound sends exactly the requests scheduled before the deadline', async () => {
  // Intended starts are i / 100 s; those before 300 ms are i = 0..29, however late they go out.
  const result = await runOpenLoop(() => sleep(1), { ratePerSecond: 100, durationMs: 300, intervalMs: 100 });
  assert.equal(result.sentCount, 30);
  assert.equal(result.completedCount, 30);
  assert.ok(result.durationSec >= 0.29, `a 300 ms schedule took ${result.durationSec} s`);
});

test('corrected latency is never below uncorrected latency, percentile by percentile', async () => {
  const result = await runOpenLoop(() => sleep(2), { ratePerSecond: 400, count: 200, maxInFlight: 2, intervalMs: 100 });
  for (const percentile of [50, 90, 99, 100]) {
    assert.ok(result.corrected.getValueAtPercentile(percentile) >= result.uncorrected.getValueAtPercentile(percentile), `P${percentile}`);
  }
});

test('a generator whose own thread is too busy reports that it is the bottleneck', async () => {
  // Each call blocks the thread for 4 ms, so at most 250 sends per second happen; the schedule
  // asks for 1000. Lag grows past the threshold, and no in-flight limit is involved.
  const result = await runOpenLoop(
    () => {
      const until = performance.now() + 4;
      while (performance.now() < until) {
        // Busy: this is the generator being slow, on purpose.
      }
      return Promise.resolve();
    },
    { ratePerSecond: 1000, count: 100, lagThresholdMs: 10, intervalMs: 100 },
  );
  assert.equal(result.completedCount, 100);
  assert.equal(result.generator?.cannotKeepUp, true);
  assert.equal(result.generator?.reason, 'generator-busy');
  assert.ok((result.generator?.sendLagP99Us ?? 0) > 10_000);
  assert.equal(result.generator?.lateSendsHeldByInFlightLimit, 0);
});

test('a generator with time to spare reports that it kept its schedule', async () => {
  const result = await runOpenLoop(() => Promise.resolve(), { ratePerSecond: 100, count: 20, lagThresholdMs: 200, intervalMs: 100 });
  assert.equal(result.generator?.cannotKeepUp, false);
  assert.equal(result.generator?.reason, 'none');
  assert.equal(result.generator?.sendCount, 20);
});

test('failures and timeouts are counted, not timed, and the run still ends by itself', async () => {
  const aborted: number[] = [];
  const operation = ({ index, signal }: OperationRequest) => {
    if (index % 3 === 1) return Promise.reject(new Error('backend refused'));
    if (index % 3 === 2) {
      return new Promise<void>(() => signal.addEventListener('abort', () => aborted.push(index)));
    }
    return Promise.resolve();
  };
  const result = await runOpenLoop(operation, { ratePerSecond: 500, count: 30, operationTimeoutMs: 100, intervalMs: 50 });
  assert.equal(result.sentCount, 30);
  assert.equal(result.completedCount, 10);
  assert.equal(result.errorCount, 20);
  assert.equal(result.timeoutCount, 10);
  assert.equal(result.corrected.totalCount, 10);
  assert.equal(result.intervals.reduce((sum, interval) => sum + interval.errorCount, 0), 20);
  assert.deepEqual(aborted.sort((a, b) => a - b), [2, 5, 8, 11, 14, 17, 20, 23, 26, 29], 'timed-out operations see their signal abort');
  assert.ok(result.errorMessages.some((message) => message.includes('backend refused')));
  assert.ok(result.errorMessages.some((message) => message.includes('operationTimeoutMs')));
});

test('an abort signal stops the run early', async () => {
  const stop = new AbortController();
  setTimeout(() => stop.abort(), 100);
  const result = await runOpenLoop(() => sleep(1), { ratePerSecond: 100, durationMs: 60_000, signal: stop.signal, intervalMs: 50 });
  assert.ok(result.sentCount < 100, `sent ${result.sentCount} after a stop at about 100 ms`);
  assert.equal(result.completedCount + result.errorCount, result.sentCount);
});

test('options without a bound or with a bad rate are refused, naming the field', async () => {
  await assert.rejects(runOpenLoop(() => Promise.resolve(), { ratePerSecond: 10 }), /durationMs: a run needs a bound/);
  await assert.rejects(runOpenLoop(() => Promise.resolve(), { ratePerSecond: 0, count: 1 }), /ratePerSecond/);
  await assert.rejects(runOpenLoop(() => Promise.resolve(), { ratePerSecond: 10, count: 1, maxInFlight: 0 }), /maxInFlight/);
});
