import { assessGenerator } from '../loadgen/generator-health.js';
import { createLatencyHistogram } from '../loadgen/latency-histogram.js';
import { DEFAULT_LAG_THRESHOLD_MS } from '../loadgen/open-loop.js';
import type { EncodedInterval, LoadRunResult } from '../loadgen/run-result.js';

/**
 * One open-loop LoadRunResult from the soak's segments (the schedule pauses between them for a
 * balance checkpoint; no request is scheduled during a pause, so none counts it as latency).
 * `intervals` are the segments' intervals already placed on the soak's time line.
 */
export function concatenateSegments(segments: readonly LoadRunResult[], intervals: readonly EncodedInterval[], startEpochMs: number, durationSec: number, ratePerSecond: number): LoadRunResult {
  const corrected = createLatencyHistogram();
  const uncorrected = createLatencyHistogram();
  const sendLag = createLatencyHistogram();
  let lateSendCount = 0;
  let lateSendsHeldByInFlightLimit = 0;
  for (const segment of segments) {
    corrected.add(segment.corrected);
    uncorrected.add(segment.uncorrected);
    if (segment.sendLag !== null) sendLag.add(segment.sendLag);
    lateSendCount += segment.generator?.lateSendCount ?? 0;
    lateSendsHeldByInFlightLimit += segment.generator?.lateSendsHeldByInFlightLimit ?? 0;
  }
  const sum = (pick: (run: LoadRunResult) => number) => segments.reduce((total, run) => total + pick(run), 0);
  const sentCount = sum((run) => run.sentCount);
  const maxInFlight = segments[0]?.schedule.kind === 'open-loop' ? segments[0].schedule.maxInFlight : 0;
  return {
    startEpochMs,
    durationSec,
    intervalSec: segments[0]?.intervalSec ?? 1,
    schedule: { kind: 'open-loop', ratePerSecond, maxInFlight },
    workerCount: 1,
    sentCount,
    completedCount: sum((run) => run.completedCount),
    errorCount: sum((run) => run.errorCount),
    timeoutCount: sum((run) => run.timeoutCount),
    errorMessages: [...new Set(segments.flatMap((run) => run.errorMessages))].slice(0, 5),
    intervals,
    corrected,
    uncorrected,
    sendLag,
    generator: assessGenerator(sendLag, { sendCount: sentCount, lateSendCount, lateSendsHeldByInFlightLimit }, segments[0]?.generator?.lagThresholdMs ?? DEFAULT_LAG_THRESHOLD_MS),
  };
}
