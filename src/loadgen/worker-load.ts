import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { AurigraphError, invalidArgument } from '../errors.js';
import { assessGenerator } from './generator-health.js';
import { createLatencyHistogram, decodeHistogram, encodeHistogram, sumEncodedHistograms } from './latency-histogram.js';
import { DEFAULT_LAG_THRESHOLD_MS, DEFAULT_MAX_IN_FLIGHT } from './open-loop.js';
import type { EncodedInterval, LoadRunResult } from './run-result.js';
import { DEFAULT_INTERVAL_MS, DEFAULT_OPERATION_TIMEOUT_MS, positiveInteger, resolveBounds } from './schedule-options.js';
import type { StartMessage, WorkerMessage, WorkerOutcome, WorkerPlan } from './worker-protocol.js';

export type WorkerSchedule =
  | {
      readonly kind: 'open-loop';
      /** Total rate across all workers; each sends every workerCount-th request of one schedule. */
      readonly ratePerSecond: number;
      readonly maxInFlightPerWorker?: number;
      readonly lagThresholdMs?: number;
    }
  | {
      readonly kind: 'closed-loop';
      /** Total operations in flight, split across the workers. */
      readonly concurrency: number;
    };

export interface WorkerLoadOptions {
  readonly workerCount: number;
  /** Path or file URL of a module exporting `createOperation(options)` (see OperationModule). */
  readonly operationModule: string | URL;
  /** Passed to createOperation in every worker (structured-cloned). */
  readonly operationOptions?: unknown;
  readonly schedule: WorkerSchedule;
  readonly durationMs?: number;
  readonly count?: number;
  readonly intervalMs?: number;
  readonly operationTimeoutMs?: number;
  /** Bound on loading the module and creating the operation in the workers; 30000 by default. */
  readonly startupTimeoutMs?: number;
  /** Merged intervals, in order, as soon as every worker has reported them. */
  readonly onInterval?: (interval: EncodedInterval) => void;
}

/** Time between the go signal and the shared start, so that every worker begins on time. */
const START_LEAD_NS = 50_000_000n;
const DEFAULT_STARTUP_TIMEOUT_MS = 30_000;

function moduleUrl(operationModule: string | URL): string {
  if (operationModule instanceof URL) return operationModule.href;
  if (operationModule.startsWith('file:')) return operationModule;
  if (!path.isAbsolute(operationModule)) {
    throw invalidArgument('operationModule', `must be an absolute path or a file URL, got '${operationModule}'`);
  }
  return pathToFileURL(operationModule).href;
}

/** How many of indexes 0..count-1 fall to the worker with this offset (every stride-th). */
function shareOfCount(count: number, offset: number, stride: number): number {
  return Math.ceil((count - offset) / stride);
}

function plansFor(options: WorkerLoadOptions, workerCount: number): WorkerPlan[] {
  const bounds = resolveBounds({ ...options, indexOffset: 0, indexStride: 1 });
  if (bounds.count !== undefined && bounds.count < workerCount) {
    throw invalidArgument('count', `must be at least workerCount (${workerCount}) so every worker has work, got ${bounds.count}`);
  }
  const operationModuleUrl = moduleUrl(options.operationModule);
  const schedule = options.schedule;
  if (schedule.kind === 'open-loop' && (!Number.isFinite(schedule.ratePerSecond) || schedule.ratePerSecond <= 0)) {
    throw invalidArgument('schedule.ratePerSecond', `must be a positive number, got ${schedule.ratePerSecond}`);
  }
  if (schedule.kind === 'closed-loop' && positiveInteger('schedule.concurrency', schedule.concurrency) < workerCount) {
    throw invalidArgument('schedule.concurrency', `must be at least workerCount (${workerCount}), got ${schedule.concurrency}`);
  }
  return Array.from({ length: workerCount }, (_, worker): WorkerPlan => ({
    operationModuleUrl,
    operationOptions: options.operationOptions,
    schedule:
      schedule.kind === 'open-loop'
        ? {
            kind: 'open-loop',
            ratePerSecond: schedule.ratePerSecond / workerCount,
            maxInFlight: positiveInteger('schedule.maxInFlightPerWorker', schedule.maxInFlightPerWorker, DEFAULT_MAX_IN_FLIGHT),
            lagThresholdMs: schedule.lagThresholdMs ?? DEFAULT_LAG_THRESHOLD_MS,
            scheduleOffsetNs: BigInt(Math.round((worker * 1e9) / schedule.ratePerSecond)).toString(),
          }
        : {
            kind: 'closed-loop',
            concurrency: Math.floor(schedule.concurrency / workerCount) + (worker < schedule.concurrency % workerCount ? 1 : 0),
          },
    durationMs: bounds.durationMs,
    count: bounds.count === undefined ? undefined : shareOfCount(bounds.count, worker, workerCount),
    intervalMs: options.intervalMs ?? DEFAULT_INTERVAL_MS,
    operationTimeoutMs: options.operationTimeoutMs ?? DEFAULT_OPERATION_TIMEOUT_MS,
    indexOffset: worker,
    indexStride: workerCount,
  }));
}

