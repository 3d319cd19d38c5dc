/**
 * What `scripts/tune` reports: the BENCHMARKS.md section between the tune markers (also printed
 * to stdout) with the command, the machine, every point, the best settings and why, and the gain
 * over defaults as a ratio from the A/B repeats; and the YAML the bench and soak profiles carry.
 * Figures are truncated, never rounded up; a figure that was not measured is not shown.
 */
import type { SectionMarkers } from '../../bench/crypto/markdown-section.js';
import { formatFigure, formatMicroseconds } from '../../bench/common/format.js';
import { formatMachine, formatMachineLoad, type MachineDescription } from '../../bench/common/machine.js';
import { describeSettings, type KnobName, knobs, type TuneSettings } from './knobs.js';
import { explainStep, mebibytes, measureName, movesSummary, times } from './explain.js';
import type { Gain } from './gain.js';
import type { ClientShape, PointTiming } from './point-runner.js';
import { type MemoryBound, type SweepPoint, type SweepResult, verdictOf } from './sweep.js';

export const tuneMarkers: SectionMarkers = {
  start: '<!-- tune:start -->',
  end: '<!-- tune:end -->',
};

/** soak.yaml keeps rings at most this big, so backpressure stays common in long runs. */
export const soakRingRecordsMax = 4096;

export interface TuneReport {
  readonly command: string;
  readonly profile: string;
  readonly quick: boolean;
  readonly machineAtStart: MachineDescription;
  readonly machineAtEnd: MachineDescription;
  readonly elapsedSec: number;
  readonly accountCount: number;
  readonly timing: PointTiming;
  readonly client: ClientShape;
  readonly bound: MemoryBound;
  readonly moveThresholdRatio: number;
  readonly passesMax: number;
  readonly knobValues: Readonly<Record<KnobName, readonly number[]>>;
  /** `--set` overrides every point's node ran with besides the knobs. */
  readonly fixedOverrides: Readonly<Record<string, string>>;
  readonly defaults: TuneSettings;
  readonly sweep: SweepResult;
  /** The A/B repeats, in the order run. */
  readonly repeats: readonly SweepPoint[];
  readonly gain: Gain | null;
}

const count = (value: number): string => value.toLocaleString('en-US');
const seconds = (ms: number): string => `${formatFigure(ms / 1000)} s`;

function verdictCell(point: SweepPoint, report: TuneReport): string {
  const verdict = verdictOf(point.measurement, report.bound);
  const best = point.id === report.sweep.best.id ? ' **(best)**' : '';
  const notes = point.measurement.notes.length === 0 ? '' : `; ${point.measurement.notes.join('; ')}`;
  switch (verdict) {
    case 'within':
      return `within${best}${notes}`;
    case 'over':
      return `**rejected**: over ${mebibytes(report.bound.bytesMax)}${best}${notes}`;
    case 'unmeasured':
      return `memory not sampled${best}${notes}`;
    case 'failed':
      return `failed: ${point.measurement.failure}`;
  }
}

function varied(point: SweepPoint): string {
  if (point.role === 'start') return 'start (defaults)';
  if (point.role === 'repeat-defaults') return 'repeat: defaults';
  if (point.role === 'repeat-best') return 'repeat: best';
  return `pass ${point.pass}: ${knobs.find((knob) => knob.name === point.knob)!.label}`;
}

