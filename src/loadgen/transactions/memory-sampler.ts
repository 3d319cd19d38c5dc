import { readProcessMemory } from './process-memory.js';

/** One reading of a node process's memory; `t` in seconds since the run start. */
export interface MemorySample {
  readonly t: number;
  readonly rssBytes: number;
  readonly rssAnonBytes: number;
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
    samples.push({ t: Number(process.hrtime.bigint() - options.startNs) / 1e9, rssBytes: memory.rssBytes, rssAnonBytes: memory.rssAnonBytes });
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
