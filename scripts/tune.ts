/**
 * `npm run tune`: a documented coordinate sweep over the knobs that set a node's throughput on
 * this machine (batch size, shard count, piscina threads, ring size, group-commit window), each
 * point on a fresh node measured as bench/ingest measures, under a bound on the node's memory.
 * Prints every point, the best settings and which knob moved the figure, then runs the defaults
 * and the best again in alternation for the gain as a ratio. Writes a JSON result under
 * --results and BENCHMARKS.md between the tune markers (not with --quick). The profiles' YAML
 * for the best settings is printed last; config/bench.yaml and config/soak.yaml carry it.
 *
 *   node dist/scripts/tune.js [--quick] [options]     (usage: --help)
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describeMachine } from '../bench/common/machine.js';
import { formatFigure, formatMicroseconds } from '../bench/common/format.js';
import { writeSection } from '../bench/crypto/markdown-section.js';
import { IngestBench } from '../bench/ingest/scenarios.js';
import { selectSignatureBackend } from '../src/crypto/index.js';
import { invalidArgument } from '../src/errors.js';
import { derivedAccountsGenesis, loadAccountsFrom } from '../src/loadgen/transactions/load-accounts.js';
import { repoRoot } from '../src/paths.js';
import { renderGenesis } from '../src/pipeline/genesis-file.js';
import { parseTuneArguments, usage } from './tune/arguments.js';
import { explainStep, mebibytes } from './tune/explain.js';
import { alternatingArms, gainOf } from './tune/gain.js';
import { defaultSettings, describeSettings, type KnobName, knobs, nodeOverridesOf } from './tune/knobs.js';
import { defaultClientShape, measurePoint, type PointTiming } from './tune/point-runner.js';
import { formatTuneSection, profileSnippets, tuneMarkers, type TuneReport } from './tune/section.js';
import { coordinateSweep, type SweepPoint, verdictOf } from './tune/sweep.js';

const accountCount = 1024;
const prepareThreads = 2;

if (process.argv.includes('--help')) {
  console.log(usage);
  process.exit(0);
}
const options = parseTuneArguments(process.argv.slice(2));
const knobFields = new Set(Object.keys(nodeOverridesOf(defaultSettings())));
for (const field of Object.keys(options.fixedOverrides)) {
  if (knobFields.has(field)) throw invalidArgument('--set', `${field} is a knob the sweep sets itself; --set is for the settings it holds fixed`);
}
const say = (message: string): void => console.error(`tune: ${message}`);
const startedMs = performance.now();
const machineAtStart = describeMachine();
const defaults = defaultSettings();
const timing: PointTiming = {
  warmupMs: options.warmupMs,
  durationMs: options.durationMs,
  latencyWarmupMs: options.latencyWarmupMs,
  latencyDurationMs: options.latencyDurationMs,
  memorySampleIntervalMs: options.memorySampleIntervalMs,
};
const bound = { bytesMax: options.memoryBoundBytes, measure: options.memoryMeasure };
const valuesOf = (name: KnobName): readonly number[] => {
  const knob = knobs.find((candidate) => candidate.name === name)!;
  return options.quick ? knob.quickValues : knob.values;
};

function oneLine(point: SweepPoint): string {
  const { measurement } = point;
  if (measurement.failure !== null) return `#${point.id} ${describeSettings(measurement.settings)}: ${measurement.failure}`;
  const half = measurement.halfPeak;
  const latency = half === null ? 'no half-peak run' : `half peak P50 ${formatMicroseconds(half.latencyP50Us)} P99 ${formatMicroseconds(half.latencyP99Us)}`;
  const memory = `VmRSS ${measurement.memoryPeakRssBytes === null ? '–' : mebibytes(measurement.memoryPeakRssBytes)}, RssAnon ${measurement.memoryPeakRssAnonBytes === null ? '–' : mebibytes(measurement.memoryPeakRssAnonBytes)}`;
  return `#${point.id} ${describeSettings(measurement.settings)}: ${formatFigure(measurement.committedPerSecond)} tx/s, ${latency}, ${memory} → ${verdictOf(measurement, bound)}`;
}

const backend = selectSignatureBackend('auto');
const workDir = await mkdtemp(path.join(tmpdir(), 'aurigraph-tune-'));
try {
  const genesis = derivedAccountsGenesis(accountCount, backend);
  const genesisFile = path.join(workDir, 'genesis.yaml');
  await writeFile(genesisFile, renderGenesis(genesis, `${accountCount} tuning accounts from the published development seeds: INSECURE.`));
  const bench = new IngestBench({ accounts: loadAccountsFrom(genesis, 'batch-signed', backend), genesisFile, workDir, profile: options.profile, prepareThreads, onProgress: (message) => say(`  ${message}`) });
  const measure = (settings: typeof defaults) => measurePoint(bench, options.profile, settings, timing, options.fixedOverrides, defaultClientShape);

  let pointsMeasured = 0;
  const pointMsAverage = (): number => (performance.now() - startedMs) / Math.max(1, pointsMeasured);
  say(`sweep from defaults.yaml (${describeSettings(defaults)}), profile ${options.profile}, bound ${bound.measure} ≤ ${mebibytes(bound.bytesMax)}`);
  const sweep = await coordinateSweep({
    knobs,
    valuesOf: (knob) => valuesOf(knob.name),
    start: defaults,
    passesMax: options.passesMax,
    bound,
    moveThresholdRatio: options.moveThresholdRatio,
    measure: (settings, context) => {
      say(`point ${pointsMeasured + 1}${context.knob === null ? ' (start)' : `, pass ${context.pass}, ${context.knob}`}: ${describeSettings(settings)}`);
      return measure(settings);
    },
    // A later pass starts a point only when it and the repeats still fit in the budget.
    mayMeasureMore: () => performance.now() - startedMs + pointMsAverage() * (1 + 2 * options.repeats) <= options.budgetMs,
    onPoint: (point) => {
      pointsMeasured += 1;
      say(oneLine(point));
    },
  });
  for (const step of sweep.steps) say(explainStep(step, bound, options.moveThresholdRatio));

  say(`repeats: defaults (A) and best (B) alternating, ${options.repeats} each`);
  const repeats: SweepPoint[] = [];
  for (const arm of alternatingArms(options.repeats)) {
    const settings = arm === 'defaults' ? defaults : sweep.best.measurement.settings;
    const point: SweepPoint = { id: sweep.points.length + repeats.length + 1, role: arm === 'defaults' ? 'repeat-defaults' : 'repeat-best', pass: 0, knob: null, measurement: await measure(settings) };
    repeats.push(point);
    say(oneLine(point));
  }
  const rateOf = (role: SweepPoint['role']) => repeats.filter((point) => point.role === role).map(({ measurement }) => (measurement.failure === null ? measurement.committedPerSecond : null));
  const gain = gainOf(rateOf('repeat-defaults'), rateOf('repeat-best'));

  const command = options.quick ? `node dist/scripts/tune.js ${process.argv.slice(2).join(' ')}`.trimEnd() : `npm run tune${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`;
  const report: TuneReport = {
    command,
    profile: options.profile,
    quick: options.quick,
    machineAtStart,
    machineAtEnd: describeMachine(),
    elapsedSec: (performance.now() - startedMs) / 1000,
    accountCount,
    timing,
    client: defaultClientShape,
    bound,
    moveThresholdRatio: options.moveThresholdRatio,
    passesMax: options.passesMax,
    knobValues: Object.fromEntries(knobs.map((knob) => [knob.name, valuesOf(knob.name)])) as Record<KnobName, readonly number[]>,
    fixedOverrides: options.fixedOverrides,
    defaults,
    sweep,
    repeats,
    gain,
  };
  const section = formatTuneSection(report);
  console.log(section);
  const snippets = profileSnippets(sweep.best.measurement.settings);
  console.log(`config/bench.yaml carries:\n\n${snippets.bench}\n\nconfig/soak.yaml carries (rings capped at 4,096 records, so backpressure stays common):\n\n${snippets.soak}\n`);

  await mkdir(options.resultsDir, { recursive: true });
  const resultFile = path.join(options.resultsDir, `tune-${machineAtStart.takenAt.replace(/[:.]/g, '-')}.json`);
  await writeFile(resultFile, `${JSON.stringify({ ...report, profileSnippets: snippets }, null, 2)}\n`);
  say(`wrote ${resultFile}`);
  if (options.writeBenchmarks) {
    const benchmarksFile = path.join(repoRoot, 'BENCHMARKS.md');
    writeSection(benchmarksFile, tuneMarkers, section);
    say(`wrote ${benchmarksFile}`);
  }
} finally {
  await rm(workDir, { recursive: true, force: true });
}
