import type { Histogram } from '../loadgen/latency-histogram.js';

/** The headline numbers of a latency histogram, in microseconds. */
export interface LatencyStats {
  readonly count: number;
  readonly minUs: number;
  readonly meanUs: number;
  readonly p50Us: number;
  readonly p90Us: number;
  readonly p99Us: number;
  readonly p999Us: number;
  readonly p9999Us: number;
  readonly maxUs: number;
}

/** The percentiles plotted over time, per interval, in microseconds. */
export interface IntervalPercentiles {
  readonly p50Us: number;
  readonly p90Us: number;
  readonly p99Us: number;
  readonly p999Us: number;
  readonly maxUs: number;
}

export interface PercentilePoint {
  /** 0 to 100. */
  readonly percentile: number;
  readonly valueUs: number;
}

/**
 * The maximum as the histogram resolves it (the top of its bucket, within 0.1% of the true
 * value): unlike `maxValue`, it is the same before and after an encode and decode, so a report
 * rebuilt from a log agrees with the one made at the end of the run.
 */
function resolvedMaximum(histogram: Histogram): number {
  return histogram.getValueAtPercentile(100);
}

export function latencyStats(histogram: Histogram): LatencyStats {
  if (histogram.totalCount === 0) {
    return { count: 0, minUs: 0, meanUs: 0, p50Us: 0, p90Us: 0, p99Us: 0, p999Us: 0, p9999Us: 0, maxUs: 0 };
  }
  return {
    count: histogram.totalCount,
    minUs: histogram.getValueAtPercentile(0),
    meanUs: histogram.mean,
    p50Us: histogram.getValueAtPercentile(50),
    p90Us: histogram.getValueAtPercentile(90),
    p99Us: histogram.getValueAtPercentile(99),
    p999Us: histogram.getValueAtPercentile(99.9),
    p9999Us: histogram.getValueAtPercentile(99.99),
    maxUs: resolvedMaximum(histogram),
  };
}

export function intervalPercentiles(histogram: Histogram): IntervalPercentiles {
  if (histogram.totalCount === 0) return { p50Us: 0, p90Us: 0, p99Us: 0, p999Us: 0, maxUs: 0 };
  return {
    p50Us: histogram.getValueAtPercentile(50),
    p90Us: histogram.getValueAtPercentile(90),
    p99Us: histogram.getValueAtPercentile(99),
    p999Us: histogram.getValueAtPercentile(99.9),
    maxUs: resolvedMaximum(histogram),
  };
}

/**
 * The percentile spectrum the way HdrHistogram prints and plots it: `ticksPerHalfDistance` points
 * in each halving of the distance to 100% (50%, 75%, 87.5%, ...), until the tail holds less than
 * one recorded value, then 100% (the maximum).
 */
export function percentileDistribution(histogram: Histogram, ticksPerHalfDistance = 5): PercentilePoint[] {
  const count = histogram.totalCount;
  if (count === 0) return [];
  const points: PercentilePoint[] = [];
  for (let tick = 0; ; tick += 1) {
    const remainingFraction = Math.pow(0.5, tick / ticksPerHalfDistance);
    if (remainingFraction * count < 1) break;
    const percentile = 100 * (1 - remainingFraction);
    points.push({ percentile, valueUs: histogram.getValueAtPercentile(percentile) });
  }
  points.push({ percentile: 100, valueUs: resolvedMaximum(histogram) });
  return points;
}