/** The table of every point; also what stdout shows as the sweep goes. */
export function pointsTable(points: readonly SweepPoint[], report: TuneReport): string {
  const header = [
    `| # | varied | ${knobs.map((knob) => knob.label).join(' | ')} | committed tx/s | half peak: P50 | P99 | VmRSS peak | RssAnon peak | ${measureName(report.bound)} ≤ ${mebibytes(report.bound.bytesMax)} |`,
    `| ---: | --- | ${knobs.map(() => '---:').join(' | ')} | ---: | ---: | ---: | ---: | ---: | --- |`,
  ];
  const rows = points.map((point) => {
    const { measurement } = point;
    const failed = measurement.failure !== null;
    const figure = (text: string | null): string => (failed || text === null ? '–' : text);
    return (
      `| ${point.id} | ${varied(point)} | ${knobs.map((knob) => count(measurement.settings[knob.name])).join(' | ')} | ` +
      `${figure(formatFigure(measurement.committedPerSecond))} | ` +
      `${figure(measurement.halfPeak === null ? null : formatMicroseconds(measurement.halfPeak.latencyP50Us))} | ` +
      `${figure(measurement.halfPeak === null ? null : formatMicroseconds(measurement.halfPeak.latencyP99Us))} | ` +
      `${figure(measurement.memoryPeakRssBytes === null ? null : mebibytes(measurement.memoryPeakRssBytes))} | ` +
      `${figure(measurement.memoryPeakRssAnonBytes === null ? null : mebibytes(measurement.memoryPeakRssAnonBytes))} | ${verdictCell(point, report)} |`
    );
  });
  return [...header, ...rows].join('\n');
}

/** The profile YAML the sweep's best settings make: bench.yaml takes them all; soak.yaml caps its rings. */
export function profileSnippets(best: TuneSettings): { bench: string; soak: string } {
  const block = (ringRecords: number): string =>
    [
      'shards:',
      `  count: ${best.shardCount}`,
      `  ringRecords: ${ringRecords}`,
      'batching:',
      `  maxBatchTransactions: ${best.batchTransactions}`,
      `  groupCommitWindowMs: ${best.groupCommitWindowMs}`,
      'workers:',
      `  piscinaThreads: ${best.piscinaThreads}`,
    ].join('\n');
  return { bench: block(best.ringRecords), soak: block(Math.min(best.ringRecords, soakRingRecordsMax)) };
}

function gainText(report: TuneReport): string[] {
  const { gain } = report;
  const defaultsRuns = report.repeats.filter((point) => point.role === 'repeat-defaults');
  const bestRuns = report.repeats.filter((point) => point.role === 'repeat-best');
  const lines = [
    `Defaults (A) and best (B) run again at the end, in alternation (${report.repeats.map((point) => (point.role === 'repeat-defaults' ? 'A' : 'B')).join(' ')}), each on a fresh node as above.`,
    '',
  ];
  if (gain === null) {
    lines.push('No gain can be given: no pair of repeats has both runs measured, or the defaults committed nothing (see their rows).');
    return lines;
  }
  const sameSettings = describeSettings(report.defaults) === describeSettings(report.sweep.best.measurement.settings);
  lines.push(
    `**Gain over defaults: ${times(gain.ratio)}** committed tx/s (mean of B ${formatFigure(gain.bestMeanPerSecond)} over mean of A ${formatFigure(gain.defaultsMeanPerSecond)}; ` +
      `pair by pair ${gain.pairRatios.map((ratio) => (Number.isFinite(ratio) ? times(ratio) : 'none (A committed nothing)')).join(', ')}${gain.pairsLeftOut === 0 ? '' : `; ${gain.pairsLeftOut} pair${gain.pairsLeftOut === 1 ? '' : 's'} left out, a run failed`}).` +
      (sameSettings ? ' The sweep kept the defaults, so this ratio is the run-to-run noise of one configuration.' : ''),
  );
  const overBest = bestRuns.filter((point) => verdictOf(point.measurement, report.bound) !== 'within').length;
  const overDefaults = defaultsRuns.filter((point) => verdictOf(point.measurement, report.bound) !== 'within').length;
  if (overBest + overDefaults > 0) {
    lines.push('', `Memory in the repeats: ${overDefaults} of ${defaultsRuns.length} defaults runs and ${overBest} of ${bestRuns.length} best runs were not within the bound (rows above).`);
  }
  if (overDefaults > 0 && overBest === 0) {
    lines.push(
      '',
      `The defaults break the bound, so the sweep's first aim was to come within it: the ratio above is what the settings that keep the node within ${mebibytes(report.bound.bytesMax)} of ${measureName(report.bound)} ` +
        `commit against defaults that do not: ${gain.ratio < 1 ? 'the price of the bound' : 'the bound cost no throughput here'}.`,
    );
  }
  return lines;
}

