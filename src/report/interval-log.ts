import { invalidArgument } from '../errors.js';
import { LATENCY_VALUE_UNIT } from '../loadgen/latency-histogram.js';
import type { EncodedInterval } from '../loadgen/run-result.js';

/**
 * HdrHistogram's interval log, byte for byte the format of its HistogramLogWriter (log format
 * version 1.3), so HistogramLogProcessor, HdrHistogramVisualizer and the other ports read it:
 *
 *   #[Histogram log format version 1.3]
 *   #[StartTime: 1700000000.123 (seconds since epoch), 2023-11-14T22:13:20.123Z]
 *   #[BaseTime: 1700000000.123 (seconds since epoch)]
 *   "StartTimestamp","Interval_Length","Interval_Max","Interval_Compressed_Histogram"
 *   0.000,1.000,12.345,HISTFAAA...
 *   Tag=uncorrected,0.000,1.000,1.234,HISTFAAA...
 *
 * Timestamps are seconds relative to BaseTime (the run start). Histogram values are microseconds
 * and Interval_Max is in milliseconds, so Java's HistogramLogProcessor wants
 * `-outputValueUnitRatio 1000` to print milliseconds. Untagged lines hold the latency corrected
 * for coordinated omission (what tools show by default); `Tag=uncorrected` lines hold the latency
 * from the actual send.
 */
export const INTERVAL_LOG_FORMAT_VERSION = '1.3';
export const INTERVAL_LOG_LEGEND = '"StartTimestamp","Interval_Length","Interval_Max","Interval_Compressed_Histogram"';
export const UNCORRECTED_TAG = 'uncorrected';
/** Histogram values are microseconds; Interval_Max is written in milliseconds. */
const MAX_VALUE_UNIT_RATIO = 1000;

export interface IntervalLogInput {
  readonly startEpochMs: number;
  readonly intervals: readonly EncodedInterval[];
}

export interface LoggedInterval {
  /** null for untagged lines (corrected latency in our logs). */
  readonly tag: string | null;
  /** Seconds since the log's start time. */
  readonly startSec: number;
  readonly lengthSec: number;
  /** Interval_Max as written (milliseconds in our logs). */
  readonly intervalMax: number;
  readonly histogramBase64: string;
  /** 1-based line in the source, for error messages. */
  readonly line: number;
}

export interface IntervalLog {
  readonly kind: 'hdr-interval-log';
  readonly source: string;
  readonly startTimeEpochMs: number | null;
  readonly baseTimeEpochMs: number | null;
  readonly formatVersion: string | null;
  readonly comments: readonly string[];
  readonly intervals: readonly LoggedInterval[];
}

const seconds3 = (value: number) => value.toFixed(3);

function maxOf(base64Max: number): string {
  return seconds3(base64Max / MAX_VALUE_UNIT_RATIO);
}

/** Writes a run's intervals as an HdrHistogram interval log. */
export function writeIntervalLog(input: IntervalLogInput): string {
  if (!Number.isFinite(input.startEpochMs) || input.startEpochMs <= 0) {
    throw invalidArgument('startEpochMs', `must be a wall-clock time in milliseconds since the epoch, got ${input.startEpochMs}`);
  }
  const startSec = seconds3(input.startEpochMs / 1000);
  const lines = [
    '#[Logged with aurigraph loadgen]',
    `#[Histogram log format version ${INTERVAL_LOG_FORMAT_VERSION}]`,
    `#[StartTime: ${startSec} (seconds since epoch), ${new Date(input.startEpochMs).toISOString()}]`,
    `#[BaseTime: ${startSec} (seconds since epoch)]`,
    `#[Values in ${LATENCY_VALUE_UNIT}; Interval_Max in milliseconds. Untagged: corrected for coordinated omission (from intended start). Tag=${UNCORRECTED_TAG}: from actual send.]`,
    INTERVAL_LOG_LEGEND,
  ];
  for (const interval of input.intervals) {
    const timing = `${seconds3(interval.startSec)},${seconds3(interval.lengthSec)}`;
    lines.push(`${timing},${maxOf(interval.correctedMaxUs)},${interval.correctedBase64}`);
    lines.push(`Tag=${UNCORRECTED_TAG},${timing},${maxOf(interval.uncorrectedMaxUs)},${interval.uncorrectedBase64}`);
  }
  return `${lines.join('\n')}\n`;
}

