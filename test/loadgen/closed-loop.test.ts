import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { runClosedLoop } from '../../src/loadgen/closed-loop.js';
import { encodeHistogram } from '../../src/loadgen/latency-histogram.js';

test('keeps exactly the given number in flight and runs each index once', async () => {
  let inFlight = 0;
  let mostInFlight = 0;
  const seen: number[] = [];
  const result = await runClosedLoop(
    async ({ index }) => {
      seen.push(index);
      inFlight += 1;
      mostInFlight = Math.max(mostInFlight, inFlight);
      await sleep(2);
      inFlight -= 1;
    },
    { concurrency: 5, count: 100, intervalMs: 50 },
  );
  assert.equal(mostInFlight, 5);
  assert.deepEqual([...seen].sort((a, b) => a - b), Array.from({ length: 100 }, (_, index) => index));
  assert.equal(result.completedCount, 100);
  assert.deepEqual(result.schedule, { kind: 'closed-loop', concurrency: 5 });
  assert.equal(result.generator, null, 'a closed loop has no schedule to fall behind');
});

test('a duration bound ends the run by itself, and corrected equals uncorrected', async () => {
  const result = await runClosedLoop(() => sleep(1), { concurrency: 2, durationMs: 200, intervalMs: 50 });
  assert.ok(result.completedCount > 0);
  assert.ok(result.durationSec < 5, `a 200 ms run took ${result.durationSec} s`);
  assert.equal(encodeHistogram(result.corrected), encodeHistogram(result.uncorrected));
});

test('an operation that resolves at once does not starve timers: a stop from a timer ends the run', async () => {
  // Without yielding, the loop would spin in microtasks and this timer would never fire.
  const stop = new AbortController();
  setTimeout(() => stop.abort(), 100);
  const result = await runClosedLoop(() => Promise.resolve(), { concurrency: 1, durationMs: 60_000, signal: stop.signal, intervalMs: 50 });
  assert.ok(result.durationSec < 30, `the run ignored its stop for ${result.durationSec} s`);
  assert.ok(result.completedCount > 0);
  assert.equal(result.intervals.reduce((sum, interval) => sum + interval.completedCount, 0), result.completedCount);
});

test('failed operations are counted and the loop goes on', async () => {
  const result = await runClosedLoop(
    async ({ index }) => {
      if (index % 2 === 0) throw new Error(`even index ${index}`);
    },
    { concurrency: 3, count: 40, intervalMs: 50 },
  );
  assert.equal(result.errorCount, 20);
  assert.equal(result.completedCount, 20);
  assert.ok(result.errorMessages.length > 0 && result.errorMessages.length <= 5);
});
