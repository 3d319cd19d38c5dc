/**
 * Drives prepared transfer batches over a StreamPool on a closed-loop or open-loop schedule
 * (src/loadgen's schedulers), one run segment at a time. A segment's latency is per batch, from
 * its intended start (open loop) or its send (closed loop) until its last receipt arrived: every
 * transaction of a batch shares its batch's receipt latency.
 *
 *   closed loop   each stream keeps `batchesInFlightPerStream` batches in flight: one scheduler
 *                 per stream, sharing a start instant; their intervals are merged by index.
 *   open loop     one schedule of transactionsPerSecond / batchSize batches per second; batch i
 *                 goes to stream i mod streamCount, so every stream sends its batches in order.
 *
 * Besides the schedulers' own health (GeneratorHealth, open loop), the segment reports how busy
 * this thread's event loop was: a generator whose thread is saturated measures itself.
 */
import { performance } from 'node:perf_hooks';
import { invalidArgument } from '../../errors.js';
import { runClosedLoop } from '../closed-loop.js';
import { createLatencyHistogram } from '../latency-histogram.js';
import { runOpenLoop } from '../open-loop.js';
import type { Operation } from '../operation.js';
import type { EncodedInterval, LoadRunResult } from '../run-result.js';
import { IntervalMerger } from '../worker-load.js';
import type { BatchSource } from './prepared-workload.js';
import type { StreamPool } from './stream-pool.js';

export type TransferSchedule =
  | { readonly kind: 'closed-loop'; readonly batchesInFlightPerStream: number }
  | { readonly kind: 'open-loop'; readonly transactionsPerSecond: number; readonly maxInFlightBatches?: number; readonly lagThresholdMs?: number };

export interface TransferSegmentOptions {
  readonly pool: StreamPool;
  readonly source: BatchSource;
  /** Transactions per batch (the plan's), to turn transactions/s into batches/s. */
  readonly batchSize: number;
  readonly schedule: TransferSchedule;
  readonly durationMs: number;
  readonly intervalMs?: number;
  readonly operationTimeoutMs?: number;
  /** Per stream, the first batch number this segment sends; 0 for every stream by default. */
  readonly firstBatchNumbers?: readonly number[];
  readonly onInterval?: (interval: EncodedInterval) => void;
  readonly signal?: AbortSignal;
}

export interface TransferSegmentResult {
  readonly run: LoadRunResult;
  /** Per stream, the batch number the next segment starts from. */
  readonly nextBatchNumbers: number[];
  /** True when some stream ran out of prepared batches before the duration was over. */
  readonly sourceExhausted: boolean;
  /** Share of the segment this thread's event loop was busy (0..1). */
  readonly generatorEventLoopUtilization: number;
  /** CPU seconds per wall second of this whole process during the segment. */
  readonly generatorProcessCores: number;
}

/** Above this event-loop utilisation the generator's own thread limits what it measures. */
export const GENERATOR_BUSY_UTILIZATION = 0.9;

function operationFor(options: TransferSegmentOptions, coordinatesOf: (index: number) => { stream: number; batchNumber: number }): Operation {
  const { pool, source } = options;
  return ({ index, signal }) => {
    const { stream, batchNumber } = coordinatesOf(index);
    const taken = source.take(stream, batchNumber);
    // A prepared batch is written synchronously, so a stream's batches leave in index order.
    if (taken instanceof Promise) return taken.then((batch) => pool.send(stream, batchNumber, batch, signal));
    return pool.send(stream, batchNumber, taken, signal);
  };
}

