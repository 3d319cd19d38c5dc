/**
 * The reason the open loop exists. A real HTTP/2 server on loopback stalls every response for one
 * second, once, in the middle of an open-loop run. A client that may keep only a few requests in
 * flight (a fixed connection or stream pool) stops sending during the stall, like every closed
 * or pool-bound benchmark: latency measured from the actual send then hides the stall, while
 * latency from the intended start shows it. Margins are wide: this checks a property, not speed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runOpenLoop } from '../../src/loadgen/open-loop.js';
import { startEchoServer } from '../fixtures/report/http2-echo-server.js';
import { createOperation } from '../fixtures/report/http2-echo-operation.js';

const RATE_PER_SECOND = 200;
const STALL_MS = 1000;

async function runWithStall(options: { durationMs: number; stallAtMs: number; maxInFlight: number }) {
  const server = await startEchoServer();
  const handle = await createOperation({ url: server.url });
  try {
    const stallTimer = setTimeout(() => server.stallFor(STALL_MS), options.stallAtMs);
    const result = await runOpenLoop(handle.run, {
      ratePerSecond: RATE_PER_SECOND,
      durationMs: options.durationMs,
      maxInFlight: options.maxInFlight,
      intervalMs: 500,
      operationTimeoutMs: 10_000,
    });
    clearTimeout(stallTimer);
    return { result, requestsServed: server.requestCount() };
  } finally {
    await handle.close?.();
    await server.close();
  }
}

test('with a small in-flight limit, corrected P99 shows a 1 s stall and uncorrected P99 hides it', async () => {
  const { result, requestsServed } = await runWithStall({ durationMs: 3000, stallAtMs: 1000, maxInFlight: 4 });
  assert.equal(result.sentCount, 600, 'the open loop sends its whole schedule, late or not');
  assert.equal(result.completedCount, 600);
  assert.equal(result.errorCount, 0, result.errorMessages.join('; '));
  assert.equal(requestsServed, 600);
  const correctedP99Ms = result.corrected.getValueAtPercentile(99) / 1000;
  const uncorrectedP99Ms = result.uncorrected.getValueAtPercentile(99) / 1000;
  // About a third of the schedule fell inside the stall; from their intended starts they waited
  // up to a second, so the corrected P99 is close to 1000 ms. Only the 4 in-flight requests saw
  // the stall from their actual send: under 1% of 600, so the uncorrected P99 misses it.
  assert.ok(correctedP99Ms >= 500, `corrected P99 ${correctedP99Ms} ms should reflect the ${STALL_MS} ms stall`);
  assert.ok(uncorrectedP99Ms <= 250, `uncorrected P99 ${uncorrectedP99Ms} ms should not reflect the stall`);
  assert.ok(correctedP99Ms - uncorrectedP99Ms >= 400);
  // The generator knows why it fell behind.
  assert.equal(result.generator?.cannotKeepUp, true);
  assert.equal(result.generator?.reason, 'in-flight-limit');
  assert.ok((result.generator?.lateSendsHeldByInFlightLimit ?? 0) > 100);
});

test('with no in-flight limit the open loop keeps sending through the stall, so both views see it', async () => {
  const { result } = await runWithStall({ durationMs: 2000, stallAtMs: 500, maxInFlight: 10_000 });
  assert.equal(result.completedCount, 400);
  const correctedP99Ms = result.corrected.getValueAtPercentile(99) / 1000;
  const uncorrectedP99Ms = result.uncorrected.getValueAtPercentile(99) / 1000;
  assert.ok(correctedP99Ms >= 500, `corrected P99 ${correctedP99Ms} ms`);
  assert.ok(uncorrectedP99Ms >= 500, `uncorrected P99 ${uncorrectedP99Ms} ms: requests sent into the stall waited for it`);
  assert.ok(result.generator?.lateSendsHeldByInFlightLimit === 0, 'nothing waited for a slot');
});
