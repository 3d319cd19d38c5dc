import type { Operation } from './operation.js';
import { RunBookkeeping } from './run-bookkeeping.js';
import type { LoadRunResult } from './run-result.js';
import { positiveInteger, resolveBounds, type RunBounds } from './schedule-options.js';

const OPERATIONS_BETWEEN_YIELDS = 64;

export interface ClosedLoopOptions extends RunBounds {
  /** Operations kept in flight; each completion starts the next. */
  readonly concurrency: number;
}

/**
 * Closed loop: a fixed number of operations in flight. It measures the most the system sustains
 * at that concurrency, but it cannot measure latency under a given load: when the system stalls,
 * the generator stops sending too (coordinated omission), so corrected and uncorrected are the
 * same here. Use the open loop for latency.
 */
export async function runClosedLoop(operation: Operation, options: ClosedLoopOptions): Promise<LoadRunResult> {
  const bounds = resolveBounds(options);
  const concurrency = positiveInteger('concurrency', options.concurrency);
  const startNs = options.startNs ?? process.hrtime.bigint();
  const startEpochMs = options.startEpochMs ?? Date.now();
  const deadlineNs = bounds.durationMs === undefined ? undefined : startNs + BigInt(bounds.durationMs) * 1_000_000n;
  const sendLimit = bounds.count ?? Number.POSITIVE_INFINITY;
  const bookkeeping = new RunBookkeeping({
    startNs,
    intervalMs: bounds.intervalMs,
    operationTimeoutMs: bounds.operationTimeoutMs,
    signal: options.signal,
    onInterval: options.onInterval,
  });
  let scheduleIndex = 0;
  let operationsSinceYield = 0;

  const lane = async (): Promise<void> => {
    while (!bookkeeping.stopped && scheduleIndex < sendLimit) {
      const sentNs = process.hrtime.bigint();
      if (deadlineNs !== undefined && sentNs >= deadlineNs) return;
      const index = bounds.indexOffset + scheduleIndex * bounds.indexStride;
      scheduleIndex += 1;
      await bookkeeping.invoke(operation, index, sentNs, sentNs);
      // An operation that resolves at once would otherwise keep this loop in microtasks, starving
      // the interval timer and I/O.
      operationsSinceYield += 1;
      if (operationsSinceYield >= OPERATIONS_BETWEEN_YIELDS) {
        operationsSinceYield = 0;
        await bookkeeping.yieldToEventLoop();
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  const endNs = process.hrtime.bigint();
  const intervals = bookkeeping.finish();
  const recorder = bookkeeping.recorder;
  return {
    startEpochMs,
    durationSec: Number(endNs - startNs) / 1e9,
    intervalSec: bounds.intervalMs / 1000,
    schedule: { kind: 'closed-loop', concurrency },
    workerCount: 1,
    sentCount: bookkeeping.sentCount,
    completedCount: bookkeeping.completedCount,
    errorCount: recorder.errorCount,
    timeoutCount: bookkeeping.timeoutCount,
    errorMessages: bookkeeping.errorMessages,
    intervals,
    corrected: recorder.correctedTotal,
    uncorrected: recorder.uncorrectedTotal,
    sendLag: null,
    generator: null,
  };
}
