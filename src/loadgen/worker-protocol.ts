import type { EncodedInterval, ScheduleDescription } from './run-result.js';

/** What one generator worker runs: its share of the schedule. */
export interface WorkerPlan {
  readonly operationModuleUrl: string;
  readonly operationOptions: unknown;
  readonly schedule:
    | { readonly kind: 'open-loop'; readonly ratePerSecond: number; readonly maxInFlight: number; readonly lagThresholdMs: number; readonly scheduleOffsetNs: string }
    | { readonly kind: 'closed-loop'; readonly concurrency: number };
  readonly durationMs: number | undefined;
  readonly count: number | undefined;
  readonly intervalMs: number;
  readonly operationTimeoutMs: number;
  readonly indexOffset: number;
  readonly indexStride: number;
}

/** The main thread's go signal: bigints travel as decimal strings. */
export interface StartMessage {
  readonly type: 'start';
  readonly startNs: string;
  readonly startEpochMs: number;
}

/** A worker's totals, histograms encoded for the trip to the main thread. */
export interface WorkerOutcome {
  readonly endNs: string;
  readonly schedule: ScheduleDescription;
  readonly sentCount: number;
  readonly completedCount: number;
  readonly errorCount: number;
  readonly timeoutCount: number;
  readonly errorMessages: readonly string[];
  readonly correctedBase64: string;
  readonly uncorrectedBase64: string;
  readonly sendLagBase64: string | null;
  readonly lateSendCount: number;
  readonly lateSendsHeldByInFlightLimit: number;
}

export type WorkerMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'interval'; readonly interval: EncodedInterval }
  | { readonly type: 'done'; readonly outcome: WorkerOutcome }
  | { readonly type: 'failed'; readonly message: string };
