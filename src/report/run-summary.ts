import { invalidArgument } from '../errors.js';
import { createResizableHistogram, decodeHistogram, encodeHistogram, LATENCY_VALUE_UNIT, type Histogram } from '../loadgen/latency-histogram.js';
import type { ResourceSample } from '../loadgen/resource-sampler.js';
import type { EncodedInterval, GeneratorHealth, LoadRunResult, ScheduleDescription } from '../loadgen/run-result.js';
import { UNCORRECTED_TAG, type IntervalLog } from './interval-log.js';
import { intervalPercentiles, latencyStats, percentileDistribution, type IntervalPercentiles, type LatencyStats, type PercentilePoint } from './latency-stats.js';

export const SUMMARY_FORMAT = 'aurigraph-load-summary';
export const SUMMARY_FORMAT_VERSION = 1;

export interface IntervalSummary {
  readonly startSec: number;
  readonly lengthSec: number;
  readonly completedCount: number;
  /** null when the source did not record errors (an interval log from another tool). */
  readonly errorCount: number | null;
  readonly throughputPerSec: number;
  readonly corrected: IntervalPercentiles;
  readonly uncorrected: IntervalPercentiles | null;
}

/**
 * The JSON summary of a run (`NAME.json` beside `NAME.hlog`). Latencies are microseconds. Fields
 * are null where the source did not record them: a summary rebuilt from an interval log alone
 * knows the latencies but not the schedule, errors or resource samples.
 */
export interface RunSummary {
  readonly format: typeof SUMMARY_FORMAT;
  readonly formatVersion: typeof SUMMARY_FORMAT_VERSION;
  readonly label: string;
  readonly valueUnit: typeof LATENCY_VALUE_UNIT;
  readonly startEpochMs: number | null;
  readonly durationSec: number;
  readonly intervalSec: number;
  readonly schedule: ScheduleDescription | null;
  readonly workerCount: number | null;
  readonly sentCount: number | null;
  readonly completedCount: number;
  readonly errorCount: number | null;
  readonly timeoutCount: number | null;
  readonly errorMessages: readonly string[];
  readonly throughputPerSec: number;
  readonly corrected: LatencyStats;
  readonly uncorrected: LatencyStats | null;
  readonly percentileDistribution: { readonly corrected: readonly PercentilePoint[]; readonly uncorrected: readonly PercentilePoint[] | null };
  readonly intervals: readonly IntervalSummary[];
  readonly resourceSamples: readonly ResourceSample[];
  readonly generator: GeneratorHealth | null;
  /** The cumulative histograms, lossless, so nothing above has to be trusted blindly. */
  readonly histograms: { readonly correctedBase64: string; readonly uncorrectedBase64: string | null };
  /** File name (same folder) of the interval log written with this summary, if any. */
  readonly intervalLogFile: string | null;
}

/** What the caller knows about a run beyond what the generator measured. */
export interface SummaryExtras {
  readonly label?: string;
  readonly resourceSamples?: readonly ResourceSample[];
  readonly intervalLogFile?: string | null;
}

interface DecodedInterval {
  readonly startSec: number;
  readonly lengthSec: number;
  readonly errorCount: number | null;
  readonly corrected: Histogram;
  readonly uncorrected: Histogram | null;
}

/** Per-interval numbers, and the cumulative histograms, decoding one interval at a time. */
function summarizeIntervals(intervals: Iterable<DecodedInterval>, withUncorrected: boolean) {
  const corrected = createResizableHistogram();
  const uncorrected = withUncorrected ? createResizableHistogram() : null;
  const summaries: IntervalSummary[] = [];
  for (const interval of intervals) {
    corrected.add(interval.corrected);
    if (uncorrected !== null && interval.uncorrected !== null) uncorrected.add(interval.uncorrected);
    const completedCount = interval.corrected.totalCount;
    summaries.push({
      startSec: interval.startSec,
      lengthSec: interval.lengthSec,
      completedCount,
      errorCount: interval.errorCount,
      throughputPerSec: interval.lengthSec > 0 ? completedCount / interval.lengthSec : 0,
      corrected: intervalPercentiles(interval.corrected),
      uncorrected: interval.uncorrected === null ? null : intervalPercentiles(interval.uncorrected),
    });
    interval.corrected.destroy();
    interval.uncorrected?.destroy();
  }
  return { corrected, uncorrected, summaries };
}

