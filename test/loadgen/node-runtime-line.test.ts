/**
 * The runners' reading of the node's `runtime` log line: well-formed lines are taken as they
 * are, anything else (another message, a broken field, not JSON) is skipped rather than
 * plotted; per-thread heap peaks come from the same lines.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { peakThreadHeaps } from '../../src/loadgen/transactions/memory-sampler.js';
import { parseRuntimeLine, runtimeReportsIn } from '../../src/loadgen/transactions/runtime-line.js';

const heap = { usedBytes: 10, committedBytes: 20, limitBytes: 100, mallocedBytes: 1, externalBytes: 2 };

function line(fields: Record<string, unknown>): string {
  return JSON.stringify({ time: '2025-01-01T00:00:00.000Z', level: 'info', msg: 'runtime', component: 'runtime', periodMs: 1000, rssBytes: 5, ...fields });
}

const threads = [
  { thread: 'main', ...heap, eventLoopUtilization: 0.25, eventLoopDelayP99Ms: 1.5, eventLoopDelayMaxMs: 4 },
  { thread: 'raft', ...heap, usedBytes: 30, eventLoopUtilization: 0.5, eventLoopDelayP99Ms: 12.25, eventLoopDelayMaxMs: 40 },
  { thread: 'shard-worker-0', ...heap, eventLoopUtilization: 0.9, eventLoopDelayP99Ms: null, eventLoopDelayMaxMs: null },
];

test('a well-formed runtime line gives its period and every thread, nulls included', () => {
  const report = parseRuntimeLine(line({ threads }));
  assert.ok(report !== undefined);
  assert.equal(report.periodMs, 1000);
  assert.deepEqual(
    report.threads.map((thread) => [thread.thread, thread.eventLoopDelayP99Ms, thread.eventLoopDelayMaxMs, thread.eventLoopUtilization]),
    [
      ['main', 1.5, 4, 0.25],
      ['raft', 12.25, 40, 0.5],
      ['shard-worker-0', null, null, 0.9],
    ],
  );
});

test('lines that are not well-formed runtime lines are skipped', () => {
  const broken: Array<[string, string]> = [
    ['another message', line({ msg: 'node started', threads })],
    ['not JSON', `${line({ threads }).slice(0, -2)}`],
    ['no threads', line({ threads: undefined })],
    ['no period', line({ threads, periodMs: undefined })],
    ['a delay that is text', line({ threads: [{ ...threads[0], eventLoopDelayP99Ms: '1.5' }] })],
    ['a negative delay', line({ threads: [{ ...threads[0], eventLoopDelayMaxMs: -1 }] })],
    ['a utilization above 1', line({ threads: [{ ...threads[0], eventLoopUtilization: 1.5 }] })],
    ['a thread without a name', line({ threads: [{ ...threads[0], thread: '' }] })],
    ['a heap figure missing', line({ threads: [{ ...threads[0], usedBytes: undefined }] })],
  ];
  for (const [why, text] of broken) assert.equal(parseRuntimeLine(text), undefined, why);
  const log = [line({ threads }), ...broken.map(([, text]) => text), 'plain text', line({ threads: threads.slice(0, 1) })].join('\n');
  assert.equal(runtimeReportsIn(log).length, 2, 'only the two good lines of a log are read');
});

test('each thread’s heap peak is the largest value over the lines', () => {
  const later = threads.map((thread) => (thread.thread === 'main' ? { ...thread, usedBytes: 50 } : { ...thread, usedBytes: 5 }));
  const peaks = peakThreadHeaps([line({ threads }), line({ threads: later })].join('\n'));
  assert.deepEqual(
    peaks.map((peak) => [peak.thread, peak.usedBytes]),
    [
      ['main', 50],
      ['raft', 30],
      ['shard-worker-0', 10],
    ],
  );
});
