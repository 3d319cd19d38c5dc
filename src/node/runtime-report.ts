/**
 * The node's periodic `runtime` log line (info), in the spirit of CockroachDB's runtime stats:
 * what the process's memory is made of and how each thread is doing, every
 * `log.runtimeReportIntervalMs`.
 *
 * - RSS parts from /proc/self/status (all threads together).
 * - Per thread: its V8 heap (the main thread asks each worker with `Worker.getHeapStatistics`),
 *   its event-loop utilization over the period (`worker.performance.eventLoopUtilization`, also
 *   read from the main thread), and, for the main, acceptor and Raft threads, its event-loop
 *   delay P99 and max over the period (src/node/event-loop-delay.ts; those threads measure it
 *   themselves and answer on a channel of their own).
 *
 * Readers: the load and soak runners plot the delay from it (src/loadgen/transactions), and the
 * ingest and memory benchmarks take each thread's heap peak from it.
 */
import { performance, type EventLoopUtilization } from 'node:perf_hooks';
import { getHeapStatistics, type HeapInfo } from 'node:v8';
import type { Worker } from 'node:worker_threads';
import { assert } from '../errors.js';
import type { Logger } from '../log/logger.js';
import { readProcessMemory, type ProcessMemory } from '../proc/process-memory.js';
import { monitorThreadEventLoop, type EventLoopDelay, type EventLoopDelayReader } from './event-loop-delay.js';

export const RUNTIME_REPORT_MESSAGE = 'runtime';

export interface ThreadHeap {
  readonly thread: string;
  /** Bytes of live and not yet collected objects. */
  readonly usedBytes: number;
  /** Bytes V8 has reserved and committed for the heap (what RSS sees of it, at most). */
  readonly committedBytes: number;
  /** V8's cap: old generation + young generation + code. */
  readonly limitBytes: number;
  /** Memory V8 allocated with malloc for itself. */
  readonly mallocedBytes: number;
  /** ArrayBuffers and other memory held by JavaScript objects outside the heap. */
  readonly externalBytes: number;
}

export interface ThreadRuntime extends ThreadHeap {
  /** Share of the period the thread's event loop spent running code, 0..1. */
  readonly eventLoopUtilization: number;
  /**
   * How late a 10 ms timer fired on the thread, P99 and max over the period, ms. Null for
   * threads that do not measure it (shard workers) and for a thread that did not answer within
   * the period (its answer counts in the next line).
   */
  readonly eventLoopDelayP99Ms: number | null;
  readonly eventLoopDelayMaxMs: number | null;
}

/** The fields of one `runtime` line besides time, level, msg and component. */
export interface NodeRuntimeReport extends Partial<ProcessMemory> {
  /** Milliseconds the line covers (since the previous line, or since the reports started). */
  readonly periodMs: number;
  readonly threads: readonly ThreadRuntime[];
}

/** A thread the report covers besides the main thread, which is always included. */
export interface ReportedThread {
  readonly name: string;
  readonly worker: Worker;
  /** For threads that measure their own loop (workers/acceptor.ts, workers/raft.ts). */
  readonly eventLoopDelay?: EventLoopDelayReader;
}

function threadHeap(thread: string, heap: HeapInfo): ThreadHeap {
  return {
    thread,
    usedBytes: heap.used_heap_size,
    committedBytes: heap.total_physical_size,
    limitBytes: heap.heap_size_limit,
    mallocedBytes: heap.malloced_memory,
    externalBytes: heap.external_memory,
  };
}

const round3 = (value: number) => Math.round(value * 1000) / 1000;
const roundOrNull = (value: number | null | undefined) => (value === null || value === undefined ? null : round3(value));

function threadRuntime(heap: ThreadHeap, utilization: EventLoopUtilization, delay: EventLoopDelay | undefined): ThreadRuntime {
  return {
    ...heap,
    eventLoopUtilization: round3(utilization.utilization),
    eventLoopDelayP99Ms: roundOrNull(delay?.p99Ms),
    eventLoopDelayMaxMs: roundOrNull(delay?.maxMs),
  };
}

export interface RuntimeReporter {
  stop(): void;
}

/**
 * Logs a `runtime` line every `intervalMs`. `threads` is asked each time, so threads started
 * later (or replaced) are covered; a thread that stopped meanwhile is left out.
 */
export function startRuntimeReports(logger: Logger, intervalMs: number, threads: () => readonly ReportedThread[]): RuntimeReporter {
  assert(Number.isInteger(intervalMs) && intervalMs > 0, 'a runtime report period is a positive number of ms');
  // A thread busy for longer than this is reported without a delay; its answer comes in the next line.
  const delayAnswerTimeoutMs = Math.max(intervalMs, 1_000);
  const mainLoop = monitorThreadEventLoop();
  let mainUtilization = performance.eventLoopUtilization();
  const utilizations = new WeakMap<Worker, EventLoopUtilization>();
  let lastReportMs = performance.now();
  let reading = false;

  const readWorker = async ({ name, worker, eventLoopDelay }: ReportedThread): Promise<ThreadRuntime[]> => {
    try {
      const [heap, delay] = await Promise.all([worker.getHeapStatistics(), eventLoopDelay?.read(delayAnswerTimeoutMs)]);
      // Without an earlier reading this covers the thread's whole life so far.
      const previous = utilizations.get(worker);
      const total = worker.performance.eventLoopUtilization();
      utilizations.set(worker, total);
      const utilization = previous === undefined ? total : worker.performance.eventLoopUtilization(total, previous);
      return [threadRuntime(threadHeap(name, heap), utilization, delay)];
    } catch {
      return [];
    }
  };

  const report = async (): Promise<void> => {
    // A slow answer from a busy thread must not pile up readings.
    if (reading) return;
    reading = true;
    try {
      const startedMs = performance.now();
      const mainDelay = mainLoop.read();
      const mainTotal = performance.eventLoopUtilization();
      const main = threadRuntime(threadHeap('main', getHeapStatistics()), performance.eventLoopUtilization(mainTotal, mainUtilization), mainDelay);
      mainUtilization = mainTotal;
      const workers = await Promise.all(threads().map(readWorker));
      const line: NodeRuntimeReport = { periodMs: Math.round(startedMs - lastReportMs), ...readProcessMemory('self'), threads: [main, ...workers.flat()] };
      lastReportMs = startedMs;
      logger.info(RUNTIME_REPORT_MESSAGE, { ...line });
    } finally {
      reading = false;
    }
  };
  const timer = setInterval(() => void report(), intervalMs);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      mainLoop.stop();
    },
  };
}
