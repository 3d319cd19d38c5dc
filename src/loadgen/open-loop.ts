import { invalidArgument } from '../errors.js';
import { assessGenerator } from './generator-health.js';
import { createLatencyHistogram, nanosecondsToRecordableMicroseconds } from './latency-histogram.js';
import type { Operation } from './operation.js';
import { RunBookkeeping, sleepUntilNs } from './run-bookkeeping.js';
import type { LoadRunResult } from './run-result.js';
import { positiveInteger, resolveBounds, type RunBounds } from './schedule-options.js';

export interface OpenLoopOptions extends RunBounds {
  /** Request i is intended to start at start + scheduleOffsetNs + i / ratePerSecond. */
  readonly ratePerSecond: number;
  /**
   * At most this many operations outstanding (a client's stream or connection limit); when it is
   * reached the generator waits, and the wait counts in corrected latency. 10000 by default.
   */
  readonly maxInFlight?: number;
  /** Send lag (P99) beyond which the generator reports it cannot keep up; 10 by default. */
  readonly lagThresholdMs?: number;
  /** Shifts this generator's schedule, so that workers interleave into one even schedule. */
  readonly scheduleOffsetNs?: bigint;
}

export const DEFAULT_MAX_IN_FLIGHT = 10_000;
export const DEFAULT_LAG_THRESHOLD_MS = 10;
/** Sends in a row before the loop lets completions run, so a backlog cannot starve them. */
const SENDS_BETWEEN_YIELDS = 64;

/**
 * Open loop: a fixed arrival rate regardless of how fast the system answers, the way real users
 * arrive. When the generator falls behind (a full in-flight limit, or its own thread too busy) it
 * sends late requests immediately, and their latency still counts from the intended start.
 */
export async function runOpenLoop(operation: Operation, options: OpenLoopOptions): Promise<LoadRunResult> {
  const bounds = resolveBounds(options);
  if (!Number.isFinite(options.ratePerSecond) || options.ratePerSecond <= 0) {
    throw invalidArgument('ratePerSecond', `must be a positive number of requests per second, got ${options.ratePerSecond}`);
  }
  const maxInFlight = positiveInteger('maxInFlight', options.maxInFlight, DEFAULT_MAX_IN_FLIGHT);
  const lagThresholdMs = options.lagThresholdMs ?? DEFAULT_LAG_THRESHOLD_MS;
  if (!Number.isFinite(lagThresholdMs) || lagThresholdMs <= 0) {
    throw invalidArgument('lagThresholdMs', `must be a positive number of milliseconds, got ${lagThresholdMs}`);
  }
  const startNs = options.startNs ?? process.hrtime.bigint();
  const startEpochMs = options.startEpochMs ?? Date.now();
  const firstIntendedNs = startNs + (options.scheduleOffsetNs ?? 0n);
  const periodNs = 1e9 / options.ratePerSecond;
  const deadlineNs = bounds.durationMs === undefined ? undefined : startNs + BigInt(bounds.durationMs) * 1_000_000n;
  const sendLimit = bounds.count ?? Number.POSITIVE_INFINITY;

  const bookkeeping = new RunBookkeeping({
    startNs,
    intervalMs: bounds.intervalMs,
    operationTimeoutMs: bounds.operationTimeoutMs,
    signal: options.signal,
    onInterval: options.onInterval,
  });
  const sendLag = createLatencyHistogram();
  const lagThresholdNs = BigInt(Math.round(lagThresholdMs * 1e6));
  let lateSendCount = 0;
  let lateSendsHeldByInFlightLimit = 0;
  let sendsSinceYield = 0;
  let scheduleIndex = 0;
  let heldByInFlightLimit = false;

  while (!bookkeeping.stopped && scheduleIndex < sendLimit) {
    const intendedStartNs = firstIntendedNs + BigInt(Math.round(scheduleIndex * periodNs));
    if (deadlineNs !== undefined && intendedStartNs >= deadlineNs) break;
    if (intendedStartNs > process.hrtime.bigint()) {
      sendsSinceYield = 0;
      await sleepUntilNs(intendedStartNs, bookkeeping.stop.signal);
      continue;
    }
    if (bookkeeping.inFlight >= maxInFlight) {
      heldByInFlightLimit = true;
      sendsSinceYield = 0;
      await bookkeeping.waitForInFlightChange();
      continue;
    }
    const sentNs = process.hrtime.bigint();
    const lagNs = sentNs - intendedStartNs;
    sendLag.recordValue(nanosecondsToRecordableMicroseconds(lagNs));
    if (lagNs > lagThresholdNs) {
      lateSendCount += 1;
      if (heldByInFlightLimit) lateSendsHeldByInFlightLimit += 1;
    }
    heldByInFlightLimit = false;
    void bookkeeping.invoke(operation, bounds.indexOffset + scheduleIndex * bounds.indexStride, intendedStartNs, sentNs);
    scheduleIndex += 1;
    sendsSinceYield += 1;
    if (sendsSinceYield >= SENDS_BETWEEN_YIELDS) {
      sendsSinceYield = 0;
      await bookkeeping.yieldToEventLoop();
    }
  }
  await bookkeeping.drain();
  const endNs = process.hrtime.bigint();
  const intervals = bookkeeping.finish();
  const recorder = bookkeeping.recorder;
  return {
    startEpochMs,
    durationSec: Number(endNs - startNs) / 1e9,
    intervalSec: bounds.intervalMs / 1000,
    schedule: { kind: 'open-loop', ratePerSecond: options.ratePerSecond, maxInFlight },
    workerCount: 1,
    sentCount: bookkeeping.sentCount,
    completedCount: bookkeeping.completedCount,
    errorCount: recorder.errorCount,
    timeoutCount: bookkeeping.timeoutCount,
    errorMessages: bookkeeping.errorMessages,
    intervals,
    corrected: recorder.correctedTotal,
    uncorrected: recorder.uncorrectedTotal,
    sendLag,
    generator: assessGenerator(
      sendLag,
      { sendCount: bookkeeping.sentCount, lateSendCount, lateSendsHeldByInFlightLimit },
      lagThresholdMs,
    ),
  };
}
