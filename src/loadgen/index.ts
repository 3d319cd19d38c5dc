/**
 * Load generation for benchmarks, soak runs and operators' measurements: drives a pluggable
 * operation on a closed-loop or open-loop schedule, in this thread or in worker threads, and
 * records HdrHistogram latencies corrected for coordinated omission.
 */
export { runOpenLoop, DEFAULT_LAG_THRESHOLD_MS, DEFAULT_MAX_IN_FLIGHT, type OpenLoopOptions } from './open-loop.js';
export { runClosedLoop, type ClosedLoopOptions } from './closed-loop.js';
export { runLoadInWorkers, mergeIntervals, IntervalMerger, type WorkerLoadOptions, type WorkerSchedule } from './worker-load.js';
export { LatencyRecorder, type LatencyRecorderOptions, type OperationTiming } from './latency-recorder.js';
export { OperationTimeoutError } from './run-bookkeeping.js';
export { DEFAULT_INTERVAL_MS, DEFAULT_OPERATION_TIMEOUT_MS, type RunBounds } from './schedule-options.js';
export { startProcessResourceSampler, type ResourceSample, type ResourceSampler } from './resource-sampler.js';
export type { Operation, OperationHandle, OperationModule, OperationRequest } from './operation.js';
export type { EncodedInterval, GeneratorHealth, LoadRunResult, ScheduleDescription } from './run-result.js';
export {
  LATENCY_HIGHEST_TRACKABLE_US,
  LATENCY_LOWEST_DISCERNIBLE_US,
  LATENCY_SIGNIFICANT_DIGITS,
  LATENCY_VALUE_UNIT,
  createLatencyHistogram,
  decodeHistogram,
  encodeHistogram,
  sumEncodedHistograms,
  sumHistograms,
  type Histogram,
} from './latency-histogram.js';