function* decodeEncodedIntervals(intervals: readonly EncodedInterval[]): Generator<DecodedInterval> {
  for (const interval of intervals) {
    yield {
      startSec: interval.startSec,
      lengthSec: interval.lengthSec,
      errorCount: interval.errorCount,
      corrected: decodeHistogram(interval.correctedBase64, `intervals[${interval.index}].corrected`),
      uncorrected: decodeHistogram(interval.uncorrectedBase64, `intervals[${interval.index}].uncorrected`),
    };
  }
}

/** Builds the JSON summary of a finished run. */
export function summarizeRun(run: LoadRunResult, extras: SummaryExtras = {}): RunSummary {
  const { summaries } = summarizeIntervals(decodeEncodedIntervals(run.intervals), true);
  return {
    format: SUMMARY_FORMAT,
    formatVersion: SUMMARY_FORMAT_VERSION,
    label: extras.label ?? 'run',
    valueUnit: LATENCY_VALUE_UNIT,
    startEpochMs: run.startEpochMs,
    durationSec: run.durationSec,
    intervalSec: run.intervalSec,
    schedule: run.schedule,
    workerCount: run.workerCount,
    sentCount: run.sentCount,
    completedCount: run.completedCount,
    errorCount: run.errorCount,
    timeoutCount: run.timeoutCount,
    errorMessages: run.errorMessages,
    throughputPerSec: run.durationSec > 0 ? run.completedCount / run.durationSec : 0,
    corrected: latencyStats(run.corrected),
    uncorrected: latencyStats(run.uncorrected),
    percentileDistribution: { corrected: percentileDistribution(run.corrected), uncorrected: percentileDistribution(run.uncorrected) },
    intervals: summaries,
    resourceSamples: [...(extras.resourceSamples ?? [])],
    generator: run.generator,
    histograms: { correctedBase64: encodeHistogram(run.corrected), uncorrectedBase64: encodeHistogram(run.uncorrected) },
    intervalLogFile: extras.intervalLogFile ?? null,
  };
}

const intervalKey = (startSec: number) => Math.round(startSec * 1000);

/**
 * Rebuilds a summary from an interval log: latencies come from the log's histograms. What a log
 * cannot hold (schedule, errors, generator health, resource samples, label) comes from `saved`,
 * the JSON summary written with it, when there is one; otherwise those fields are null or empty.
 */
