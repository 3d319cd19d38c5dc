/**
 * Is the node's memory growing without bound? A least-squares line through its private memory
 * (RssAnon: heap and other anonymous pages) over the last part of the run:
 *
 *   window   the second half of the run, but at most its last 4 hours: long enough to see past
 *            warm-up (heap growth to its working size, JIT), recent enough to see a slow leak
 *   bound    the line may rise by at most `allowanceBytes` (64 MiB by default) plus 10% of its
 *            own value at the window start, across the window. For a node at 350 MiB: 99 MiB
 *            across the 30 s window of a 60 s run (a young node's heap still settles there;
 *            measured: RssAnon levels off after about a minute at 1,000 tx/s), and 25 MiB/hour
 *            over the 4-hour window of a 24-hour run
 *
 * RssAnon rather than VmRSS: LMDB maps its files, and the pages of a database that grows by
 * design count in VmRSS (as RssFile). VmRSS is still reported. With fewer than 10 samples in the
 * window the check is inconclusive rather than passed.
 */
export const DEFAULT_MEMORY_ALLOWANCE_BYTES = 64 * 1024 * 1024;
export const MEMORY_WINDOW_SEC_MAX = 4 * 3600;
export const MEMORY_SAMPLES_MIN = 10;
/** Share of the window-start level added to the allowance. */
export const MEMORY_ALLOWANCE_SHARE = 0.1;

export interface MemoryPoint {
  /** Seconds since the run start. */
  readonly t: number;
  readonly bytes: number;
}

export interface LinearFit {
  /** Bytes per second. */
  readonly slope: number;
  readonly intercept: number;
  readonly sampleCount: number;
}

/** Ordinary least squares of bytes over t; null for fewer than two distinct times. */
export function fitLine(points: readonly MemoryPoint[]): LinearFit | null {
  const count = points.length;
  if (count < 2) return null;
  let meanT = 0;
  let meanBytes = 0;
  for (const point of points) {
    meanT += point.t / count;
    meanBytes += point.bytes / count;
  }
  let covariance = 0;
  let variance = 0;
  for (const point of points) {
    covariance += (point.t - meanT) * (point.bytes - meanBytes);
    variance += (point.t - meanT) ** 2;
  }
  if (variance === 0) return null;
  const slope = covariance / variance;
  return { slope, intercept: meanBytes - slope * meanT, sampleCount: count };
}

export interface MemoryTrend {
  readonly status: 'bounded' | 'growing' | 'inconclusive';
  readonly windowStartSec: number;
  readonly windowEndSec: number;
  readonly sampleCount: number;
  /** Fitted growth in bytes per hour (null when inconclusive). */
  readonly slopeBytesPerHour: number | null;
  /** Largest slope allowed for this window, bytes per hour. */
  readonly slopeBoundBytesPerHour: number;
  /** Growth allowed across the window: the base allowance plus 10% of the window-start level. */
  readonly allowanceBytes: number;
  readonly explanation: string;
}

const mebibytes = (bytes: number) => `${(bytes / 1048576).toFixed(1)} MiB`;

export function judgeMemoryTrend(points: readonly MemoryPoint[], runDurationSec: number, baseAllowanceBytes = DEFAULT_MEMORY_ALLOWANCE_BYTES): MemoryTrend {
  const windowEndSec = runDurationSec;
  const windowStartSec = Math.max(runDurationSec / 2, runDurationSec - MEMORY_WINDOW_SEC_MAX);
  const windowSec = windowEndSec - windowStartSec;
  const inWindow = points.filter((point) => point.t >= windowStartSec && point.t <= windowEndSec);
  const fit = inWindow.length >= MEMORY_SAMPLES_MIN ? fitLine(inWindow) : null;
  if (fit === null) {
    const slopeBoundBytesPerHour = windowSec > 0 ? (baseAllowanceBytes / windowSec) * 3600 : Number.POSITIVE_INFINITY;
    const base = { windowStartSec, windowEndSec, sampleCount: inWindow.length, slopeBoundBytesPerHour, allowanceBytes: baseAllowanceBytes };
    return { ...base, status: 'inconclusive', slopeBytesPerHour: null, explanation: `${inWindow.length} memory samples in the window (${windowStartSec.toFixed(0)} s to ${windowEndSec.toFixed(0)} s); at least ${MEMORY_SAMPLES_MIN} are needed` };
  }
  const startLevelBytes = Math.max(0, fit.intercept + fit.slope * windowStartSec);
  const allowanceBytes = baseAllowanceBytes + MEMORY_ALLOWANCE_SHARE * startLevelBytes;
  const slopeBoundBytesPerHour = windowSec > 0 ? (allowanceBytes / windowSec) * 3600 : Number.POSITIVE_INFINITY;
  const base = { windowStartSec, windowEndSec, sampleCount: inWindow.length, slopeBoundBytesPerHour, allowanceBytes };
  const slopeBytesPerHour = fit.slope * 3600;
  const growth = fit.slope * windowSec;
  const growing = slopeBytesPerHour > slopeBoundBytesPerHour;
  return {
    ...base,
    status: growing ? 'growing' : 'bounded',
    slopeBytesPerHour,
    explanation:
      `private memory (RssAnon) fitted over ${windowStartSec.toFixed(0)} s to ${windowEndSec.toFixed(0)} s (${inWindow.length} samples) ` +
      `${growth >= 0 ? 'rises' : 'falls'} ${mebibytes(Math.abs(growth))} across the window (${mebibytes(slopeBytesPerHour)}/hour); ` +
      `the bound is ${mebibytes(allowanceBytes)} across the window (${mebibytes(baseAllowanceBytes)} + 10% of ${mebibytes(startLevelBytes)}; ${mebibytes(slopeBoundBytesPerHour)}/hour)`,
  };
}
