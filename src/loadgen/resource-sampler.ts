import { monitorEventLoopDelay } from 'node:perf_hooks';
import { positiveInteger } from './schedule-options.js';

/**
 * One reading of a process's health during a run, as the report plots it. `t` is seconds since
 * the run start (the same clock as the interval log's timestamps). The node under test normally
 * runs in another process: the runners take its RSS from /proc and its event-loop delay from
 * the node's own `runtime` log line (src/loadgen/transactions/node-event-loop.ts); the sampler
 * below reads the current process, for in-process runs and tests.
 */
export interface ResourceSample {
  readonly t: number;
  readonly rssBytes: number;
  /**
   * How late a 10 ms timer fired, P99 over the period, ms: the worst thread's when the node
   * reports per thread. Null when not observable (a node that runs elsewhere) or not measured
   * in this period.
   */
  readonly eventLoopDelayP99Ms: number | null;
  /** Each thread's P99 (ms) behind `eventLoopDelayP99Ms`, by thread name, when the node reported per thread. */
  readonly eventLoopDelayP99MsByThread?: Readonly<Record<string, number>>;
}

export interface ResourceSampler {
  /** Stops sampling and returns the samples, oldest first. */
  stop(): ResourceSample[];
}

const RESOLUTION_MS = 10;

/** Samples this process's RSS and event-loop delay (P99 over each period) every `intervalMs`. */
export function startProcessResourceSampler(options: { startNs: bigint; intervalMs: number }): ResourceSampler {
  const intervalMs = positiveInteger('intervalMs', options.intervalMs);
  const delay = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  delay.enable();
  const samples: ResourceSample[] = [];
  const sample = () => {
    const t = Number(process.hrtime.bigint() - options.startNs) / 1e9;
    // The histogram holds the time between timer callbacks; the delay is what exceeds the period.
    const p99Ms = delay.count > 0 ? Math.max(0, delay.percentile(99) / 1e6 - RESOLUTION_MS) : null;
    samples.push({ t, rssBytes: process.memoryUsage.rss(), eventLoopDelayP99Ms: p99Ms });
    delay.reset();
  };
  const timer = setInterval(sample, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      sample();
      delay.disable();
      return samples;
    },
  };
}