/** Sums the same-index intervals of several workers into one. */
export function mergeIntervals(sameIndex: readonly EncodedInterval[]): EncodedInterval {
  const first = sameIndex[0];
  if (first === undefined) throw invalidArgument('intervals', 'cannot merge an empty set of intervals');
  for (const interval of sameIndex) {
    if (interval.index !== first.index) {
      throw invalidArgument('intervals', `cannot merge interval ${interval.index} with interval ${first.index}`);
    }
  }
  const corrected = sumEncodedHistograms(sameIndex.map((interval) => interval.correctedBase64), `intervals[${first.index}].corrected`);
  const uncorrected = sumEncodedHistograms(sameIndex.map((interval) => interval.uncorrectedBase64), `intervals[${first.index}].uncorrected`);
  return {
    index: first.index,
    startSec: first.startSec,
    lengthSec: Math.max(...sameIndex.map((interval) => interval.lengthSec)),
    completedCount: corrected.totalCount,
    errorCount: sameIndex.reduce((sum, interval) => sum + interval.errorCount, 0),
    correctedMaxUs: Math.max(...sameIndex.map((interval) => interval.correctedMaxUs)),
    uncorrectedMaxUs: Math.max(...sameIndex.map((interval) => interval.uncorrectedMaxUs)),
    correctedBase64: encodeHistogram(corrected),
    uncorrectedBase64: encodeHistogram(uncorrected),
  };
}

/**
 * Merges the interval streams of several workers index by index. Intervals are aligned to the
 * shared run start, so index k of every worker covers the same time; a worker that finished early
 * simply contributes nothing to later indexes.
 */
export class IntervalMerger {
  private readonly byIndex = new Map<number, EncodedInterval[]>();
  private readonly reportedUpTo: number[];
  private readonly finished: boolean[];
  private nextToEmit = 0;
  readonly merged: EncodedInterval[] = [];

  constructor(
    workerCount: number,
    private readonly onInterval: ((interval: EncodedInterval) => void) | undefined,
  ) {
    this.reportedUpTo = new Array<number>(workerCount).fill(-1);
    this.finished = new Array<boolean>(workerCount).fill(false);
  }

  add(worker: number, interval: EncodedInterval): void {
    const list = this.byIndex.get(interval.index) ?? [];
    list.push(interval);
    this.byIndex.set(interval.index, list);
    this.reportedUpTo[worker] = interval.index;
    this.emitReady();
  }

  finish(worker: number): void {
    this.finished[worker] = true;
    this.emitReady();
  }

  private emitReady(): void {
    for (;;) {
      const index = this.nextToEmit;
      const everyoneReported = this.reportedUpTo.every((upTo, worker) => upTo >= index || this.finished[worker]);
      const sameIndex = this.byIndex.get(index);
      if (!everyoneReported || sameIndex === undefined) return;
      this.byIndex.delete(index);
      const interval = mergeIntervals(sameIndex);
      this.merged.push(interval);
      this.nextToEmit += 1;
      this.onInterval?.(interval);
    }
  }
}

interface RunningWorker {
  readonly worker: Worker;
  readonly ready: Promise<void>;
  readonly outcome: Promise<WorkerOutcome>;
}

function startWorker(plan: WorkerPlan, workerIndex: number, merger: IntervalMerger): RunningWorker {
  const worker = new Worker(new URL('./generator-worker.js', import.meta.url), { workerData: plan });
  let markReady: () => void = () => undefined;
  let failReady: (error: Error) => void = () => undefined;
  const ready = new Promise<void>((resolve, reject) => {
    markReady = resolve;
    failReady = reject;
  });
  const outcome = new Promise<WorkerOutcome>((resolve, reject) => {
    const fail = (error: Error) => {
      failReady(error);
      reject(error);
    };
    worker.on('message', (message: WorkerMessage) => {
      if (message.type === 'ready') markReady();
      else if (message.type === 'interval') merger.add(workerIndex, message.interval);
      else if (message.type === 'done') {
        merger.finish(workerIndex);
        resolve(message.outcome);
      } else {
        fail(new AurigraphError('failed_precondition', `generator worker ${workerIndex}: ${message.message}`, 'operationModule'));
      }
    });
    worker.on('error', (error) => fail(error));
    worker.on('exit', (code) => fail(new Error(`generator worker ${workerIndex} exited (code ${code}) before reporting its result`)));
  });
  // Failures surface through `ready` or `outcome`, whichever the caller is waiting on.
  outcome.catch(() => undefined);
  ready.catch(() => undefined);
  return { worker, ready, outcome };
}