export async function runTransferSegment(options: TransferSegmentOptions): Promise<TransferSegmentResult> {
  const streamCount = options.pool.streamCount;
  if (options.source.streamCount !== streamCount) {
    throw invalidArgument('source', `prepares ${options.source.streamCount} streams, the pool has ${streamCount}`);
  }
  const first = options.firstBatchNumbers ?? new Array<number>(streamCount).fill(0);
  if (first.length !== streamCount) throw invalidArgument('firstBatchNumbers', `must hold one number per stream (${streamCount})`);
  const cpuBefore = process.cpuUsage();
  const utilizationBefore = performance.eventLoopUtilization();
  const wallBefore = performance.now();
  const common = {
    durationMs: options.durationMs,
    intervalMs: options.intervalMs,
    operationTimeoutMs: options.operationTimeoutMs,
    signal: options.signal,
  };
  let run: LoadRunResult;
  let nextBatchNumbers: number[];
  let sourceExhausted = false;
  if (options.schedule.kind === 'open-loop') {
    const schedule = options.schedule;
    if (!Number.isFinite(schedule.transactionsPerSecond) || schedule.transactionsPerSecond <= 0) {
      throw invalidArgument('transactionsPerSecond', `must be a positive rate, got ${schedule.transactionsPerSecond}`);
    }
    const available = Math.min(...first.map((number) => options.source.endBatchNumber - number));
    const count = Number.isFinite(available) ? available * streamCount : undefined;
    run = await runOpenLoop(
      operationFor(options, (index) => ({ stream: index % streamCount, batchNumber: first[index % streamCount]! + Math.floor(index / streamCount) })),
      {
        ...common,
        ...(count === undefined ? {} : { count }),
        ratePerSecond: schedule.transactionsPerSecond / options.batchSize,
        ...(schedule.maxInFlightBatches === undefined ? {} : { maxInFlight: schedule.maxInFlightBatches }),
        ...(schedule.lagThresholdMs === undefined ? {} : { lagThresholdMs: schedule.lagThresholdMs }),
        onInterval: options.onInterval,
      },
    );
    sourceExhausted = count !== undefined && run.sentCount >= count;
    nextBatchNumbers = first.map((number, stream) => number + Math.floor(run.sentCount / streamCount) + (stream < run.sentCount % streamCount ? 1 : 0));
  } else {
    const perStream = options.schedule.batchesInFlightPerStream;
    const merger = new IntervalMerger(streamCount, options.onInterval);
    const startNs = process.hrtime.bigint();
    const startEpochMs = Date.now();
    const runs = await Promise.all(
      first.map(async (number, stream) => {
        const available = options.source.endBatchNumber - number;
        const result = await runClosedLoop(
          operationFor(options, (index) => ({ stream, batchNumber: number + index })),
          {
            ...common,
            ...(Number.isFinite(available) ? { count: available } : {}),
            concurrency: perStream,
            startNs,
            startEpochMs,
            onInterval: (interval) => merger.add(stream, interval),
          },
        );
        merger.finish(stream);
        if (Number.isFinite(available) && result.sentCount >= available) sourceExhausted = true;
        return result;
      }),
    );
    nextBatchNumbers = first.map((number, stream) => number + runs[stream]!.sentCount);
    run = combineClosedLoopRuns(runs, merger.merged, startEpochMs, streamCount * perStream);
  }
  const cpu = process.cpuUsage(cpuBefore);
  const utilization = performance.eventLoopUtilization(utilizationBefore);
  const wallSeconds = (performance.now() - wallBefore) / 1000;
  return {
    run,
    nextBatchNumbers,
    sourceExhausted,
    generatorEventLoopUtilization: utilization.utilization,
    generatorProcessCores: wallSeconds > 0 ? (cpu.user + cpu.system) / 1e6 / wallSeconds : 0,
  };
}

/** One LoadRunResult from the per-stream closed loops of a segment (they share a start). */
function combineClosedLoopRuns(runs: readonly LoadRunResult[], intervals: readonly EncodedInterval[], startEpochMs: number, concurrency: number): LoadRunResult {
  const corrected = createLatencyHistogram();
  const uncorrected = createLatencyHistogram();
  for (const run of runs) {
    corrected.add(run.corrected);
    uncorrected.add(run.uncorrected);
  }
  const sum = (pick: (run: LoadRunResult) => number) => runs.reduce((total, run) => total + pick(run), 0);
  return {
    startEpochMs,
    durationSec: Math.max(...runs.map((run) => run.durationSec)),
    intervalSec: runs[0]!.intervalSec,
    schedule: { kind: 'closed-loop', concurrency },
    workerCount: 1,
    sentCount: sum((run) => run.sentCount),
    completedCount: sum((run) => run.completedCount),
    errorCount: sum((run) => run.errorCount),
    timeoutCount: sum((run) => run.timeoutCount),
    errorMessages: [...new Set(runs.flatMap((run) => run.errorMessages))].slice(0, 5),
    intervals,
    corrected,
    uncorrected,
    sendLag: null,
    generator: null,
  };
}