export function summarizeIntervalLog(log: IntervalLog, saved: RunSummary | null = null, extras: SummaryExtras = {}): RunSummary {
  const correctedLines = log.intervals.filter((interval) => interval.tag === null);
  const uncorrectedByStart = new Map(log.intervals.filter((interval) => interval.tag === UNCORRECTED_TAG).map((interval) => [intervalKey(interval.startSec), interval]));
  if (correctedLines.length === 0) {
    throw invalidArgument(log.source, 'holds no untagged interval lines, so there is no latency to report');
  }
  const withUncorrected = uncorrectedByStart.size > 0;
  const savedErrors = new Map((saved?.intervals ?? []).map((interval) => [intervalKey(interval.startSec), interval.errorCount]));
  function* decoded(): Generator<DecodedInterval> {
    for (const line of correctedLines) {
      const uncorrectedLine = uncorrectedByStart.get(intervalKey(line.startSec));
      if (withUncorrected && uncorrectedLine === undefined) {
        throw invalidArgument(`${log.source}:${line.line}`, `has no matching Tag=${UNCORRECTED_TAG} line for the interval starting at ${line.startSec} s`);
      }
      yield {
        startSec: line.startSec,
        lengthSec: line.lengthSec,
        errorCount: savedErrors.get(intervalKey(line.startSec)) ?? null,
        corrected: decodeHistogram(line.histogramBase64, `${log.source}:${line.line}`),
        uncorrected: uncorrectedLine === undefined ? null : decodeHistogram(uncorrectedLine.histogramBase64, `${log.source}:${uncorrectedLine.line}`),
      };
    }
  }
  const { corrected, uncorrected, summaries } = summarizeIntervals(decoded(), withUncorrected);
  const first = summaries[0];
  const last = summaries[summaries.length - 1];
  const durationSec = first === undefined || last === undefined ? 0 : last.startSec + last.lengthSec - Math.min(0, first.startSec);
  const completedCount = corrected.totalCount;
  if (saved !== null && saved.completedCount !== completedCount) {
    throw invalidArgument(log.source, `holds ${completedCount} completed operations but its summary says ${saved.completedCount}; the two files are not from the same run`);
  }
  return {
    format: SUMMARY_FORMAT,
    formatVersion: SUMMARY_FORMAT_VERSION,
    label: extras.label ?? saved?.label ?? log.source,
    valueUnit: LATENCY_VALUE_UNIT,
    startEpochMs: log.startTimeEpochMs ?? saved?.startEpochMs ?? null,
    durationSec: saved?.durationSec ?? durationSec,
    intervalSec: saved?.intervalSec ?? first?.lengthSec ?? 0,
    schedule: saved?.schedule ?? null,
    workerCount: saved?.workerCount ?? null,
    sentCount: saved?.sentCount ?? null,
    completedCount,
    errorCount: saved?.errorCount ?? null,
    timeoutCount: saved?.timeoutCount ?? null,
    errorMessages: saved?.errorMessages ?? [],
    throughputPerSec: durationSec > 0 ? completedCount / (saved?.durationSec ?? durationSec) : 0,
    corrected: latencyStats(corrected),
    uncorrected: uncorrected === null ? null : latencyStats(uncorrected),
    percentileDistribution: {
      corrected: percentileDistribution(corrected),
      uncorrected: uncorrected === null ? null : percentileDistribution(uncorrected),
    },
    intervals: summaries,
    resourceSamples: extras.resourceSamples ?? saved?.resourceSamples ?? [],
    generator: saved?.generator ?? null,
    histograms: { correctedBase64: encodeHistogram(corrected), uncorrectedBase64: uncorrected === null ? null : encodeHistogram(uncorrected) },
    intervalLogFile: saved?.intervalLogFile ?? null,
  };
}

function expectObject(value: unknown, field: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalidArgument(field, 'must be an object');
  return value as Record<string, unknown>;
}

function expectNumbers(object: Record<string, unknown>, fields: readonly string[], where: string, nullable = false): void {
  for (const field of fields) {
    const value = object[field];
    if (nullable && value === null) continue;
    if (typeof value !== 'number' || !Number.isFinite(value)) throw invalidArgument(`${where}.${field}`, 'must be a number');
  }
}

const STATS_FIELDS = ['count', 'minUs', 'meanUs', 'p50Us', 'p90Us', 'p99Us', 'p999Us', 'p9999Us', 'maxUs'] as const;
const INTERVAL_PERCENTILE_FIELDS = ['p50Us', 'p90Us', 'p99Us', 'p999Us', 'maxUs'] as const;

/**
 * Parses and checks a saved JSON summary. The check covers every field the report reads, so a
 * hand-edited or truncated file fails here with the field named, not halfway through rendering.
 */