function withTimeout<T>(promise: Promise<T>, timeoutMs: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new AurigraphError('unavailable', message)), timeoutMs);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Runs one schedule spread over several generator worker threads, for rates one thread cannot
 * sustain. Workers share a start instant on the process-wide hrtime clock; their interval
 * histograms come back encoded and are decoded and summed here.
 */
export async function runLoadInWorkers(options: WorkerLoadOptions): Promise<LoadRunResult> {
  const workerCount = positiveInteger('workerCount', options.workerCount);
  const plans = plansFor(options, workerCount);
  const startupTimeoutMs = positiveInteger('startupTimeoutMs', options.startupTimeoutMs, DEFAULT_STARTUP_TIMEOUT_MS);
  const merger = new IntervalMerger(workerCount, options.onInterval);
  const running = plans.map((plan, index) => startWorker(plan, index, merger));
  try {
    await withTimeout(
      Promise.all(running.map((entry) => entry.ready)),
      startupTimeoutMs,
      `generator workers did not load operationModule within startupTimeoutMs (${startupTimeoutMs} ms)`,
    );
    const startNs = process.hrtime.bigint() + START_LEAD_NS;
    const start: StartMessage = { type: 'start', startNs: startNs.toString(), startEpochMs: Date.now() + Number(START_LEAD_NS / 1_000_000n) };
    for (const entry of running) entry.worker.postMessage(start);
    const outcomes = await Promise.all(running.map((entry) => entry.outcome));
    return combine(outcomes, merger.merged, options, startNs, start.startEpochMs, workerCount);
  } finally {
    await Promise.all(running.map((entry) => entry.worker.terminate()));
  }
}

function combine(
  outcomes: readonly WorkerOutcome[],
  intervals: readonly EncodedInterval[],
  options: WorkerLoadOptions,
  startNs: bigint,
  startEpochMs: number,
  workerCount: number,
): LoadRunResult {
  const sum = (pick: (outcome: WorkerOutcome) => number) => outcomes.reduce((total, outcome) => total + pick(outcome), 0);
  const endNs = outcomes.reduce((latest, outcome) => (BigInt(outcome.endNs) > latest ? BigInt(outcome.endNs) : latest), startNs);
  const corrected = createLatencyHistogram();
  corrected.add(sumEncodedHistograms(outcomes.map((outcome) => outcome.correctedBase64), 'workers.corrected'));
  const uncorrected = createLatencyHistogram();
  uncorrected.add(sumEncodedHistograms(outcomes.map((outcome) => outcome.uncorrectedBase64), 'workers.uncorrected'));
  const errorMessages = [...new Set(outcomes.flatMap((outcome) => outcome.errorMessages))].slice(0, 5);
  const schedule = options.schedule;
  let sendLag = null;
  let generator = null;
  if (schedule.kind === 'open-loop') {
    sendLag = createLatencyHistogram();
    for (const [position, outcome] of outcomes.entries()) {
      if (outcome.sendLagBase64 !== null) sendLag.add(decodeHistogram(outcome.sendLagBase64, `workers[${position}].sendLag`));
    }
    generator = assessGenerator(
      sendLag,
      { sendCount: sum((outcome) => outcome.sentCount), lateSendCount: sum((outcome) => outcome.lateSendCount), lateSendsHeldByInFlightLimit: sum((outcome) => outcome.lateSendsHeldByInFlightLimit) },
      schedule.lagThresholdMs ?? DEFAULT_LAG_THRESHOLD_MS,
    );
  }
  return {
    startEpochMs,
    durationSec: Number(endNs - startNs) / 1e9,
    intervalSec: (options.intervalMs ?? DEFAULT_INTERVAL_MS) / 1000,
    schedule:
      schedule.kind === 'open-loop'
        ? { kind: 'open-loop', ratePerSecond: schedule.ratePerSecond, maxInFlight: (schedule.maxInFlightPerWorker ?? DEFAULT_MAX_IN_FLIGHT) * workerCount }
        : { kind: 'closed-loop', concurrency: schedule.concurrency },
    workerCount,
    sentCount: sum((outcome) => outcome.sentCount),
    completedCount: sum((outcome) => outcome.completedCount),
    errorCount: sum((outcome) => outcome.errorCount),
    timeoutCount: sum((outcome) => outcome.timeoutCount),
    errorMessages,
    intervals,
    corrected,
    uncorrected,
    sendLag,
    generator,
  };
}
