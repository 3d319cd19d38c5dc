/**
 * One point of the sweep, measured the way bench/ingest measures (its IngestBench, not a copy):
 * a fresh node and data folder started with the point's `--set` overrides, batch-signed
 * transfers prepared and signed before the clock, a closed loop after a warm-up for the peak
 * committed tx/s; then another fresh node driven in an open loop at half that peak for receipt
 * latency. The node's VmRSS and RssAnon are sampled from /proc during both measured parts.
 */
import type { IngestBench, IngestMeasurement, WorkloadShapeSpec } from '../../bench/ingest/scenarios.js';
import { assert } from '../../src/errors.js';
import { configurationAt, nodeOverridesOf, type TuneSettings } from './knobs.js';
import type { PointMeasurement } from './sweep.js';

export interface PointTiming {
  /** Closed loop: warm-up (its second half probes the rate) and the measured window. */
  readonly warmupMs: number;
  readonly durationMs: number;
  /** Open loop at half the peak: warm-up and measured window. */
  readonly latencyWarmupMs: number;
  readonly latencyDurationMs: number;
  readonly memorySampleIntervalMs: number;
}

export interface ClientShape {
  readonly streams: number;
  /** Transactions the closed loop keeps in flight in all (streams × batches × batch size), about. */
  readonly transactionsInFlight: number;
  /** Batches in flight per stream, at most. */
  readonly batchesInFlightPerStreamMax: number;
  /** A first guess of the peak, to size the first warm-up's batches. */
  readonly rateGuessPerSecond: number;
}

/** What bench/ingest's throughput shape uses: 4 streams, 8,192 × 4 transactions in flight. */
export const defaultClientShape: ClientShape = { streams: 4, transactionsInFlight: 32_768, batchesInFlightPerStreamMax: 8, rateGuessPerSecond: 60_000 };

/**
 * The client's workload at one batch size: the same streams and about the same transactions in
 * flight whatever the batch size, so the batch-size knob changes how the work is cut, not how
 * much of it the node is offered at once.
 */
export function workloadShapeFor(batchTransactions: number, client: ClientShape = defaultClientShape): WorkloadShapeSpec {
  assert(Number.isSafeInteger(batchTransactions) && batchTransactions >= 1, `a batch holds at least one transaction, got ${batchTransactions}`);
  const perStream = Math.round(client.transactionsInFlight / (client.streams * batchTransactions));
  return {
    id: `tune-batch-signed-${batchTransactions}`,
    signatureMode: 'batch-signed',
    batchSize: batchTransactions,
    streams: client.streams,
    inFlightPerStream: Math.min(client.batchesInFlightPerStreamMax, Math.max(1, perStream)),
    rateGuessPerSecond: client.rateGuessPerSecond,
    // The warm-up's probe sizes the measured part's batches; on a shared machine the measured
    // part can run well above the probe, and running out of batches would cut its figure.
    rateHeadroom: 2.5,
  };
}

const attemptsMax = 2;

/**
 * A run that fails (a node that does not start, a stream that breaks) is tried once more on a
 * fresh node: on a shared machine that is more often the machine than the settings. The retry
 * is noted, and a second failure is the point's failure.
 */
async function attempted(label: string, notes: string[], run: () => Promise<IngestMeasurement>): Promise<{ measurement: IngestMeasurement } | { failure: string }> {
  for (let attempt = 1; ; attempt++) {
    try {
      return { measurement: await run() };
    } catch (error) {
      if (attempt === attemptsMax) return { failure: `${label} failed: ${summaryOf(error)}` };
      notes.push(`${label} tried again after: ${summaryOf(error)}`);
    }
  }
}

function peakOf(values: readonly number[]): number | null {
  return values.length === 0 ? null : Math.max(...values);
}

/**
 * The error's first line, and from the node log that follows it the line that names the error
 * (a crashed Node.js process ends its log with its version, which says nothing), else the last.
 */