export function formatTuneSection(report: TuneReport): string {
  const { sweep, bound, timing } = report;
  const best = sweep.best.measurement;
  const bestWithin = verdictOf(best, bound) === 'within';
  const overrides = Object.entries(report.fixedOverrides).map(([field, value]) => ` \`--set ${field}=${value}\``).join('');
  const lines: string[] = [
    '## Tuning the profile knobs (`scripts/tune.ts`)',
    '',
    `Command: \`${report.command}\` · ${formatMachine(report.machineAtStart)} · run ${report.machineAtStart.takenAt.slice(0, 10)}, ${Math.floor(report.elapsedSec)} s · ` +
      `at start: ${formatMachineLoad(report.machineAtStart)}; at end: ${formatMachineLoad(report.machineAtEnd)}`,
    '',
    `Every point is a fresh node process and data folder: profile \`${report.profile}\` with the point's knobs as \`--set\` overrides${overrides}, ` +
      `a genesis of ${count(report.accountCount)} derived accounts. Workload: batch-signed transfers (bench/ingest's IngestBench), ${report.client.streams} streams, ` +
      `about ${count(report.client.transactionsInFlight)} transactions in flight whatever the batch size, every batch signed before the clock. ` +
      `Peak: closed loop, ${seconds(timing.warmupMs)} warm-up (its second half probes the rate), then ${seconds(timing.durationMs)} measured; ` +
      `latency: a second fresh node in an open loop at half that peak, ${seconds(timing.latencyWarmupMs)} warm-up, ${seconds(timing.latencyDurationMs)} measured, ` +
      `batch receipt latency from each batch's intended start (HDR, coordinated omission corrected). ` +
      `Memory: /proc/<pid>/status every ${count(timing.memorySampleIntervalMs)} ms in both measured parts; the bound is on ${measureName(bound)} ` +
      `(${bound.measure === 'rss-anon' ? "the node's own memory: VmRSS adds LMDB's mapped file pages, which grow with the database" : 'all resident pages'}), ` +
      `a point over ${mebibytes(bound.bytesMax)} is rejected whatever its speed.`,
    '',
    `Coordinate sweep from config/defaults.yaml's values: one knob at a time over the values below, the others at the best so far, in this order; ` +
      `a knob moves only when a value beats the current one by more than ${formatFigure(report.moveThresholdRatio * 100)}%; ` +
      `at most ${report.passesMax} pass${report.passesMax === 1 ? '' : 'es'}, stopping when a pass moves nothing. ` +
      `This run: ${sweep.passesRun} pass${sweep.passesRun === 1 ? '' : 'es'}, ended ${sweep.ending === 'converged' ? 'because the last pass moved nothing' : sweep.ending === 'budget' ? 'when the time budget was spent' : 'after the last pass allowed'}.`,
    '',
    ...knobs.map((knob) => `- ${knob.label} (\`${knob.configPath}\`): ${report.knobValues[knob.name].map(count).join(', ')}`),
    '',
    '### Every point',
    '',
    pointsTable([...sweep.points, ...report.repeats], report),
    '',
    '### Why',
    '',
    ...sweep.steps.map((step) => `- ${explainStep(step, bound, report.moveThresholdRatio)}`),
    '',
    '### Best settings',
    '',
    bestWithin
      ? `Best within the bound: point #${sweep.best.id}, ${formatFigure(best.committedPerSecond)} committed tx/s.`
      : `**No point kept the node within ${mebibytes(bound.bytesMax)} of ${measureName(bound)}**; the best below is the point with the least memory, not a tuned result.`,
    '',
    '| Knob | Field | defaults.yaml | best |',
    '| --- | --- | ---: | ---: |',
    ...knobs.map((knob) => `| ${knob.label} | \`${knob.configPath}\` | ${count(report.defaults[knob.name])} | ${count(best.settings[knob.name])} |`),
    '',
  ];
  const moves = movesSummary(sweep, bound);
  lines.push(moves.length === 0 ? 'No knob moved: the defaults were the best point measured.' : `What moved the figure, largest first: ${moves.join('; ')}.`, '');
  lines.push('### Gain over defaults', '', ...gainText(report), '');
  return lines.join('\n');
}
