import { build, decodeFromCompressedBase64, encodeIntoCompressedBase64, type Histogram } from 'hdr-histogram-js';
import { invalidArgument } from '../errors.js';

/**
 * The one histogram configuration every latency in the load generator and the reports uses.
 *
 * Values are whole MICROSECONDS. Microseconds keep loopback latencies (tens of µs) distinct while
 * the top of the range, 60e9 µs (about 16.7 hours), covers the longest soak run; three significant
 * digits mean each recorded value is within 0.1% of the truth. With 64-bit counts that is about
 * 220 KiB per histogram, so a recorder holds a handful and intervals travel encoded.
 */
export const LATENCY_VALUE_UNIT = 'microseconds';
export const LATENCY_LOWEST_DISCERNIBLE_US = 1;
export const LATENCY_HIGHEST_TRACKABLE_US = 60_000_000_000;
export const LATENCY_SIGNIFICANT_DIGITS = 3;

export type { Histogram };

/** A fresh, empty latency histogram with the fixed configuration (it never resizes). */
export function createLatencyHistogram(): Histogram {
  return build({
    bitBucketSize: 64,
    autoResize: false,
    lowestDiscernibleValue: LATENCY_LOWEST_DISCERNIBLE_US,
    highestTrackableValue: LATENCY_HIGHEST_TRACKABLE_US,
    numberOfSignificantValueDigits: LATENCY_SIGNIFICANT_DIGITS,
  });
}

/**
 * A histogram that grows to fit whatever is added to it: used when reading logs written by other
 * HdrHistogram tools, whose configuration (and range) may differ from ours.
 */
export function createResizableHistogram(): Histogram {
  return build({
    bitBucketSize: 64,
    autoResize: true,
    lowestDiscernibleValue: LATENCY_LOWEST_DISCERNIBLE_US,
    numberOfSignificantValueDigits: LATENCY_SIGNIFICANT_DIGITS,
  });
}

/**
 * Converts a duration in nanoseconds to the whole microseconds we record, clamped into the
 * histogram's range so that a pathological value is recorded as "at least this bad" instead of
 * throwing out of the middle of a run.
 */
export function nanosecondsToRecordableMicroseconds(durationNs: bigint): number {
  if (durationNs <= 0n) return 0;
  const microseconds = Number((durationNs + 500n) / 1000n);
  return Math.min(microseconds, LATENCY_HIGHEST_TRACKABLE_US);
}

/** Clamps a microsecond value given by a caller into the recordable range. */
export function recordableMicroseconds(valueUs: number): number {
  if (!Number.isFinite(valueUs) || valueUs < 0) {
    throw invalidArgument('latencyUs', `must be a finite number of microseconds >= 0, got ${valueUs}`);
  }
  return Math.min(Math.round(valueUs), LATENCY_HIGHEST_TRACKABLE_US);
}

/** HdrHistogram's standard compressed base64 form ("HISTFAAA..."), readable by every port. */
export function encodeHistogram(histogram: Histogram): string {
  return encodeIntoCompressedBase64(histogram);
}

/**
 * Decodes a compressed base64 histogram. `field` names where it came from (a log line, a JSON
 * path), so a corrupt file produces an error the user can find.
 */
export function decodeHistogram(base64: string, field: string): Histogram {
  try {
    return decodeFromCompressedBase64(base64, 64);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw invalidArgument(field, `is not a compressed base64 HdrHistogram (${reason})`);
  }
}

/** The sum of the given histograms, in a new histogram that can hold any of them. */
export function sumHistograms(histograms: Iterable<Histogram>): Histogram {
  const total = createResizableHistogram();
  for (const histogram of histograms) total.add(histogram);
  return total;
}

/** Decodes and sums encoded histograms: how the main thread merges its generator workers. */
export function sumEncodedHistograms(encoded: Iterable<string>, field: string): Histogram {
  const total = createResizableHistogram();
  let position = 0;
  for (const base64 of encoded) {
    const histogram = decodeHistogram(base64, `${field}[${position}]`);
    total.add(histogram);
    histogram.destroy();
    position += 1;
  }
  return total;
}
