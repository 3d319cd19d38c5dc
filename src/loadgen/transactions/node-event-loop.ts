/**
 * The event-loop figures of a node this machine started, taken from the node's own `runtime`
 * log lines (runtime-line.ts) as they arrive on its stderr: per thread, the event-loop delay
 * P99 and max and the utilization over each of the node's report periods. A node that runs
 * elsewhere (attached with --address) cannot be observed this way; its figures are null.
 */
import { assert } from '../../errors.js';
import type { ResourceSample } from '../resource-sampler.js';
import type { MemorySample } from './memory-sampler.js';
import type { NodeRuntimeReport } from './runtime-line.js';

export interface ThreadEventLoopSample {
  /** ms; null where the node did not measure it (shard workers) or the thread did not answer. */
  readonly delayP99Ms: number | null;
  readonly delayMaxMs: number | null;
  /** Share of the period the loop was busy, 0..1. */
  readonly utilization: number;
}

/** One of the node's report periods: it ends at `t` (seconds since the run start) and lasts `periodSec`. */
export interface NodeEventLoopSample {
  readonly t: number;
  readonly periodSec: number;
  readonly threads: Readonly<Record<string, ThreadEventLoopSample>>;
}

/** Where a started node's `runtime` reports can be heard (LocalNode). */
export interface RuntimeReportSource {
  /** Calls `listener` with every report from now on; returns the unsubscribe. */
  onRuntimeReport(listener: (report: NodeRuntimeReport) => void): () => void;
}

export interface NodeEventLoopRecorder {
  /** The most recent period, if any arrived yet. */
  latest(): NodeEventLoopSample | undefined;
  /**
   * Stops listening and returns the periods, oldest first. The period in progress at the stop
   * is waited for (at most two periods, 10 s), so the run's last moments are covered too.
   */
  stop(): Promise<NodeEventLoopSample[]>;
}

const maxOf = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.max(a, b));

/** Two neighbouring periods as one: the worse delays, the time-weighted utilization. */
function mergePeriods(earlier: NodeEventLoopSample, later: NodeEventLoopSample): NodeEventLoopSample {
  const periodSec = earlier.periodSec + later.periodSec;
  const names = new Set([...Object.keys(earlier.threads), ...Object.keys(later.threads)]);
  const threads: Record<string, ThreadEventLoopSample> = {};
  for (const name of names) {
    const a = earlier.threads[name];
    const b = later.threads[name];
    if (a === undefined || b === undefined) {
      threads[name] = (a ?? b)!;
      continue;
    }
    threads[name] = {
      delayP99Ms: maxOf(a.delayP99Ms, b.delayP99Ms),
      delayMaxMs: maxOf(a.delayMaxMs, b.delayMaxMs),
      utilization: periodSec > 0 ? (a.utilization * earlier.periodSec + b.utilization * later.periodSec) / periodSec : Math.max(a.utilization, b.utilization),
    };
  }
  return { t: later.t, periodSec, threads };
}

/**
 * Records `source`'s reports from now on, stamped on this process's clock (`startNs`, the run's
 * start). At most `samplesMax` are kept: past that, neighbouring periods are merged in pairs,
 * so a 24-hour soak stays a few thousand points and every moment stays covered.
 */
export function startNodeEventLoopRecorder(source: RuntimeReportSource, options: { startNs: bigint; samplesMax?: number }): NodeEventLoopRecorder {
  const samplesMax = options.samplesMax ?? 20_000;
  assert(samplesMax >= 2, 'at least two event-loop samples are kept');
  let samples: NodeEventLoopSample[] = [];
  const elapsedSec = () => Number(process.hrtime.bigint() - options.startNs) / 1e9;
  let waitingForEnd: { endSec: number; resolve: () => void } | undefined;
  const unsubscribe = source.onRuntimeReport((report) => {
    const threads: Record<string, ThreadEventLoopSample> = {};
    for (const thread of report.threads) {
      threads[thread.thread] = { delayP99Ms: thread.eventLoopDelayP99Ms, delayMaxMs: thread.eventLoopDelayMaxMs, utilization: thread.eventLoopUtilization };
    }
    const t = elapsedSec();
    samples.push({ t, periodSec: report.periodMs / 1000, threads });
    if (samples.length > samplesMax) {
      const merged: NodeEventLoopSample[] = [];
      for (let index = 0; index < samples.length; index += 2) {
        const next = samples[index + 1];
        merged.push(next === undefined ? samples[index]! : mergePeriods(samples[index]!, next));
      }
      samples = merged;
    }
    if (waitingForEnd !== undefined && t >= waitingForEnd.endSec) waitingForEnd.resolve();
  });
  return {
    latest: () => samples[samples.length - 1],
    async stop() {
      const last = samples[samples.length - 1];
      // A node that has not reported yet may never do so (reports off): nothing to wait for.
      if (last !== undefined) {
        const endSec = elapsedSec();
        let timer: NodeJS.Timeout | undefined;
        await new Promise<void>((resolve) => {
          waitingForEnd = { endSec, resolve };
          timer = setTimeout(resolve, Math.min(2 * last.periodSec * 1000, 10_000));
        });
        clearTimeout(timer);
        waitingForEnd = undefined;
      }
      unsubscribe();
      return samples;
    },
  };
}