function summaryOf(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const lines = text.split('\n').filter((line) => line.trim() !== '');
  const first = lines[0] ?? 'no message';
  if (lines.length === 1) return first;
  const rest = lines.slice(1);
  const named = rest.find((line) => /error/i.test(line)) ?? rest.at(-1)!;
  return `${first} … ${named.trim().slice(0, 300)}`;
}

/** What a reader needs to know about a run besides its figures. */
function notesOf(label: string, measurement: IngestMeasurement): string[] {
  const notes: string[] = [];
  const { audit } = measurement;
  const notCommitted = audit.rejected + audit.failed + audit.otherStatus;
  if (notCommitted > 0) notes.push(`${label}: ${notCommitted.toLocaleString('en-US')} receipts not COMMITTED (${Object.keys(audit.outcomesByReason).slice(0, 3).join(', ')})`);
  const inexact = audit.missingReceipts + audit.duplicateReceipts + audit.unexpectedReceipts;
  if (inexact > 0) notes.push(`${label}: ${audit.missingReceipts} missing, ${audit.duplicateReceipts} duplicate, ${audit.unexpectedReceipts} unexpected receipts`);
  if (measurement.batchErrors > 0) notes.push(`${label}: ${measurement.batchErrors} batch errors (${measurement.errorMessages.slice(0, 1).join('')})`);
  if (measurement.sourceExhausted) notes.push(`${label}: prepared batches ran out early`);
  if (measurement.generator?.cannotKeepUp) notes.push(`${label}: the client did not keep its schedule (${measurement.generator.reason})`);
  return notes;
}

export async function measurePoint(bench: IngestBench, profile: string, settings: TuneSettings, timing: PointTiming, fixedOverrides: Readonly<Record<string, string>> = {}, client: ClientShape = defaultClientShape): Promise<PointMeasurement> {
  const empty = { settings, committedPerSecond: 0, halfPeak: null, memoryPeakRssBytes: null, memoryPeakRssAnonBytes: null, memorySampleCount: 0, notes: [] };
  const configuration = configurationAt(profile, settings, fixedOverrides);
  if ('invalid' in configuration) return { ...empty, failure: `not started: ${configuration.invalid}` };
  const shape = workloadShapeFor(settings.batchTransactions, client);
  const run = { settings: { ...fixedOverrides, ...nodeOverridesOf(settings) }, memorySampleIntervalMs: timing.memorySampleIntervalMs };
  const notes: string[] = [];
  const peak = await attempted('closed loop', notes, () => bench.peak(shape, 1, timing.warmupMs, timing.durationMs, run));
  if ('failure' in peak) return { ...empty, notes, failure: peak.failure };
  notes.push(...notesOf('closed loop', peak.measurement));
  const samples = [...peak.measurement.nodeMemory];
  let halfPeak: PointMeasurement['halfPeak'] = null;
  const target = peak.measurement.committedPerSecond / 2;
  if (target > 0) {
    const half = await attempted('half peak', notes, () => bench.atRate(shape, 1, target, timing.latencyWarmupMs, timing.latencyDurationMs, run));
    if ('failure' in half) notes.push(half.failure);
    else {
      notes.push(...notesOf('half peak', half.measurement));
      samples.push(...half.measurement.nodeMemory);
      halfPeak = { targetPerSecond: target, committedPerSecond: half.measurement.committedPerSecond, latencyP50Us: half.measurement.latency.p50Us, latencyP99Us: half.measurement.latency.p99Us };
    }
  } else {
    notes.push('nothing committed in the closed loop, so no half-peak run');
  }
  return {
    settings,
    committedPerSecond: peak.measurement.committedPerSecond,
    halfPeak,
    memoryPeakRssBytes: peakOf(samples.map((sample) => sample.rssBytes)),
    memoryPeakRssAnonBytes: peakOf(samples.map((sample) => sample.rssAnonBytes)),
    memorySampleCount: samples.length,
    notes,
    failure: null,
  };
}
