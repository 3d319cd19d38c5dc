import type { Histogram } from './latency-histogram.js';

/**
 * One closed interval of a run, with its histograms in HdrHistogram's compressed base64 form so
 * that it can cross a thread boundary, be kept for hours of intervals, and be written to a log.
 */
export interface EncodedInterval {
  /** 0-based; interval k covers [k * intervalSec, k * intervalSec + lengthSec) after the run start. */
  readonly index: number;
  readonly startSec: number;
  readonly lengthSec: number;
  /** Operations that completed successfully in this interval (the histograms' total count). */
  readonly completedCount: number;
  readonly errorCount: number;
  /** Largest latencies of the interval in microseconds (0 when nothing completed). */
  readonly correctedMaxUs: number;
  readonly uncorrectedMaxUs: number;
  /** Latency from the intended start (the schedule) to completion, in microseconds. */
  readonly correctedBase64: string;
  /** Latency from the actual send to completion, in microseconds. */
  readonly uncorrectedBase64: string;
}

export type ScheduleDescription =
  | { readonly kind: 'open-loop'; readonly ratePerSecond: number; readonly maxInFlight: number }
  | { readonly kind: 'closed-loop'; readonly concurrency: number };

/** Whether the generator kept to its schedule (open loop only). */
export interface GeneratorHealth {
  readonly lagThresholdMs: number;
  readonly sendCount: number;
  /** Sends whose lag behind their intended start exceeded the threshold. */
  readonly lateSendCount: number;
  /** Of those, the ones that waited because `maxInFlight` requests were outstanding. */
  readonly lateSendsHeldByInFlightLimit: number;
  readonly sendLagP99Us: number;
  readonly sendLagMaxUs: number;
  /** True when the 99th percentile send lag exceeds the threshold: the schedule was not kept. */
  readonly cannotKeepUp: boolean;
  /**
   * Why, when it could not keep up: 'in-flight-limit' when most late sends waited for a free slot
   * (the system under test answered too slowly for the limit), 'generator-busy' when the
   * generator's own thread was too busy to send on time (the generator is the bottleneck).
   */
  readonly reason: 'none' | 'in-flight-limit' | 'generator-busy';
}

export interface LoadRunResult {
  /** Wall-clock time of the run start, for the log header; all other times are relative to it. */
  readonly startEpochMs: number;
  readonly durationSec: number;
  readonly intervalSec: number;
  readonly schedule: ScheduleDescription;
  readonly workerCount: number;
  readonly sentCount: number;
  readonly completedCount: number;
  /** Operations that failed, including those that timed out. */
  readonly errorCount: number;
  readonly timeoutCount: number;
  /** Up to a few distinct error messages, so a failing run says why. */
  readonly errorMessages: readonly string[];
  readonly intervals: readonly EncodedInterval[];
  /** Cumulative histograms over the whole run, in microseconds. */
  readonly corrected: Histogram;
  readonly uncorrected: Histogram;
  /** Send lag behind the schedule in microseconds (open loop only). */
  readonly sendLag: Histogram | null;
  readonly generator: GeneratorHealth | null;
}