/** Per thread that measured it, its delay P99 in `sample`; the worst of them, or null if none. */
export function delaysOf(sample: NodeEventLoopSample): { worstMs: number | null; byThread: Record<string, number> } {
  const byThread: Record<string, number> = {};
  let worstMs: number | null = null;
  for (const [name, thread] of Object.entries(sample.threads)) {
    if (thread.delayP99Ms === null) continue;
    byThread[name] = thread.delayP99Ms;
    worstMs = maxOf(worstMs, thread.delayP99Ms);
  }
  return { worstMs, byThread };
}

/**
 * The report's resource samples: RSS from /proc (`memory`), and the node's event-loop delay
 * from the report period that covers each RSS reading (the worst thread's P99, and each
 * thread's). `eventLoop` null means not observable: every delay is null. A reading no period
 * covers (before the first report, after the last) has a null delay too.
 */
export function resourceSamplesOf(memory: readonly MemorySample[], eventLoop: readonly NodeEventLoopSample[] | null): ResourceSample[] {
  if (eventLoop === null) return memory.map((sample) => ({ t: sample.t, rssBytes: sample.rssBytes, eventLoopDelayP99Ms: null }));
  let index = 0;
  return memory.map((sample) => {
    while (index < eventLoop.length && eventLoop[index]!.t < sample.t) index += 1;
    const covering = eventLoop[index];
    if (covering === undefined || covering.t - covering.periodSec > sample.t) return { t: sample.t, rssBytes: sample.rssBytes, eventLoopDelayP99Ms: null };
    const { worstMs, byThread } = delaysOf(covering);
    return { t: sample.t, rssBytes: sample.rssBytes, eventLoopDelayP99Ms: worstMs, ...(worstMs === null ? {} : { eventLoopDelayP99MsByThread: byThread }) };
  });
}

export interface ThreadEventLoopSummary {
  readonly thread: string;
  /** The highest per-period P99 and the highest single delay, ms; null when never measured. */
  readonly delayP99MsPeak: number | null;
  readonly delayMsMax: number | null;
  /** Time-weighted over the run, and the busiest period, 0..1. */
  readonly utilizationMean: number;
  readonly utilizationPeak: number;
}

/** Per thread, over a run: what the result files say about the node's event loops. */
export function summarizeNodeEventLoop(samples: readonly NodeEventLoopSample[]): ThreadEventLoopSummary[] {
  const byThread = new Map<string, { delayP99MsPeak: number | null; delayMsMax: number | null; busySec: number; periodSec: number; utilizationPeak: number }>();
  for (const sample of samples) {
    for (const [name, thread] of Object.entries(sample.threads)) {
      const total = byThread.get(name) ?? { delayP99MsPeak: null, delayMsMax: null, busySec: 0, periodSec: 0, utilizationPeak: 0 };
      total.delayP99MsPeak = maxOf(total.delayP99MsPeak, thread.delayP99Ms);
      total.delayMsMax = maxOf(total.delayMsMax, thread.delayMaxMs);
      total.busySec += thread.utilization * sample.periodSec;
      total.periodSec += sample.periodSec;
      total.utilizationPeak = Math.max(total.utilizationPeak, thread.utilization);
      byThread.set(name, total);
    }
  }
  return [...byThread.entries()].map(([thread, total]) => ({
    thread,
    delayP99MsPeak: total.delayP99MsPeak,
    delayMsMax: total.delayMsMax,
    utilizationMean: total.periodSec > 0 ? Math.round((total.busySec / total.periodSec) * 1000) / 1000 : 0,
    utilizationPeak: total.utilizationPeak,
  }));
}

/** What a result file says about a node whose event loops could not be observed. */
export const EVENT_LOOP_NOT_OBSERVABLE = 'not observable: the node runs elsewhere; only a node the run starts reports its event loops (its runtime log line)';

/** The result files' `nodeEventLoop`: per-thread figures, or why there are none. */
export function describeNodeEventLoop(samples: readonly NodeEventLoopSample[] | null): ThreadEventLoopSummary[] | string {
  if (samples === null) return EVENT_LOOP_NOT_OBSERVABLE;
  if (samples.length === 0) return 'not recorded: the node logged no runtime line during the run (log.runtimeReportIntervalMs 0, or a run shorter than its period)';
  return summarizeNodeEventLoop(samples);
}
