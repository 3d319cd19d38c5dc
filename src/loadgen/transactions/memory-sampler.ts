import { readProcessMemory } from '../../proc/process-memory.js';
import { runtimeReportsIn, type ThreadRuntimeReport } from './runtime-line.js';

/**
 * One reading of a node process's memory; `t` in seconds since the run start. VmRSS = RssAnon
 * (private: heaps, malloc, rings) + RssFile (mapped files: the executable, LMDB) + RssShmem.
 */
export interface MemorySample {
  readonly t: number;
  readonly rssBytes: number;
  readonly rssAnonBytes: number;
  readonly rssFileBytes: number;
  readonly rssShmemBytes: number;
}

/** One thread's V8 heap as the node's `runtime` log line reports it (src/node/runtime-report.ts). */
export type ThreadHeapReport = Pick<ThreadRuntimeReport, 'thread' | 'usedBytes' | 'committedBytes' | 'limitBytes' | 'mallocedBytes' | 'externalBytes'>;

/** Per thread, the largest heap figures over the node's `runtime` log lines in `logText`. */
export function peakThreadHeaps(logText: string): ThreadHeapReport[] {
  const peaks = new Map<string, ThreadHeapReport>();
  for (const report of runtimeReportsIn(logText)) {
    for (const heap of report.threads) {
      const peak = peaks.get(heap.thread);
      peaks.set(heap.thread, {
        thread: heap.thread,
        usedBytes: Math.max(peak?.usedBytes ?? 0, heap.usedBytes),
        committedBytes: Math.max(peak?.committedBytes ?? 0, heap.committedBytes),
        limitBytes: Math.max(peak?.limitBytes ?? 0, heap.limitBytes),
        mallocedBytes: Math.max(peak?.mallocedBytes ?? 0, heap.mallocedBytes),
        externalBytes: Math.max(peak?.externalBytes ?? 0, heap.externalBytes),
      });
    }
  }
  return [...peaks.values()];
}

export interface MemorySampler {
  readonly samples: readonly MemorySample[];
  stop(): MemorySample[];
}

/**
 * Samples process `pid`'s memory every `intervalMs` (and once at once). Samples stop quietly
 * when the process is gone. At most `samplesMax` are kept: past that, every other one is
 * dropped and the period doubles, so a 24-hour run stays a few thousand points.
 */
export function startMemorySampler(pid: number, options: { startNs: bigint; intervalMs: number; samplesMax?: number }): MemorySampler {
  const samplesMax = options.samplesMax ?? 20_000;
  const samples: MemorySample[] = [];
  let keepEvery = 1;
  let tick = 0;
  const sample = () => {
    tick += 1;
    if (tick % keepEvery !== 0) return;
    const memory = readProcessMemory(pid);
    if (memory === undefined) return;
    samples.push({ t: Number(process.hrtime.bigint() - options.startNs) / 1e9, ...memory });
    if (samples.length > samplesMax) {
      const kept = samples.filter((_, index) => index % 2 === 0);
      samples.length = 0;
      samples.push(...kept);
      keepEvery *= 2;
    }
  };
  sample();
  const timer = setInterval(sample, options.intervalMs);
  timer.unref();
  return {
    samples,
    stop() {
      clearInterval(timer);
      sample();
      return samples;
    },
  };
}
