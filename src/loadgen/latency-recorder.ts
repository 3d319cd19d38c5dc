import { assert, invalidArgument } from '../errors.js';
import {
  createLatencyHistogram,
  encodeHistogram,
  nanosecondsToRecordableMicroseconds,
  recordableMicroseconds,
  type Histogram,
} from './latency-histogram.js';
import type { EncodedInterval } from './run-result.js';

export interface OperationTiming {
  /** When the schedule said the operation should start. */
  readonly intendedStartNs: bigint;
  /** When the generator actually started it (>= intended when the generator fell behind). */
  readonly sentNs: bigint;
  readonly completedNs: bigint;
}

export interface LatencyRecorderOptions {
  /** Run start on the `process.hrtime.bigint()` clock, which all threads of the process share. */
  readonly startNs: bigint;
  readonly intervalMs: number;
  /** Called with each interval as it closes, in order (for live progress or a streaming log). */
  readonly onInterval?: (interval: EncodedInterval) => void;
}

/**
 * Records latencies into a per-interval histogram and a cumulative one, twice over: CORRECTED
 * latency counts from the operation's intended start (the schedule), which is the standard
 * correction for coordinated omission: a stall delays every request that should have been sent
 * during it, not only the ones already in flight. UNCORRECTED latency counts from the actual
 * send and is kept for comparison; the gap between the two shows how much a naive generator would
 * have hidden.
 *
 * An operation lands in the interval in which it completed. Intervals are aligned to the run
 * start, so the intervals of several generator workers sharing one start line up index by index.
 * Failed operations are counted per interval; their latencies are not mixed into the histograms.
 */
export class LatencyRecorder {
  readonly startNs: bigint;
  readonly intervalNs: bigint;
  readonly correctedTotal: Histogram = createLatencyHistogram();
  readonly uncorrectedTotal: Histogram = createLatencyHistogram();
  private readonly intervalCorrected: Histogram = createLatencyHistogram();
  private readonly intervalUncorrected: Histogram = createLatencyHistogram();
  private readonly closedIntervals: EncodedInterval[] = [];
  private readonly onInterval: ((interval: EncodedInterval) => void) | undefined;
  private currentIndex = 0;
  private intervalErrorCount = 0;
  private totalErrorCount = 0;
  private finished = false;

  constructor(options: LatencyRecorderOptions) {
    if (!Number.isInteger(options.intervalMs) || options.intervalMs <= 0) {
      throw invalidArgument('intervalMs', `must be a positive whole number of milliseconds, got ${options.intervalMs}`);
    }
    this.startNs = options.startNs;
    this.intervalNs = BigInt(options.intervalMs) * 1_000_000n;
    this.onInterval = options.onInterval;
  }

  get errorCount(): number {
    return this.totalErrorCount;
  }

  get intervals(): readonly EncodedInterval[] {
    return this.closedIntervals;
  }

  /** Intended-start correction: the way open-loop runs record. */
  recordOperation(timing: OperationTiming): void {
    assert(timing.sentNs >= timing.intendedStartNs, 'an operation is never sent before its intended start');
    assert(timing.completedNs >= timing.sentNs, 'an operation completes after it was sent');
    this.moveTo(timing.completedNs);
    this.record(
      nanosecondsToRecordableMicroseconds(timing.completedNs - timing.intendedStartNs),
      nanosecondsToRecordableMicroseconds(timing.completedNs - timing.sentNs),
    );
  }

  /** A latency with no schedule behind it (closed loop): corrected and uncorrected are equal. */
  recordValue(latencyUs: number, atNs: bigint = process.hrtime.bigint()): void {
    const value = recordableMicroseconds(latencyUs);
    this.moveTo(atNs);
    this.record(value, value);
  }

  /**
   * For callers that know only the latency and the expected interval between samples:
   * HdrHistogram's at-recording correction back-fills the samples a stall must have hidden.
   * Prefer `recordOperation` when the intended start is known; the two must not be mixed in a run.
   */
  recordCorrectedValue(latencyUs: number, expectedIntervalBetweenValueSamplesUs: number, atNs: bigint = process.hrtime.bigint()): void {
    const value = recordableMicroseconds(latencyUs);
    const expectedIntervalUs = recordableMicroseconds(expectedIntervalBetweenValueSamplesUs);
    this.moveTo(atNs);
    this.intervalCorrected.recordValueWithExpectedInterval(value, expectedIntervalUs);
    this.correctedTotal.recordValueWithExpectedInterval(value, expectedIntervalUs);
    this.intervalUncorrected.recordValue(value);
    this.uncorrectedTotal.recordValue(value);
  }

  recordError(atNs: bigint = process.hrtime.bigint()): void {
    this.moveTo(atNs);
    this.intervalErrorCount += 1;
    this.totalErrorCount += 1;
  }

  /** Closes every interval that ended at or before `nowNs`, so quiet intervals are still emitted. */
  rollTo(nowNs: bigint): void {
    this.moveTo(nowNs);
  }

  /** Closes the last, possibly partial, interval at `endNs`; the recorder takes nothing after. */
  finish(endNs: bigint): readonly EncodedInterval[] {
    this.moveTo(endNs);
    const currentStartNs = this.startNs + BigInt(this.currentIndex) * this.intervalNs;
    const partialNs = endNs > currentStartNs ? endNs - currentStartNs : 0n;
    const hasData = this.intervalCorrected.totalCount > 0 || this.intervalErrorCount > 0;
    if (partialNs > 0n || hasData) this.closeCurrent(Number(partialNs) / 1e9);
    this.finished = true;
    return this.closedIntervals;
  }

  private record(correctedUs: number, uncorrectedUs: number): void {
    this.intervalCorrected.recordValue(correctedUs);
    this.correctedTotal.recordValue(correctedUs);
    this.intervalUncorrected.recordValue(uncorrectedUs);
    this.uncorrectedTotal.recordValue(uncorrectedUs);
  }

  private moveTo(atNs: bigint): void {
    assert(!this.finished, 'a finished recorder records nothing more');
    // An event stamped before the start (a clock read just before it) belongs to interval 0; one
    // stamped inside an interval already closed stays in the current one rather than rewriting.
    const elapsedNs = atNs > this.startNs ? atNs - this.startNs : 0n;
    const index = Number(elapsedNs / this.intervalNs);
    while (this.currentIndex < index) this.closeCurrent(Number(this.intervalNs) / 1e9);
  }

  private closeCurrent(lengthSec: number): void {
    const interval: EncodedInterval = {
      index: this.currentIndex,
      startSec: (this.currentIndex * Number(this.intervalNs)) / 1e9,
      lengthSec,
      completedCount: this.intervalCorrected.totalCount,
      errorCount: this.intervalErrorCount,
      correctedMaxUs: this.intervalCorrected.maxValue,
      uncorrectedMaxUs: this.intervalUncorrected.maxValue,
      correctedBase64: encodeHistogram(this.intervalCorrected),
      uncorrectedBase64: encodeHistogram(this.intervalUncorrected),
    };
    this.intervalCorrected.reset();
    this.intervalUncorrected.reset();
    this.intervalErrorCount = 0;
    this.currentIndex += 1;
    this.closedIntervals.push(interval);
    this.onInterval?.(interval);
  }
}
