/**
 * Entry of a generator worker thread: imports the operation module named in the plan, builds the
 * operation, waits for the shared start, runs its share of the schedule and streams encoded
 * intervals to the main thread. It measures; it never merges.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { runClosedLoop } from './closed-loop.js';
import { encodeHistogram } from './latency-histogram.js';
import { runOpenLoop } from './open-loop.js';
import type { OperationHandle, OperationModule } from './operation.js';
import type { EncodedInterval, LoadRunResult } from './run-result.js';
import type { StartMessage, WorkerMessage, WorkerOutcome, WorkerPlan } from './worker-protocol.js';

if (parentPort === null) throw new Error('generator-worker.js runs only as a worker thread');
const port = parentPort;
const plan = workerData as WorkerPlan;
const post = (message: WorkerMessage) => port.postMessage(message);

function waitForStart(): Promise<StartMessage> {
  return new Promise((resolve) => {
    port.once('message', (message: StartMessage) => resolve(message));
  });
}

async function run(handle: OperationHandle, start: StartMessage): Promise<LoadRunResult> {
  const common = {
    durationMs: plan.durationMs,
    count: plan.count,
    intervalMs: plan.intervalMs,
    operationTimeoutMs: plan.operationTimeoutMs,
    startNs: BigInt(start.startNs),
    startEpochMs: start.startEpochMs,
    indexOffset: plan.indexOffset,
    indexStride: plan.indexStride,
    onInterval: (interval: EncodedInterval) => post({ type: 'interval', interval }),
  };
  if (plan.schedule.kind === 'open-loop') {
    return runOpenLoop(handle.run, {
      ...common,
      ratePerSecond: plan.schedule.ratePerSecond,
      maxInFlight: plan.schedule.maxInFlight,
      lagThresholdMs: plan.schedule.lagThresholdMs,
      scheduleOffsetNs: BigInt(plan.schedule.scheduleOffsetNs),
    });
  }
  return runClosedLoop(handle.run, { ...common, concurrency: plan.schedule.concurrency });
}

function outcomeOf(result: LoadRunResult, endNs: bigint): WorkerOutcome {
  return {
    endNs: endNs.toString(),
    schedule: result.schedule,
    sentCount: result.sentCount,
    completedCount: result.completedCount,
    errorCount: result.errorCount,
    timeoutCount: result.timeoutCount,
    errorMessages: result.errorMessages,
    correctedBase64: encodeHistogram(result.corrected),
    uncorrectedBase64: encodeHistogram(result.uncorrected),
    sendLagBase64: result.sendLag === null ? null : encodeHistogram(result.sendLag),
    lateSendCount: result.generator?.lateSendCount ?? 0,
    lateSendsHeldByInFlightLimit: result.generator?.lateSendsHeldByInFlightLimit ?? 0,
  };
}

try {
  const module = (await import(plan.operationModuleUrl)) as Partial<OperationModule>;
  if (typeof module.createOperation !== 'function') {
    throw new Error(`${plan.operationModuleUrl} does not export a createOperation(options) function`);
  }
  const handle = await module.createOperation(plan.operationOptions);
  post({ type: 'ready' });
  const start = await waitForStart();
  try {
    const result = await run(handle, start);
    const endNs = BigInt(start.startNs) + BigInt(Math.round(result.durationSec * 1e9));
    post({ type: 'done', outcome: outcomeOf(result, endNs) });
  } finally {
    await handle.close?.();
  }
} catch (error) {
  post({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
}
