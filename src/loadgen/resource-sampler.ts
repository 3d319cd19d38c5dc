import { monitorEventLoopDelay } from 'node:perf_hooks';
import { positiveInteger } from './schedule-options.js';

/**
 * One reading of a process's health during a run, as the report plots it. `t` is seconds since
 * the run start (the same clock as the interval log's timestamps). The node under test normally
 * runs in another process, so the caller usually builds these from the node's metrics; the
 * sampler below reads the current process, for in-process runs and tests.
 */
export interface ResourceSample {
  readonly t: number;
  readonly rssBytes: number;
  readonly eventLoopDelayP99Ms: number;
}

export interface ResourceSampler {
  /** Stops sampling and returns the samples, oldest first. */
  stop(): ResourceSample[];
}

/** Samples this process's RSS and event-loop delay (P99 over each period) every `intervalMs`. */
export function startProcessResourceSampler(options: { startNs: bigint; intervalMs: number }): ResourceSampler {
  const intervalMs = positiveInteger('intervalMs', options.intervalMs);
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  const samples: ResourceSample[] = [];
  const sample = () => {
    const t = Number(process.hrtime.bigint() - options.startNs) / 1e9;
    const p99Ns = delay.count > 0 ? delay.percentile(99) : 0;
    samples.push({ t, rssBytes: process.memoryUsage.rss(), eventLoopDelayP99Ms: p99Ns / 1e6 });
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
