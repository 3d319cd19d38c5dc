import { invalidArgument } from '../errors.js';
import type { EncodedInterval } from './run-result.js';

/** Options both schedulers take. A run must be bounded by a duration, a count, or both. */
export interface RunBounds {
  /** Stop starting operations after this long (the run then waits for those in flight). */
  readonly durationMs?: number;
  /** Stop after starting this many operations. */
  readonly count?: number;
  /** Length of a reporting interval; 1000 by default. */
  readonly intervalMs?: number;
  /** An operation not complete after this long counts as an error (timeout); 30000 by default. */
  readonly operationTimeoutMs?: number;
  /** Stops the run early; operations in flight get their signals aborted. */
  readonly signal?: AbortSignal;
  readonly onInterval?: (interval: EncodedInterval) => void;
  /** Shared run start, on the process-wide hrtime clock, for generator workers; now by default. */
  readonly startNs?: bigint;
  readonly startEpochMs?: number;
  /**
   * For generator workers: this generator's request indexes are indexOffset, indexOffset +
   * indexStride, ... so that several workers together cover 0, 1, 2, ... exactly once.
   */
  readonly indexOffset?: number;
  readonly indexStride?: number;
}

export interface ResolvedBounds {
  readonly durationMs: number | undefined;
  readonly count: number | undefined;
  readonly intervalMs: number;
  readonly operationTimeoutMs: number;
  readonly indexOffset: number;
  readonly indexStride: number;
}

export const DEFAULT_INTERVAL_MS = 1000;
export const DEFAULT_OPERATION_TIMEOUT_MS = 30_000;

export function positiveInteger(field: string, value: number | undefined, fallback?: number): number {
  const resolved = value ?? fallback;
  if (resolved === undefined || !Number.isInteger(resolved) || resolved <= 0) {
    throw invalidArgument(field, `must be a positive whole number, got ${String(value)}`);
  }
  return resolved;
}

export function resolveBounds(options: RunBounds): ResolvedBounds {
  if (options.durationMs === undefined && options.count === undefined) {
    throw invalidArgument('durationMs', 'a run needs a bound: give durationMs, count, or both');
  }
  const indexOffset = options.indexOffset ?? 0;
  if (!Number.isInteger(indexOffset) || indexOffset < 0) {
    throw invalidArgument('indexOffset', `must be a whole number >= 0, got ${indexOffset}`);
  }
  return {
    durationMs: options.durationMs === undefined ? undefined : positiveInteger('durationMs', options.durationMs),
    count: options.count === undefined ? undefined : positiveInteger('count', options.count),
    intervalMs: positiveInteger('intervalMs', options.intervalMs, DEFAULT_INTERVAL_MS),
    operationTimeoutMs: positiveInteger('operationTimeoutMs', options.operationTimeoutMs, DEFAULT_OPERATION_TIMEOUT_MS),
    indexOffset,
    indexStride: positiveInteger('indexStride', options.indexStride, 1),
  };
}
