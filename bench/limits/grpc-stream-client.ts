/**
 * Child process: the client side of the raw gRPC limit. It spreads a closed loop over
 * `clientThreads` generator worker threads (src/loadgen), each with its own connections and
 * streams (grpc-stream-operation.ts), runs a short warm-up, then the measured run, and reports
 * the HDR summary of batch round trips together with its own CPU use and the run's wall-clock
 * window (so the parent can read the server's CPU use over the same window).
 */
import { fileURLToPath } from 'node:url';
import { runAsChildTask } from '../common/child-task.js';
import { coresBusyWithin, startCpuSampler } from '../common/cpu-usage.js';
import { runLoadInWorkers } from '../../src/loadgen/index.js';
import { summarizeRun, type LatencyStats } from '../../src/report/index.js';
import type { GrpcStreamOperationOptions } from './grpc-stream-operation.js';

export interface GrpcStreamClientInput {
  operation: GrpcStreamOperationOptions;
  clientThreads: number;
  warmupMs: number;
  durationMs: number;
  operationTimeoutMs: number;
}

export interface GrpcStreamClientResult {
  completedBatches: number;
  errorCount: number;
  errorMessages: string[];
  durationSec: number;
  batchesPerSecond: number;
  /** Batch round trip, write to receipt, in microseconds (closed loop: from the actual send). */
  roundTrip: LatencyStats;
  /**
   * Client process CPU seconds per wall second over the measured run (all threads), from 100 ms
   * samples; undefined when the run was too short for two samples.
   */
  clientCoresBusy: number | undefined;
  windowStartEpochMs: number;
  windowEndEpochMs: number;
}

const operationModule = fileURLToPath(new URL('./grpc-stream-operation.js', import.meta.url));

runAsChildTask<GrpcStreamClientInput, never, GrpcStreamClientResult>(async (input) => {
  const schedule = {
    kind: 'closed-loop' as const,
    concurrency: input.clientThreads * input.operation.connectionsPerThread * input.operation.streamsPerConnection * input.operation.batchesInFlightPerStream,
  };
  const common = {
    workerCount: input.clientThreads,
    operationModule,
    operationOptions: input.operation,
    schedule,
    operationTimeoutMs: input.operationTimeoutMs,
  };
  if (input.warmupMs > 0) await runLoadInWorkers({ ...common, durationMs: input.warmupMs });
  const cpu = startCpuSampler();
  const run = await runLoadInWorkers({ ...common, durationMs: input.durationMs, intervalMs: Math.min(1000, input.durationMs) });
  cpu.stop();
  const windowStartEpochMs = run.startEpochMs;
  const windowEndEpochMs = run.startEpochMs + run.durationSec * 1000;
  const summary = summarizeRun(run, { label: 'raw gRPC stream' });
  return {
    completedBatches: summary.completedCount,
    errorCount: summary.errorCount ?? 0,
    errorMessages: [...summary.errorMessages],
    durationSec: summary.durationSec,
    batchesPerSecond: summary.throughputPerSec,
    roundTrip: summary.uncorrected ?? summary.corrected,
    clientCoresBusy: coresBusyWithin(cpu.samples, windowStartEpochMs, windowEndEpochMs),
    windowStartEpochMs,
    windowEndEpochMs,
  };
});