export function parseRunSummary(text: string, source: string): RunSummary {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw invalidArgument(source, `is not JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  const summary = expectObject(value, source);
  if (summary['format'] !== SUMMARY_FORMAT) throw invalidArgument(`${source}.format`, `must be '${SUMMARY_FORMAT}'; is this a run summary?`);
  if (summary['formatVersion'] !== SUMMARY_FORMAT_VERSION) {
    throw invalidArgument(`${source}.formatVersion`, `must be ${SUMMARY_FORMAT_VERSION}, got ${String(summary['formatVersion'])}`);
  }
  if (summary['valueUnit'] !== LATENCY_VALUE_UNIT) throw invalidArgument(`${source}.valueUnit`, `must be '${LATENCY_VALUE_UNIT}'`);
  if (typeof summary['label'] !== 'string') throw invalidArgument(`${source}.label`, 'must be a string');
  expectNumbers(summary, ['durationSec', 'intervalSec', 'completedCount', 'throughputPerSec'], source);
  expectNumbers(summary, ['startEpochMs', 'workerCount', 'sentCount', 'errorCount', 'timeoutCount'], source, true);
  expectNumbers(expectObject(summary['corrected'], `${source}.corrected`), STATS_FIELDS, `${source}.corrected`);
  if (summary['uncorrected'] !== null) expectNumbers(expectObject(summary['uncorrected'], `${source}.uncorrected`), STATS_FIELDS, `${source}.uncorrected`);
  const distribution = expectObject(summary['percentileDistribution'], `${source}.percentileDistribution`);
  for (const series of ['corrected', 'uncorrected'] as const) {
    const points = distribution[series];
    if (series === 'uncorrected' && points === null) continue;
    if (!Array.isArray(points)) throw invalidArgument(`${source}.percentileDistribution.${series}`, 'must be an array');
    for (const [position, point] of points.entries()) {
      expectNumbers(expectObject(point, `${source}.percentileDistribution.${series}[${position}]`), ['percentile', 'valueUs'], `${source}.percentileDistribution.${series}[${position}]`);
    }
  }
  const intervals = summary['intervals'];
  if (!Array.isArray(intervals)) throw invalidArgument(`${source}.intervals`, 'must be an array');
  for (const [position, entry] of intervals.entries()) {
    const where = `${source}.intervals[${position}]`;
    const interval = expectObject(entry, where);
    expectNumbers(interval, ['startSec', 'lengthSec', 'completedCount', 'throughputPerSec'], where);
    expectNumbers(interval, ['errorCount'], where, true);
    expectNumbers(expectObject(interval['corrected'], `${where}.corrected`), INTERVAL_PERCENTILE_FIELDS, `${where}.corrected`);
    if (interval['uncorrected'] !== null) expectNumbers(expectObject(interval['uncorrected'], `${where}.uncorrected`), INTERVAL_PERCENTILE_FIELDS, `${where}.uncorrected`);
  }
  const samples = summary['resourceSamples'];
  if (!Array.isArray(samples)) throw invalidArgument(`${source}.resourceSamples`, 'must be an array');
  for (const [position, entry] of samples.entries()) {
    const where = `${source}.resourceSamples[${position}]`;
    const sample = expectObject(entry, where);
    expectNumbers(sample, ['t', 'rssBytes'], where);
    // null: the node ran elsewhere, so its event loop could not be observed.
    expectNumbers(sample, ['eventLoopDelayP99Ms'], where, true);
    if (sample['eventLoopDelayP99MsByThread'] !== undefined) {
      const byThread = expectObject(sample['eventLoopDelayP99MsByThread'], `${where}.eventLoopDelayP99MsByThread`);
      expectNumbers(byThread, Object.keys(byThread), `${where}.eventLoopDelayP99MsByThread`);
    }
  }
  if (!Array.isArray(summary['errorMessages'])) throw invalidArgument(`${source}.errorMessages`, 'must be an array');
  const histograms = expectObject(summary['histograms'], `${source}.histograms`);
  if (typeof histograms['correctedBase64'] !== 'string') throw invalidArgument(`${source}.histograms.correctedBase64`, 'must be a string');
  if (summary['generator'] !== null) {
    expectNumbers(expectObject(summary['generator'], `${source}.generator`), ['lagThresholdMs', 'sendCount', 'lateSendCount', 'sendLagP99Us', 'sendLagMaxUs'], `${source}.generator`);
  }
  if (summary['schedule'] !== null) {
    const kind = expectObject(summary['schedule'], `${source}.schedule`)['kind'];
    if (kind !== 'open-loop' && kind !== 'closed-loop') throw invalidArgument(`${source}.schedule.kind`, "must be 'open-loop' or 'closed-loop'");
  }
  if (summary['intervalLogFile'] !== null && typeof summary['intervalLogFile'] !== 'string') {
    throw invalidArgument(`${source}.intervalLogFile`, 'must be a file name or null');
  }
  return summary as unknown as RunSummary;
}
