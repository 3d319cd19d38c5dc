/**
 * How busy a process was, as CPU seconds per wall second (1.0 = one core fully used). A server
 * samples its own usage; the window of interest (a client's measured run) is given in wall-clock
 * milliseconds, which, unlike hrtime, compare across processes.
 */
import { assert } from '../../src/errors.js';

/** Process CPU time (all threads) at one instant. */
export interface CpuSample {
  /** performance.timeOrigin + performance.now(): wall-clock milliseconds. */
  epochMs: number;
  userUs: number;
  systemUs: number;
}

export function takeCpuSample(): CpuSample {
  const usage = process.cpuUsage();
  return { epochMs: performance.timeOrigin + performance.now(), userUs: usage.user, systemUs: usage.system };
}

/** CPU seconds per wall second between two samples of the same process. */
export function coresBusyBetween(first: CpuSample, last: CpuSample): number {
  const wallUs = (last.epochMs - first.epochMs) * 1000;
  assert(wallUs > 0, 'the second CPU sample is later than the first');
  return (last.userUs - first.userUs + (last.systemUs - first.systemUs)) / wallUs;
}

/**
 * CPU seconds per wall second over [fromEpochMs, toEpochMs], from periodic samples: the samples
 * nearest inside the window bound it (the window is narrowed by at most one sampling interval at
 * each end). Undefined when fewer than two samples fall inside.
 */
export function coresBusyWithin(samples: readonly CpuSample[], fromEpochMs: number, toEpochMs: number): number | undefined {
  const inside = samples.filter((sample) => sample.epochMs >= fromEpochMs && sample.epochMs <= toEpochMs);
  const first = inside[0];
  const last = inside[inside.length - 1];
  if (first === undefined || last === undefined || last === first) return undefined;
  return coresBusyBetween(first, last);
}

export interface CpuSampler {
  readonly samples: readonly CpuSample[];
  /** Takes a last sample and stops; the samples stay readable. */
  stop(): void;
}

/**
 * Samples this process's CPU time every `intervalMs`, keeping the most recent `samplesMax`
 * (bounded memory however long the process lives). The timer does not keep the process alive.
 */
export function startCpuSampler(intervalMs = 100, samplesMax = 6000): CpuSampler {
  assert(Number.isInteger(intervalMs) && intervalMs > 0 && Number.isInteger(samplesMax) && samplesMax >= 2, 'a CPU sampler has an interval and room for two samples');
  const samples: CpuSample[] = [takeCpuSample()];
  const record = (): void => {
    if (samples.length >= samplesMax) samples.shift();
    samples.push(takeCpuSample());
  };
  const timer = setInterval(record, intervalMs);
  timer.unref();
  let stopped = false;
  return {
    samples,
    stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      record();
    },
  };
}
