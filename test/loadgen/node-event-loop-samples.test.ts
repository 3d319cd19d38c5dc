/**
 * From the node's runtime reports to the report's resource samples: each RSS reading takes the
 * delay of the node's report period that covers it (the worst thread's P99, and each thread's);
 * a node that is not observable gives null, never 0; a long run's periods merge in pairs
 * without losing the worst delay.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { MemorySample } from '../../src/loadgen/transactions/memory-sampler.js';
import {
  describeNodeEventLoop,
  EVENT_LOOP_NOT_OBSERVABLE,
  resourceSamplesOf,
  startNodeEventLoopRecorder,
  type NodeEventLoopSample,
  type RuntimeReportSource,
} from '../../src/loadgen/transactions/node-event-loop.js';
import type { NodeRuntimeReport } from '../../src/loadgen/transactions/runtime-line.js';

const memory = (t: number, rssBytes: number): MemorySample => ({ t, rssBytes, rssAnonBytes: 0, rssFileBytes: 0, rssShmemBytes: 0 });
const thread = (delayP99Ms: number | null, utilization = 0.5) => ({ delayP99Ms, delayMaxMs: delayP99Ms === null ? null : delayP99Ms * 2, utilization });

const periods: NodeEventLoopSample[] = [
  { t: 1.1, periodSec: 1, threads: { main: thread(1), acceptor: thread(2), raft: thread(3), 'shard-worker-0': thread(null) } },
  { t: 2.1, periodSec: 1, threads: { main: thread(9), acceptor: thread(2), raft: thread(null), 'shard-worker-0': thread(null) } },
];

test('each RSS reading takes the delays of the report period that covers it', () => {
  const samples = resourceSamplesOf([memory(0.5, 100), memory(1.5, 110), memory(2.05, 120), memory(3, 130)], periods);
  assert.deepEqual(samples, [
    { t: 0.5, rssBytes: 100, eventLoopDelayP99Ms: 3, eventLoopDelayP99MsByThread: { main: 1, acceptor: 2, raft: 3 } },
    { t: 1.5, rssBytes: 110, eventLoopDelayP99Ms: 9, eventLoopDelayP99MsByThread: { main: 9, acceptor: 2 } },
    { t: 2.05, rssBytes: 120, eventLoopDelayP99Ms: 9, eventLoopDelayP99MsByThread: { main: 9, acceptor: 2 } },
    // After the node's last report: no period covers it.
    { t: 3, rssBytes: 130, eventLoopDelayP99Ms: null },
  ]);
});

test('a node that runs elsewhere gives null delays and says why, never zeros', () => {
  const samples = resourceSamplesOf([memory(0.5, 100), memory(1.5, 110)], null);
  assert.deepEqual(samples.map((sample) => sample.eventLoopDelayP99Ms), [null, null]);
  assert.equal(describeNodeEventLoop(null), EVENT_LOOP_NOT_OBSERVABLE);
});

test('the result file sums up each thread over the run', () => {
  const summary = describeNodeEventLoop(periods);
  assert.ok(Array.isArray(summary));
  assert.deepEqual(
    summary.map((entry) => [entry.thread, entry.delayP99MsPeak, entry.delayMsMax, entry.utilizationMean]),
    [
      ['main', 9, 18, 0.5],
      ['acceptor', 2, 4, 0.5],
      ['raft', 3, 6, 0.5],
      ['shard-worker-0', null, null, 0.5],
    ],
  );
});

test('past its bound the recorder merges neighbouring periods, keeping the worst delay', async () => {
  const listeners = new Set<(report: NodeRuntimeReport) => void>();
  const source: RuntimeReportSource = {
    onRuntimeReport(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  const recorder = startNodeEventLoopRecorder(source, { startNs: process.hrtime.bigint(), samplesMax: 4 });
  const heap = { usedBytes: 1, committedBytes: 1, limitBytes: 1, mallocedBytes: 0, externalBytes: 0 };
  for (const [index, delay] of [1, 50, 2, 3, 4].entries()) {
    for (const listener of listeners) {
      listener({ periodMs: 1000, threads: [{ thread: 'raft', ...heap, eventLoopUtilization: index === 1 ? 1 : 0, eventLoopDelayP99Ms: delay, eventLoopDelayMaxMs: delay }] });
    }
  }
  const stopping = recorder.stop();
  // The period in progress at the stop is waited for: it ends the run's record.
  for (const listener of listeners) listener({ periodMs: 1000, threads: [{ thread: 'raft', ...heap, eventLoopUtilization: 0, eventLoopDelayP99Ms: 7, eventLoopDelayMaxMs: 7 }] });
  const samples = await stopping;
  assert.equal(listeners.size, 0, 'stop() unsubscribes');
  // Five periods over a bound of four: merged in pairs into three; then the one the stop waited for.
  assert.deepEqual(
    samples.map((sample) => [sample.periodSec, sample.threads['raft']?.delayP99Ms, sample.threads['raft']?.utilization]),
    [
      [2, 50, 0.5],
      [2, 3, 0],
      [1, 4, 0],
      [1, 7, 0],
    ],
  );
});