function headerNumber(line: string, prefix: string, source: string, lineNumber: number): number {
  const value = Number.parseFloat(line.slice(prefix.length).trim().split(/\s+/)[0] ?? '');
  if (!Number.isFinite(value)) {
    throw invalidArgument(`${source}:${lineNumber}`, `'${prefix}' is not followed by a number of seconds: ${line}`);
  }
  return value;
}

const SECONDS_PER_YEAR = 365 * 24 * 3600;

/**
 * Reads an HdrHistogram interval log (ours or another tool's). Timestamps come back relative to
 * the log's start; like HdrHistogram's reader, a log without a BaseTime whose timestamps are
 * within a year of its StartTime is taken to hold absolute timestamps.
 */
export function parseIntervalLog(text: string, source: string): IntervalLog {
  let startTimeSec: number | null = null;
  let baseTimeSec: number | null = null;
  let formatVersion: string | null = null;
  const comments: string[] = [];
  const raw: Array<{ tag: string | null; timestampSec: number; lengthSec: number; intervalMax: number; histogramBase64: string; line: number }> = [];
  const lines = text.split(/\r\n|\r|\n/);
  for (const [position, rawLine] of lines.entries()) {
    const line = rawLine.trim();
    const lineNumber = position + 1;
    if (line === '') continue;
    if (line.startsWith('#[StartTime:')) {
      startTimeSec = headerNumber(line, '#[StartTime:', source, lineNumber);
    } else if (line.startsWith('#[BaseTime:')) {
      baseTimeSec = headerNumber(line, '#[BaseTime:', source, lineNumber);
    } else if (line.startsWith('#[Histogram log format version ')) {
      formatVersion = line.slice('#[Histogram log format version '.length).replace(/\]$/, '');
    } else if (line.startsWith('#')) {
      comments.push(line.slice(1));
    } else if (line.startsWith('"StartTimestamp"')) {
      continue;
    } else {
      const fields = line.split(',');
      let tag: string | null = null;
      if (fields[0]?.startsWith('Tag=')) tag = fields.shift()?.slice('Tag='.length) ?? null;
      if (fields.length !== 4) {
        throw invalidArgument(`${source}:${lineNumber}`, `an interval line has StartTimestamp,Interval_Length,Interval_Max,Interval_Compressed_Histogram (4 fields), got ${fields.length}`);
      }
      const [timestamp, length, max, histogramBase64] = fields as [string, string, string, string];
      const numbers = [timestamp, length, max].map(Number);
      if (!numbers.every(Number.isFinite) || (numbers[1] ?? -1) < 0) {
        throw invalidArgument(`${source}:${lineNumber}`, `StartTimestamp, Interval_Length and Interval_Max must be numbers: ${line.slice(0, 80)}`);
      }
      if (!histogramBase64.startsWith('HISTF') && !histogramBase64.startsWith('HISTI')) {
        throw invalidArgument(`${source}:${lineNumber}`, 'Interval_Compressed_Histogram is not a compressed HdrHistogram (expected base64 starting with HISTF)');
      }
      raw.push({ tag, timestampSec: numbers[0] ?? 0, lengthSec: numbers[1] ?? 0, intervalMax: numbers[2] ?? 0, histogramBase64, line: lineNumber });
    }
  }
  const firstTimestamp = raw[0]?.timestampSec ?? 0;
  const timestampsAreAbsolute = baseTimeSec === null && startTimeSec !== null && firstTimestamp >= startTimeSec - SECONDS_PER_YEAR;
  const originSec = startTimeSec ?? baseTimeSec ?? 0;
  const toRelative = (timestampSec: number): number => {
    if (baseTimeSec !== null) return baseTimeSec + timestampSec - (startTimeSec ?? baseTimeSec);
    if (timestampsAreAbsolute) return timestampSec - originSec;
    return timestampSec;
  };
  return {
    kind: 'hdr-interval-log',
    source,
    startTimeEpochMs: startTimeSec === null ? null : startTimeSec * 1000,
    baseTimeEpochMs: baseTimeSec === null ? null : baseTimeSec * 1000,
    formatVersion,
    comments,
    intervals: raw.map((entry) => ({
      tag: entry.tag,
      startSec: Math.round(toRelative(entry.timestampSec) * 1000) / 1000,
      lengthSec: entry.lengthSec,
      intervalMax: entry.intervalMax,
      histogramBase64: entry.histogramBase64,
      line: entry.line,
    })),
  };
}
